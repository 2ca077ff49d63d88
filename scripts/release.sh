#!/usr/bin/env bash
# Cuts a release: the CPU and CUDA images of the Dockerfile and the Helm chart, for one registry.
#
#   scripts/release.sh --registry HOST[/NAMESPACE] --version SEMVER [--push]
#                      [--platforms linux/amd64,linux/arm64] [--source URL]
#
# Images: HOST/NAMESPACE/ocr-service:VERSION and :VERSION-cuda (plus :latest and :latest-cuda when
# VERSION has no pre-release part), with OCI labels (source, version, revision, licenses).
# Chart: version = appVersion = VERSION, image.repository = HOST/NAMESPACE/ocr-service, so
# `helm install oci://HOST/NAMESPACE/charts/ocr-service --version VERSION` runs the pushed images
# with no --set. It lands in dist/release/ and, with --push, in oci://HOST/NAMESPACE/charts.
#
# Without --platforms the images are built by the local engine (BuildKit) and pushed with
# `docker push`. With --platforms (the release workflow) `docker buildx` builds and pushes the CPU
# image for every platform listed and the CUDA image for linux/amd64 (the only platform its base
# and the CUDA provider exist for), with an SBOM and a provenance attestation.
# The models are those in models/ (scripts/setup.sh installs them); the build context carries them.
# Log in first (docker login HOST; helm registry login HOST). A loopback registry is plain HTTP.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() { sed -n '4,5p' "$0" | sed 's/^# *//' >&2; exit 2; }
REGISTRY="" VERSION="" PUSH=0 PLATFORMS="" SOURCE=""
while [ $# -gt 0 ]; do
  case "$1" in
    --registry) REGISTRY=${2:-}; shift 2 ;;
    --version) VERSION=${2:-}; shift 2 ;;
    --push) PUSH=1; shift ;;
    --platforms) PLATFORMS=${2:-}; shift 2 ;;
    --source) SOURCE=${2:-}; shift 2 ;;
    -h|--help) usage ;;
    *) echo "release.sh: unknown argument $1" >&2; usage ;;
  esac
done
if [ -z "$REGISTRY" ] || [ -z "$VERSION" ]; then usage; fi
REGISTRY=${REGISTRY%/}
# semver.org's grammar, without build metadata: '+' is not allowed in an image tag.
SEMVER='^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$'
if ! [[ "$VERSION" =~ $SEMVER ]]; then echo "release.sh: --version $VERSION is not MAJOR.MINOR.PATCH[-PRERELEASE]" >&2; exit 2; fi
if ! [[ "$REGISTRY" =~ ^[a-z0-9.-]+(:[0-9]+)?(/[a-z0-9._-]+)*$ ]]; then
  echo "release.sh: --registry $REGISTRY is not HOST[:PORT][/NAMESPACE] in lower case" >&2; exit 2
fi
HOST=${REGISTRY%%/*}
IMAGE="$REGISTRY/ocr-service"
CHARTS="oci://$REGISTRY/charts"
# The bundled default set must be installed (scripts/setup.sh): the images carry models/ as it is.
if ! [ -s models/manifest.json ] || ! compgen -G 'models/pp-ocrv6-tiny/*.onnx' >/dev/null; then
  echo "release.sh: models/ lacks the manifest or the pp-ocrv6-tiny models: run scripts/setup.sh first" >&2; exit 1
fi

DOCKER=${DOCKER:-$( [ -x /usr/bin/docker ] && echo /usr/bin/docker || echo docker )}
HELM=${HELM:-helm}
export DOCKER_BUILDKIT=1
REVISION=$(git rev-parse HEAD 2>/dev/null || echo unknown)
if [ -z "$SOURCE" ]; then
  if [ -n "${GITHUB_REPOSITORY:-}" ]; then SOURCE="${GITHUB_SERVER_URL:-https://github.com}/$GITHUB_REPOSITORY"
  else SOURCE=$(git remote get-url origin 2>/dev/null || echo unknown); fi
fi
PRERELEASE=0; [[ "$VERSION" == *-* ]] && PRERELEASE=1
# Docker treats a loopback registry as plain HTTP; helm must be told.
PLAIN_HTTP=(); case "$HOST" in localhost|localhost:*|127.*) PLAIN_HTTP=(--plain-http) ;; esac

tags() { # tags SUFFIX -> -t arguments
  local t=(-t "$IMAGE:$VERSION$1")
  [ "$PRERELEASE" = 1 ] || t+=(-t "$IMAGE:latest$1")
  printf '%s\n' "${t[@]}"
}
COMMON=(--build-arg "VERSION=$VERSION" --build-arg "REVISION=$REVISION" --build-arg "SOURCE=$SOURCE")
# Behind a TLS-intercepting proxy npm inside the build needs the host's CA bundle (a BuildKit secret).
CA=${OCR_DOCKER_NPM_CA:-/etc/ssl/certs/ca-certificates.crt}
[ -s "$CA" ] && COMMON+=(--secret "id=npm_ca,src=$CA")

build() { # build TARGET SUFFIX PLATFORMS
  local target=$1 suffix=$2 platforms=$3 started=$SECONDS
  mapfile -t t < <(tags "$suffix")
  if [ -n "$platforms" ]; then
    local out=(); [ "$PUSH" = 1 ] && out=(--push)
    "$DOCKER" buildx build --platform "$platforms" --target "$target" "${COMMON[@]}" "${t[@]}" \
      --sbom=true --provenance=mode=max "${out[@]}" .
  else
    "$DOCKER" build --target "$target" "${COMMON[@]}" "${t[@]}" .
    if [ "$PUSH" = 1 ]; then
      for ((i = 1; i < ${#t[@]}; i += 2)); do "$DOCKER" push -q "${t[$i]}"; done
    fi
  fi
  echo "release.sh: $target image ${t[1]} built$([ "$PUSH" = 1 ] && echo ' and pushed') in $((SECONDS - started)) s"
}

build cpu "" "$PLATFORMS"
build cuda -cuda "$([ -n "$PLATFORMS" ] && echo linux/amd64)"

# The chart: a copy with this version and this registry's image as its default.
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cp -r helm/ocr-service "$work/ocr-service"
sed -i -E "s|^version: .*|version: $VERSION|; s|^appVersion: .*|appVersion: \"$VERSION\"|" "$work/ocr-service/Chart.yaml"
# Only the first `repository:` under `image:` (the worker's GPU override and Redis keep theirs).
sed -i -E "0,/^  repository: /s|^  repository: [^ ]+|  repository: $IMAGE|" "$work/ocr-service/values.yaml"
grep -q "^  repository: $IMAGE" "$work/ocr-service/values.yaml" || { echo "release.sh: could not set image.repository in values.yaml" >&2; exit 1; }
mkdir -p dist/release
"$HELM" package "$work/ocr-service" --destination dist/release >/dev/null
PKG="dist/release/ocr-service-$VERSION.tgz"
echo "release.sh: chart $PKG (image $IMAGE:$VERSION)"
if [ "$PUSH" = 1 ]; then
  "$HELM" push "$PKG" "$CHARTS" "${PLAIN_HTTP[@]}"
  echo "release.sh: pushed $CHARTS/ocr-service:$VERSION"
fi

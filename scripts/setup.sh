#!/usr/bin/env bash
# Installs everything the service and its tests need on Debian 12 / Ubuntu 24.04, then builds.
# Idempotent: a second run only rebuilds what changed. Needs root (or sudo) for apt-get.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

PKGS=(g++ make cmake python3 pkg-config ca-certificates
      libopencv-core-dev libopencv-imgproc-dev      # OpenCV for the native pipeline
      fonts-dejavu-core fonts-liberation2 fontconfig # text rendering in tests (sharp SVG)
      poppler-utils qpdf                             # pdftotext/pdfinfo checks, encrypted PDF fixtures
      redis-server nginx-light                       # scale-out and reverse-proxy tests
      libxml2-utils bsdutils                         # ALTO schema check (xmllint), script(1) for the CLI progress test
      python3-onnx                                   # an independent float16 -> float32 widening to test the engine's against
      docker.io debootstrap unzip                    # deploy tests: images, local base images, helm
      docker-registry)                               # release test: a local OCI registry
# A Docker engine already installed (docker-ce on GitHub's runners) is kept: docker.io conflicts with it.
if command -v dockerd >/dev/null 2>&1; then
  keep=(); for p in "${PKGS[@]}"; do [ "$p" = docker.io ] || keep+=("$p"); done; PKGS=("${keep[@]}")
fi
# Headless Chromium for the web page test where it is a real .deb (Debian's chromium; Ubuntu's
# is a snap stub, so the test skips itself there).
if ! grep -qi '^ID=ubuntu' /etc/os-release 2>/dev/null; then PKGS+=(chromium); fi
missing=()
for p in "${PKGS[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ "${#missing[@]}" -gt 0 ]; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Node.js 24 (LTS) or newer; Node 20 reached its end of life in April 2026 and dependencies want
# 22 or newer. Debian 12 and Ubuntu 24.04 ship Node 18: then take Node 24 from the npm registry (the
# "node" package carries the official binary) into /usr/local, which comes before /usr/bin on PATH
# and is where Debian's npm installs globally anyway (an apt or NodeSource node in /usr/bin stays).
node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
if [ "$(node_major)" -lt 24 ]; then
  command -v npm >/dev/null || { $SUDO apt-get update -qq; DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq nodejs npm; }
  $SUDO npm install -g --prefix /usr/local --loglevel=notice --no-audit --no-fund node@24
  hash -r
  if [ "$(node_major)" -lt 24 ]; then
    echo "Node.js 24 is installed in /usr/local/bin, but $(command -v node) comes first on PATH" >&2
    exit 1
  fi
fi
echo "node $(node --version), npm $(npm --version)"

# onnxruntime-node's postinstall would download CUDA files: the addon only needs its core library.
export ONNXRUNTIME_NODE_INSTALL=skip
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --loglevel=notice --no-audit --no-fund
fi
npm run build
# Model files are not in git: install the default sets' files into models/ (from ../shared/models
# when it is there, else the official downloads), each checked against models/manifest.json.
node scripts/install-models.mjs

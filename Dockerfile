# OCR service images (BuildKit). Targets:
#   cpu  (default, last stage) - Node.js 24, CPU execution provider
#   cuda                       - CUDA 13 + cuDNN 9 runtime base, USE_GPU=true
# Base images are build arguments. Behind a TLS-intercepting proxy, give its CA to npm:
#   docker build --secret id=npm_ca,src=/etc/ssl/certs/ca-certificates.crt ...
ARG NODE_IMAGE=node:24-bookworm-slim
ARG CUDA_IMAGE=nvidia/cuda:13.0.0-cudnn-runtime-ubuntu24.04

# --- build: compiler, cmake, OpenCV headers, npm ci (dev dependencies included), addon + TypeScript
FROM ${NODE_IMAGE} AS build-base
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      g++ make cmake python3 pkg-config ca-certificates libopencv-core-dev libopencv-imgproc-dev \
      tini fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src

FROM build-base AS deps
COPY package.json package-lock.json ./
# onnxruntime-node's postinstall would download CUDA files: only its core library is used.
RUN --mount=type=cache,target=/root/.npm,sharing=locked \
    --mount=type=secret,id=npm_ca \
    if [ -s /run/secrets/npm_ca ]; then export NODE_EXTRA_CA_CERTS=/run/secrets/npm_ca; fi; \
    ONNXRUNTIME_NODE_INSTALL=skip npm ci --no-audit --no-fund

FROM deps AS build
COPY CMakeLists.txt ./
COPY native ./native
# Node's own headers (in every Node image under /usr/local/include/node): cmake-js fetches nothing.
RUN npm_config_nodedir=/usr/local npm run build:native
# The runtime libraries the addon needs, as ldd resolves them, minus what every base has (glibc,
# libstdc++, libgcc, zlib) and libonnxruntime.so.1 (already beside the addon).
RUN mkdir -p /out/lib \
 && ldd build/Release/ocr_native.node | awk '$2 == "=>" && $3 ~ /^\// { print $1, $3 }' \
  | while read -r name path; do \
      case "$name" in \
        libc.so.*|libm.so.*|libdl.so.*|librt.so.*|libpthread.so.*|ld-linux*|libstdc++.so.*|libgcc_s.so.*|libz.so.*|libonnxruntime.so.*) ;; \
        *) cp -L "$path" "/out/lib/$name" ;; \
      esac; \
    done \
 && ls /out/lib
COPY tsconfig.json ./
COPY src ./src
RUN npx tsc -p tsconfig.json

# --- production node_modules: dev dependencies pruned (no 150 MB ORT headers); onnxruntime-node's
# prebuilt binaries are dropped too: its libonnxruntime.so.1 is copied beside the addon.
FROM deps AS prod-deps
RUN npm prune --omit=dev --no-audit --no-fund && rm -rf node_modules/onnxruntime-node/bin

# --- the CUDA execution provider (asus4 build, pairs with onnxruntime-node's core; see GPU notes)
FROM build-base AS cuda-provider
ARG ORT_CUDA_PACKAGE=com.github.asus4.onnxruntime.linux-x64-gpu@0.4.9
ARG ORT_CUDA_INTEGRITY=sha512-FopIhNE/Ng+v2X65wVc9clPCBCvhvA53Hxo2U0Kf5fGdVsC7iCA+mZ0KLWggcQAj7TIZ6pNidR4AC10g74Xo6w==
RUN --mount=type=cache,target=/root/.npm,sharing=locked \
    --mount=type=secret,id=npm_ca \
    if [ -s /run/secrets/npm_ca ]; then export NODE_EXTRA_CA_CERTS=/run/secrets/npm_ca; fi; \
    set -e; mkdir -p /tmp/p /out && cd /tmp/p && npm pack --silent "$ORT_CUDA_PACKAGE" >/dev/null \
 && node -e "const c=require('crypto'),f=require('fs');const t=f.readdirSync('.').find(n=>n.endsWith('.tgz'));\
const h='sha512-'+c.createHash('sha512').update(f.readFileSync(t)).digest('base64');\
if(h!==process.argv[1]){console.error('integrity mismatch for '+t+': '+h);process.exit(1)}" "$ORT_CUDA_INTEGRITY" \
 && tar xzf ./*.tgz && cp package/Plugins/Linux/x64/libonnxruntime_providers_cuda.so package/Plugins/Linux/x64/libonnxruntime_providers_shared.so /out/ \
 && rm -rf /tmp/p

FROM ${NODE_IMAGE} AS node

# --- CUDA runtime: Node.js from the Node image, the same app tree, plus the CUDA provider.
FROM ${CUDA_IMAGE} AS cuda
COPY --from=node /usr/local/bin/node /usr/local/bin/node
COPY --from=node /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/npm
COPY --from=build /usr/bin/tini-static /usr/local/bin/tini
COPY --from=build /out/lib/ /usr/local/lib/ocr/
COPY --from=build /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf /usr/share/fonts/truetype/dejavu/
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
 && echo /usr/local/lib/ocr > /etc/ld.so.conf.d/ocr.conf && ldconfig \
 && groupadd --gid 10001 ocr && useradd --uid 10001 --gid 10001 --home-dir /app --no-create-home --shell /usr/sbin/nologin ocr
WORKDIR /app
COPY --from=cuda-provider /out/ build/Release/
COPY --from=prod-deps /src/node_modules node_modules
COPY package.json ./
# The manifest and the model files ./scripts/setup.sh installed into models/ (git-ignored, part of
# the build context; see .dockerignore): no download at start. Without them the image cannot read.
COPY models/ models/
RUN for f in pp-ocrv6-tiny/PP-OCRv6_tiny_det.onnx pp-ocrv6-tiny/PP-OCRv6_tiny_rec.onnx pp-ocrv6-tiny/ppocrv6_tiny_dict.txt; do \
      test -s "models/$f" || { echo "models/$f is missing from the build context: run ./scripts/setup.sh (or npm run models:install) before docker build" >&2; exit 1; }; done
COPY --from=build /src/build/Release/ocr_native.node /src/build/Release/libonnxruntime.so.1 build/Release/
COPY --from=build /src/dist/src dist/src
COPY public public/
RUN if ldd build/Release/ocr_native.node | grep 'not found'; then exit 1; fi
# scripts/release.sh passes these; a release's version is also what GET /health reports.
ARG VERSION
ARG REVISION=unknown
ARG SOURCE=unknown
RUN if [ -n "$VERSION" ]; then sed -i -E "0,/\"version\": *\"[^\"]*\"/s//\"version\": \"$VERSION\"/" package.json; fi
LABEL org.opencontainers.image.title="ocr-service (CUDA)" \
      org.opencontainers.image.description="Self-hosted OCR REST API and queue worker, PaddleOCR on ONNX Runtime, CUDA execution provider" \
      org.opencontainers.image.version="${VERSION}" org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.licenses="Apache-2.0" org.opencontainers.image.source="${SOURCE}"
ENV NODE_ENV=production HOST=0.0.0.0 PORT=5000 USE_GPU=true \
    NPM_CONFIG_UPDATE_NOTIFIER=false NPM_CONFIG_CACHE=/tmp/.npm NPM_CONFIG_SCRIPT_SHELL=/bin/bash
USER 10001:10001
EXPOSE 5000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||5000)+'/health/alive').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# tini is PID 1 and signals the process group; bash runs npm scripts and execs node, so node is
# npm's child and a SIGTERM drains the running jobs (dash would sit between them and die first).
ENTRYPOINT ["/usr/local/bin/tini", "-g", "--"]
CMD ["npm", "start"]

# --- CPU runtime (default target): Node.js 24 image, runtime libraries, app, bundled models.
FROM ${NODE_IMAGE} AS cpu
COPY --from=build /usr/bin/tini-static /usr/local/bin/tini
COPY --from=build /out/lib/ /usr/local/lib/ocr/
COPY --from=build /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf /usr/share/fonts/truetype/dejavu/
RUN echo /usr/local/lib/ocr > /etc/ld.so.conf.d/ocr.conf && ldconfig \
 && groupadd --gid 10001 ocr && useradd --uid 10001 --gid 10001 --home-dir /app --no-create-home --shell /usr/sbin/nologin ocr
WORKDIR /app
COPY --from=prod-deps /src/node_modules node_modules
COPY package.json ./
# The manifest and the model files ./scripts/setup.sh installed into models/ (git-ignored, part of
# the build context; see .dockerignore): no download at start. Without them the image cannot read.
COPY models/ models/
RUN for f in pp-ocrv6-tiny/PP-OCRv6_tiny_det.onnx pp-ocrv6-tiny/PP-OCRv6_tiny_rec.onnx pp-ocrv6-tiny/ppocrv6_tiny_dict.txt; do \
      test -s "models/$f" || { echo "models/$f is missing from the build context: run ./scripts/setup.sh (or npm run models:install) before docker build" >&2; exit 1; }; done
COPY --from=build /src/build/Release/ocr_native.node /src/build/Release/libonnxruntime.so.1 build/Release/
COPY --from=build /src/dist/src dist/src
COPY public public/
RUN if ldd build/Release/ocr_native.node | grep 'not found'; then exit 1; fi
# scripts/release.sh passes these; a release's version is also what GET /health reports.
ARG VERSION
ARG REVISION=unknown
ARG SOURCE=unknown
RUN if [ -n "$VERSION" ]; then sed -i -E "0,/\"version\": *\"[^\"]*\"/s//\"version\": \"$VERSION\"/" package.json; fi
LABEL org.opencontainers.image.title="ocr-service" \
      org.opencontainers.image.description="Self-hosted OCR REST API and queue worker, PaddleOCR on ONNX Runtime (CPU)" \
      org.opencontainers.image.version="${VERSION}" org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.licenses="Apache-2.0" org.opencontainers.image.source="${SOURCE}"
ENV NODE_ENV=production HOST=0.0.0.0 PORT=5000 USE_GPU=false \
    NPM_CONFIG_UPDATE_NOTIFIER=false NPM_CONFIG_CACHE=/tmp/.npm NPM_CONFIG_SCRIPT_SHELL=/bin/bash
USER 10001:10001
EXPOSE 5000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||5000)+'/health/alive').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# tini is PID 1 and signals the process group; bash runs npm scripts and execs node, so node is
# npm's child and a SIGTERM drains the running jobs (dash would sit between them and die first).
ENTRYPOINT ["/usr/local/bin/tini", "-g", "--"]
CMD ["npm", "start"]

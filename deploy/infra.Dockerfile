# PostgreSQL and nats-server from Debian's packages, for docker-compose.yml on hosts without a registry.
ARG BASE_IMAGE=debian:bookworm-slim
FROM ${BASE_IMAGE} AS postgres
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql \
 && rm -rf /var/lib/apt/lists/*
COPY deploy/postgres-entrypoint.sh /usr/local/bin/postgres-entrypoint.sh
# A named volume takes the owner of this directory on first use.
RUN mkdir -p /var/lib/postgresql/data && chown postgres:postgres /var/lib/postgresql/data && chmod 700 /var/lib/postgresql/data
USER postgres
CMD ["bash", "/usr/local/bin/postgres-entrypoint.sh"]

FROM ${BASE_IMAGE} AS nats
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nats-server \
 && rm -rf /var/lib/apt/lists/*
CMD ["nats-server", "-a", "0.0.0.0", "-p", "4222", "-js", "-sd", "/data"]

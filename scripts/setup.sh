#!/usr/bin/env bash
# Idempotent machine set-up for development, tests and `./scale up`.
# Installs what is missing (Node 24 + pnpm under .tools/, Debian packages, node_modules), starts what is not
# running (dockerd, PostgreSQL, nats-server with JetStream) and builds the local images. A second run changes nothing.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/.tools"
NODE_VERSION=24.21.0
PNPM_VERSION=12.21.0
export PATH="$TOOLS/node_modules/.bin:$PATH"

log() { printf '[setup] %s\n' "$*" >&2; }
have() { command -v "$1" >/dev/null 2>&1; }

install_node() {
  if [[ "$("$TOOLS/node_modules/.bin/node" --version 2>/dev/null)" == "v$NODE_VERSION" ]] &&
    [[ "$("$TOOLS/node_modules/.bin/pnpm" --version 2>/dev/null)" == "$PNPM_VERSION" ]]; then
    return
  fi
  log "installing Node $NODE_VERSION and pnpm $PNPM_VERSION into .tools/"
  mkdir -p "$TOOLS"
  npm install --prefix "$TOOLS" --no-audit --no-fund --loglevel=error "node@$NODE_VERSION" "pnpm@$PNPM_VERSION" >&2
}

install_debian_packages() {
  local missing=()
  have dockerd || missing+=(docker.io)
  have nats-server || missing+=(nats-server)
  have pg_ctlcluster || missing+=(postgresql)
  [[ -x /bin/busybox ]] || missing+=(busybox-static)
  ((${#missing[@]} == 0)) && return
  log "installing Debian packages: ${missing[*]}"
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2
}

wait_for() { # wait_for <what> <seconds> <command...>
  local what=$1 seconds=$2
  shift 2
  for ((i = 0; i < seconds * 10; i++)); do
    "$@" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  log "$what did not become ready in ${seconds}s"
  return 1
}

start_docker() {
  docker info >/dev/null 2>&1 && return
  log "starting dockerd"
  setsid dockerd >/var/log/dockerd.log 2>&1 </dev/null &
  wait_for dockerd 60 docker info
}

start_postgres() {
  local version
  version=$(ls /etc/postgresql | sort -n | tail -1)
  if ! pg_lsclusters -h | awk '{print $4}' | grep -q online; then
    log "starting PostgreSQL $version"
    pg_ctlcluster --skip-systemctl-redirect "$version" main start >&2
  fi
  wait_for postgres 30 su postgres -c "psql -Atqc 'select 1'"
  # Tests connect over TCP as scale/scale (Debian's TCP auth is scram, so the role needs a password).
  if [[ "$(su postgres -c "psql -Atqc \"select 1 from pg_roles where rolname='scale'\"")" != 1 ]]; then
    log "creating PostgreSQL role scale"
    su postgres -c "psql -qc \"CREATE ROLE scale LOGIN SUPERUSER PASSWORD 'scale'\"" >&2
  fi
}

start_nats() {
  if ! (exec 3<>/dev/tcp/127.0.0.1/4222) 2>/dev/null; then
    log "starting nats-server with JetStream"
    mkdir -p /var/lib/nats-server
    start-stop-daemon --start --oknodo --background --exec /usr/sbin/nats-server -- \
      -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log
  fi
  wait_for nats-server 30 bash -c 'exec 3<>/dev/tcp/127.0.0.1/4222'
}

build_images() {
  # No registry is reachable: the base image is Debian's static busybox, imported into Docker.
  if ! docker image inspect local/busybox:latest >/dev/null 2>&1; then
    log "importing local/busybox:latest from busybox-static"
    local rootfs
    rootfs=$(mktemp -d)
    mkdir -p "$rootfs/bin" "$rootfs/tmp" "$rootfs/etc"
    cp /bin/busybox "$rootfs/bin/busybox"
    for tool in $(/bin/busybox --list); do [[ $tool == busybox ]] || ln -sf busybox "$rootfs/bin/$tool"; done
    echo 'nobody:x:65534:65534:nobody:/:/bin/false' >"$rootfs/etc/passwd"
    chmod 1777 "$rootfs/tmp"
    tar -C "$rootfs" -c . | docker import -c 'CMD ["/bin/sh"]' -c 'ENV PATH=/bin' - local/busybox:latest >/dev/null
    rm -rf "$rootfs"
  fi
}

install_node
install_debian_packages
start_docker
start_postgres
start_nats
cd "$ROOT"
CI=true pnpm install --frozen-lockfile --reporter=silent >&2
build_images
log "ready"

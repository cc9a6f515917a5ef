#!/usr/bin/env bash
# Initialises the cluster on first start (role and database "scale"), then runs PostgreSQL in the foreground.
set -euo pipefail
BIN=$(ls -d /usr/lib/postgresql/*/bin | tail -1)
DATA=/var/lib/postgresql/data
if [[ ! -f $DATA/PG_VERSION ]]; then
  "$BIN/initdb" -D "$DATA" -U postgres --auth-local=trust --auth-host=scram-sha-256 >/dev/null
  echo "host all all 0.0.0.0/0 scram-sha-256" >>"$DATA/pg_hba.conf"
  "$BIN/pg_ctl" -D "$DATA" -o "-c listen_addresses=''" -w start >/dev/null
  psql -U postgres -qc "CREATE ROLE scale LOGIN PASSWORD '${POSTGRES_PASSWORD:-scale}'"
  psql -U postgres -qc "CREATE DATABASE scale OWNER scale"
  "$BIN/pg_ctl" -D "$DATA" -w stop >/dev/null
fi
exec "$BIN/postgres" -D "$DATA" -c listen_addresses='*' -c unix_socket_directories=/tmp

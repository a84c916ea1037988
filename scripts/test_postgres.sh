#!/usr/bin/env bash
# Print a PostgreSQL URL for the test run:
#   1. TEST_DATABASE_URL when set;
#   2. else the server on 127.0.0.1:5432 (user postgres, database test) when reachable;
#   3. else a throwaway cluster under var/pg, installing Debian's postgresql when missing.
set -euo pipefail
if [ -n "${TEST_DATABASE_URL:-}" ]; then echo "$TEST_DATABASE_URL"; exit 0; fi
if command -v pg_isready >/dev/null && pg_isready -q -h 127.0.0.1 -p 5432 -t 3; then
  echo "postgres://postgres@127.0.0.1:5432/test"; exit 0
fi
root=$(pwd)/var/pg; port=54329
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$bindir" ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >&2
  bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
fi
run() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
if [ ! -f "$root/data/PG_VERSION" ]; then
  mkdir -p "$root"; [ "$(id -u)" -eq 0 ] && chown postgres "$root"
  run "$bindir/initdb" -D "$root/data" -U postgres -A trust >&2
fi
if ! "$bindir/pg_isready" -q -h 127.0.0.1 -p $port 2>/dev/null; then
  run "$bindir/pg_ctl" -D "$root/data" -l "$root/log" -w \
    -o "-p $port -k $root -c listen_addresses=127.0.0.1 -c fsync=off" start >&2
fi
echo "postgres://postgres@127.0.0.1:$port/postgres"

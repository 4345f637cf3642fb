#!/usr/bin/env bash
# The bureau's store in PostgreSQL, end to end: start a private PostgreSQL 15 on loopback (a
# superuser "postgres" for tampering, a plain role "onemap" owning the store's databases), then
# run test_bureau_pg against it. The server is stopped whatever happens.
#   bureau_pg_check.sh TEST_BUREAU_PG_BINARY [catch2 arguments…]
set -euo pipefail
tests="$1"
shift
pgbin=/usr/lib/postgresql/15/bin
work="$(mktemp -d)"
chmod 755 "$work"
as_pg=()
if [ "$(id -u)" -eq 0 ]; then
  as_pg=(runuser -u postgres --)  # PostgreSQL refuses to run as root
  chown postgres "$work"
fi
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
stop() {
  "${as_pg[@]}" "$pgbin/pg_ctl" -D "$work/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap stop EXIT

"${as_pg[@]}" "$pgbin/initdb" -D "$work/data" -A trust -U postgres >/dev/null
"${as_pg[@]}" "$pgbin/pg_ctl" -D "$work/data" -w -l "$work/data/server.log" \
  -o "-p $port -k $work -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60" start >/dev/null
psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres -d postgres \
  -c "CREATE ROLE onemap LOGIN CREATEDB"

export ONEMAP_TEST_PG_URL="postgresql://onemap@127.0.0.1:$port/postgres"
export ONEMAP_TEST_PG_SUPER_URL="postgresql://postgres@127.0.0.1:$port/postgres"
"$tests" "$@"

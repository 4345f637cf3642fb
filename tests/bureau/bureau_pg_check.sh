#!/usr/bin/env bash
# The bureau's store in PostgreSQL, end to end: start a private PostgreSQL 15 on loopback (a
# superuser "postgres" for tampering, a plain role "onemap" owning the store's databases), then
# run test_bureau_pg against it. The server is stopped whatever happens.
#   bureau_pg_check.sh TEST_BUREAU_PG_BINARY [catch2 arguments…]
set -euo pipefail
tests="$1"
shift
source "$(dirname "$0")/../private_postgres.sh"
start_private_postgres "-c max_connections=60"
psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres -d postgres \
  -c "CREATE ROLE onemap LOGIN CREATEDB"

export ONEMAP_TEST_PG_URL="postgresql://onemap@127.0.0.1:$port/postgres"
export ONEMAP_TEST_PG_SUPER_URL="postgresql://postgres@127.0.0.1:$port/postgres"
"$tests" "$@"

#!/usr/bin/env bash
# Walking distances against pgRouting: start a private PostgreSQL 15 with PostGIS and pgRouting
# on loopback, then run test_coverage_pg against it. The server is stopped whatever happens.
#   pgrouting_check.sh TEST_COVERAGE_PG_BINARY [catch2 arguments…]
set -euo pipefail
tests="$1"
shift
source "$(dirname "$0")/../private_postgres.sh"
start_private_postgres ""
psql=(psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres)
"${psql[@]}" -d postgres -c "CREATE DATABASE streets"
"${psql[@]}" -d streets -c "CREATE EXTENSION postgis" -c "CREATE EXTENSION pgrouting"
export ONEMAP_TEST_PGROUTING_URL="postgresql://postgres@127.0.0.1:$port/streets"
"$tests" "$@"

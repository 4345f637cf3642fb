#!/usr/bin/env bash
# Two `onemap serve --db` processes on one private PostgreSQL + PostGIS (issue 36): starts the
# cluster (a superuser "postgres", a plain role "onemap" owning database "bureau", PostGIS in
# it), then two_servers_pg.py runs the servers, the approvers and the checks.
#   two_servers_pg.sh ONEMAP_BINARY SAMPLE_DATA_FOLDER
set -euo pipefail
onemap="$1"
sample="$2"
source "$(dirname "$0")/../private_postgres.sh"
start_private_postgres "-c max_connections=100"
psql() { command psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres "$@"; }
psql -d postgres -c "CREATE ROLE onemap LOGIN" -c "CREATE DATABASE bureau OWNER onemap"
psql -d bureau -c "CREATE EXTENSION postgis"
# pg_ctl restart keeps the options the server was started with; fields split on \x1f.
restart=("${as_pg[@]}" "$pgbin/pg_ctl" -D "$work/data" -w -m fast -l "$work/data/server.log" restart)
PG_RESTART="$(IFS=$'\x1f'; echo "${restart[*]}")" python3 "$(dirname "$0")/two_servers_pg.py" \
  "$onemap" "$sample" "$port"

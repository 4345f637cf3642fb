# Sourced by the tests that need PostgreSQL: start_private_postgres EXTRA_SERVER_OPTIONS starts
# a private PostgreSQL 15 on a free loopback port in a temporary folder (as the postgres user
# when run as root: PostgreSQL refuses root), with a superuser "postgres" and no password, and
# stops it and removes the folder when the script exits. Sets $work, $port, $pgbin, $as_pg.
pgbin=/usr/lib/postgresql/15/bin
start_private_postgres() {
  work="$(mktemp -d)"
  chmod 755 "$work"
  as_pg=()
  if [ "$(id -u)" -eq 0 ]; then
    as_pg=(runuser -u postgres --)
    chown postgres "$work"
  fi
  port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  trap stop_private_postgres EXIT
  "${as_pg[@]}" "$pgbin/initdb" -D "$work/data" -A trust -U postgres >/dev/null
  "${as_pg[@]}" "$pgbin/pg_ctl" -D "$work/data" -w -l "$work/data/server.log" \
    -o "-p $port -k $work -c listen_addresses=127.0.0.1 -c fsync=off $1" start >/dev/null
}
stop_private_postgres() {
  "${as_pg[@]}" "$pgbin/pg_ctl" -D "$work/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$work"
}

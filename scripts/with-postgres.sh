#!/usr/bin/env bash
# Run a command against a throw-away PostgreSQL server on 127.0.0.1 (Debian's postgresql package).
# Usage: scripts/with-postgres.sh COMMAND...   — exports DATABASE_URL for the command.
set -euo pipefail
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$PGBIN" ] || { echo "PostgreSQL server binaries not found (apt-get install -y postgresql)" >&2; exit 1; }
PORT=${PGPORT_TEST:-54329}
DIR=$(mktemp -d /tmp/portal-pg.XXXXXX)
RUNAS=()
if [ "$(id -u)" = 0 ]; then chown postgres "$DIR"; RUNAS=(runuser -u postgres --); fi
cleanup() { "${RUNAS[@]}" "$PGBIN/pg_ctl" -D "$DIR/data" -m fast stop >/dev/null 2>&1 || true; rm -rf "$DIR"; }
trap cleanup EXIT
"${RUNAS[@]}" "$PGBIN/initdb" -D "$DIR/data" -U portal --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
"${RUNAS[@]}" "$PGBIN/pg_ctl" -D "$DIR/data" -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" -l "$DIR/log" -w start >/dev/null
"$PGBIN/createdb" -h 127.0.0.1 -p "$PORT" -U portal portal
export DATABASE_URL="postgres://portal@127.0.0.1:$PORT/portal"
echo "PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on $DATABASE_URL"
"$@"

#!/usr/bin/env bash
# Run the production profile locally: PostgreSQL + Redis on loopback, gunicorn on 127.0.0.1:8001.
#
#   deploy/serve-prod.sh          start PostgreSQL and Redis (in $PORTAL_PROD_DIR), create the database,
#                                 migrate, collectstatic, load the demo, run gunicorn in the foreground;
#                                 Ctrl-C stops gunicorn and the two servers (KEEP_SERVERS=1 keeps them)
#   deploy/serve-prod.sh smoke    the same, but start gunicorn in the background, fetch a few pages and a
#                                 static file, check the production headers, then stop everything (exit 1 on failure)
#   deploy/serve-prod.sh start    start the servers and prepare the site, then return (e.g. for bench/load.py:
#                                 deploy/serve-prod.sh start && eval "$(deploy/serve-prod.sh env)" && python bench/load.py)
#   deploy/serve-prod.sh env      print the environment to use the servers from another shell (eval "$(...)")
#   deploy/serve-prod.sh stop     stop the servers started earlier
#   deploy/serve-prod.sh redis    (re)start Redis only, e.g. after stopping it (deploy/fault_test.py does)
#
# Installs nothing. Needs the Debian packages `postgresql` (any version; pg_ctl/initdb are looked up in PATH
# and /usr/lib/postgresql/*/bin) and `redis-server`, and the project's virtualenv (.venv). As root, PostgreSQL
# runs as the `postgres` system user (it refuses to run as root).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PY=${PYTHON:-$ROOT/.venv/bin/python}
RUN_DIR=${PORTAL_PROD_DIR:-/tmp/portal-prod}
PG_PORT=${PG_PORT:-54331}   # 54329 is scripts/with-postgres.sh's
REDIS_PORT=${REDIS_PORT:-63799}
HTTP_PORT=${PORT:-8001}
MODE=${1:-serve}

log() { printf '\033[1m[serve-prod]\033[0m %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

find_pg_bin() {
  # The versioned directory holds initdb, pg_ctl and psql together; PATH may only have wrappers.
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r) "$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/x)")"; do
    [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] && [ -x "$dir/psql" ] && { echo "$dir"; return; }
  done
  die "PostgreSQL binaries not found (apt-get install postgresql)"
}

PG_BIN=$(find_pg_bin)
PGDATA="$RUN_DIR/pgdata"
PGSOCK="$RUN_DIR/pgsock"
if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || die "running as root needs the postgres system user (from the postgresql package)"
  as_pg() { runuser -u postgres -- "$@"; }
  PG_OWNER=postgres
else
  as_pg() { "$@"; }
  PG_OWNER=$(id -un)
fi

export DATABASE_URL="postgres://portal@127.0.0.1:$PG_PORT/portal"
export CACHE_URL="redis://127.0.0.1:$REDIS_PORT/0"
export DJANGO_SETTINGS_MODULE=portal.settings.production
export ALLOWED_HOSTS="127.0.0.1,localhost"
export CSRF_TRUSTED_ORIGINS="http://127.0.0.1:$HTTP_PORT,http://localhost:$HTTP_PORT"
export SITE_URL="http://127.0.0.1:$HTTP_PORT"
export SECURE_SSL_REDIRECT=0            # plain HTTP on loopback; a TLS proxy does this in real deployments
export STATIC_ROOT="$RUN_DIR/static"
export MEDIA_ROOT="$RUN_DIR/media"
export PRIVATE_MEDIA_ROOT="$RUN_DIR/private"
export EMAIL_BACKEND=${EMAIL_BACKEND:-django.core.mail.backends.console.EmailBackend}
export PORTAL_REQUIRE_STAFF_MFA=${PORTAL_REQUIRE_STAFF_MFA:-1}

secret_key() {
  mkdir -p "$RUN_DIR"
  [ -s "$RUN_DIR/secret_key" ] || "$PY" -c 'import secrets; print(secrets.token_urlsafe(50))' >"$RUN_DIR/secret_key"
  chmod 600 "$RUN_DIR/secret_key"
  cat "$RUN_DIR/secret_key"
}
export SECRET_KEY=${SECRET_KEY:-$(secret_key)}

start_postgres() {
  mkdir -p "$RUN_DIR" && chmod 755 "$RUN_DIR"
  if [ ! -s "$PGDATA/PG_VERSION" ]; then
    log "initdb $PGDATA ($PG_BIN)"
    mkdir -p "$PGDATA" && chown "$PG_OWNER" "$PGDATA" && chmod 700 "$PGDATA"
    as_pg "$PG_BIN/initdb" -D "$PGDATA" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  fi
  mkdir -p "$PGSOCK" && chown "$PG_OWNER" "$PGSOCK"   # socket and server log, writable by the server
  if as_pg "$PG_BIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; then
    log "PostgreSQL already running on 127.0.0.1:$PG_PORT"
  else
    log "starting PostgreSQL on 127.0.0.1:$PG_PORT"
    as_pg "$PG_BIN/pg_ctl" -D "$PGDATA" -l "$PGSOCK/postgresql.log" -w -o \
      "-c listen_addresses=127.0.0.1 -p $PG_PORT -c unix_socket_directories=$PGSOCK -c fsync=off -c synchronous_commit=off" \
      start >/dev/null
  fi
  local psql=("$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 -qtA)
  if [ -z "$("${psql[@]}" -c "select 1 from pg_roles where rolname='portal'")" ]; then
    "${psql[@]}" -c "create role portal login createdb"
  fi
  if [ -z "$("${psql[@]}" -c "select 1 from pg_database where datname='portal'")" ]; then
    log "creating database portal"
    "${psql[@]}" -c "create database portal owner portal encoding 'UTF8' template template0"
  fi
}

start_redis() {
  if redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; then
    log "Redis already running on 127.0.0.1:$REDIS_PORT"
  else
    command -v redis-server >/dev/null || die "redis-server not found (apt-get install redis-server)"
    log "starting Redis on 127.0.0.1:$REDIS_PORT"
    redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --daemonize yes --save "" --appendonly no \
      --dir "$RUN_DIR" --pidfile "$RUN_DIR/redis.pid" --logfile "$RUN_DIR/redis.log" --maxmemory 256mb \
      --maxmemory-policy volatile-lru
    # volatile-lru: under memory pressure Redis evicts only keys with a TTL — cached pages and
    # fragments — never the public-data version (it has none). Sessions are in PostgreSQL.
    for _ in $(seq 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
  fi
}

stop_servers() {
  if [ -s "$PGDATA/PG_VERSION" ] && as_pg "$PG_BIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; then
    log "stopping PostgreSQL"
    as_pg "$PG_BIN/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null || true
  fi
  if redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; then
    log "stopping Redis"
    redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
  fi
}

prepare_site() {
  cd "$ROOT"
  log "migrate"
  "$PY" manage.py migrate --noinput -v 0
  log "collectstatic (whitenoise compressed manifest)"
  "$PY" manage.py collectstatic --noinput -v 0
  log "load_demo (dev settings, same database)"
  DJANGO_SETTINGS_MODULE=portal.settings.dev "$PY" manage.py load_demo
  log "check --deploy"
  "$PY" manage.py check --deploy --fail-level ERROR
}

gunicorn_cmd() {
  echo "$PY" -m gunicorn -c "$ROOT/deploy/gunicorn.conf.py" --bind "127.0.0.1:$HTTP_PORT" --chdir "$ROOT" portal.wsgi
}

smoke() {
  local base="http://127.0.0.1:$HTTP_PORT" failed=0 url code static
  WEB_CONCURRENCY=${WEB_CONCURRENCY:-2} GUNICORN_ACCESS_LOG="$RUN_DIR/access.log" $(gunicorn_cmd) \
    >"$RUN_DIR/gunicorn.log" 2>&1 &
  GUNICORN_PID=$!
  trap 'kill "$GUNICORN_PID" 2>/dev/null; wait "$GUNICORN_PID" 2>/dev/null; [ "${KEEP_SERVERS:-0}" = 1 ] || stop_servers' EXIT
  for _ in $(seq 100); do curl -fs -o /dev/null "$base/" && break; sleep 0.2; done
  static=$(cd "$ROOT" && "$PY" -c 'import django; django.setup(); from django.templatetags.static import static; print(static("css/portal.css"))')
  for url in / /accounts/login/ /search/?q=%E4%BF%A1%E7%94%A8 /members/ /showcase/ /sitemap.xml "$static"; do
    code=$(curl -s -o /dev/null -w '%{http_code}' "$base$url")
    printf '  %-40s %s\n' "$url" "$code"
    [ "$code" = 200 ] || failed=1
  done
  log "headers of /:"
  curl -s -D - -o /dev/null "$base/" | grep -iE '^(content-security-policy|x-frame-options|x-content-type-options|referrer-policy|x-page-cache|cross-origin)' | sed 's/^/  /'
  curl -s -D - -o /dev/null "$base/" | grep -qi '^x-page-cache: hit' || { log "second anonymous GET was not a cache hit"; failed=1; }
  log "static: $(curl -s -D - -o /dev/null -H 'Accept-Encoding: gzip' "$base$static" | grep -iE '^(cache-control|content-encoding)' | tr -d '\r' | paste -sd ' ')"
  log "keys in Redis (cache only; sessions are in PostgreSQL): $(redis-cli -p "$REDIS_PORT" dbsize)"
  return $failed
}

case "$MODE" in
  stop) stop_servers ;;
  redis) start_redis ;;
  env)
    for name in DATABASE_URL CACHE_URL DJANGO_SETTINGS_MODULE ALLOWED_HOSTS CSRF_TRUSTED_ORIGINS SITE_URL \
                SECURE_SSL_REDIRECT STATIC_ROOT MEDIA_ROOT PRIVATE_MEDIA_ROOT EMAIL_BACKEND SECRET_KEY; do
      printf 'export %s=%q\n' "$name" "${!name}"
    done ;;
  start)
    start_postgres
    start_redis
    prepare_site ;;
  serve|smoke)
    start_postgres
    start_redis
    prepare_site
    if [ "$MODE" = smoke ]; then
      smoke && log "smoke test passed" || { log "smoke test FAILED (logs in $RUN_DIR)"; exit 1; }
    else
      [ "${KEEP_SERVERS:-0}" = 1 ] || trap stop_servers EXIT
      log "serving http://127.0.0.1:$HTTP_PORT/ (Ctrl-C to stop)"
      $(gunicorn_cmd)
    fi ;;
  *) die "usage: $0 [serve|smoke|start|env|stop|redis]" ;;
esac

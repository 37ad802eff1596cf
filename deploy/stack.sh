#!/usr/bin/env bash
# Start the production stack on this machine (loopback only), run one command against it,
# then stop every process it started, whatever happens.
#
#   deploy/stack.sh COMMAND [ARGS...]
#
# The stack: its own PostgreSQL database (dropped and created), a Redis database number on
# the running Redis (flushed), portal.settings.production over plain http on 127.0.0.1
# (PLAIN_HTTP_LOOPBACK=1), collectstatic, migrate, seed_demo, gunicorn, one Celery worker
# per queue group and beat. COMMAND runs with BASE_URL, STACK_DIR and the stack's Django
# environment exported; its exit status is this script's exit status (non-zero when the
# stack did not come up).
#
# Settings (environment): STACK_DB (kejinlink_smoke), STACK_REDIS_DB (5; the cache uses the
# next number), STACK_PORT (a free port), STACK_WEB_WORKERS (2), STACK_SEED (1: seed_demo),
# STACK_KEEP_DB (0: drop and create the database; 1: keep it and only migrate),
# STACK_DIR (a new temporary folder: logs, media, mail), STACK_STATIC_ROOT (./staticfiles),
# PG_URL
# (postgres://postgres@127.0.0.1:5432), REDIS_BASE (redis://127.0.0.1:6379).
#
# STACK_STORAGE=s3 runs the stack as many hosts would (docs/deploy.md, "Many hosts"): an
# S3-compatible object store on loopback (moto's server) holds evidence and lists
# (STORAGE_URL), a second web server answers on BASE_URL_2, and every web server and worker
# gets a private folder of its own, so a file that any of them kept on local disk would be
# missing for the others. Lists are read by the imports worker, not in the upload request.
set -Eeuo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
VENV_BIN=${VENV_BIN:-$ROOT/.venv/bin}
PY=$VENV_BIN/python
PG_URL=${PG_URL:-postgres://postgres@127.0.0.1:5432}
REDIS_BASE=${REDIS_BASE:-redis://127.0.0.1:6379}
STACK_DB=${STACK_DB:-kejinlink_smoke}
STACK_REDIS_DB=${STACK_REDIS_DB:-5}
STACK_WEB_WORKERS=${STACK_WEB_WORKERS:-2}
STACK_SEED=${STACK_SEED:-1}
STACK_KEEP_DB=${STACK_KEEP_DB:-0}
STACK_STORAGE=${STACK_STORAGE:-local}
STACK_DIR=${STACK_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/kejinlink-stack.XXXXXX")}
STACK_PORT=${STACK_PORT:-$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}

if [ "$#" -eq 0 ]; then
    echo "usage: $0 COMMAND [ARGS...]" >&2
    exit 2
fi
if [ "$STACK_REDIS_DB" -lt 5 ]; then
    echo "STACK_REDIS_DB must be 5 or more (lower numbers belong to other users)" >&2
    exit 2
fi

mkdir -p "$STACK_DIR"/{log,media/private,mail}
free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
PIDS=()

log() { printf '[stack %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

COMMAND_PID=
stop_all() {
    local status=$?
    trap - EXIT INT TERM
    if [ -n "$COMMAND_PID" ]; then
        kill -TERM "$COMMAND_PID" 2>/dev/null || true
        wait "$COMMAND_PID" 2>/dev/null || true
    fi
    if [ "${#PIDS[@]}" -gt 0 ]; then
        log "stopping ${#PIDS[@]} process groups"
        for pid in "${PIDS[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || true; done
        for _ in $(seq 1 40); do
            local alive=0
            for pid in "${PIDS[@]}"; do
                if kill -0 -- "-$pid" 2>/dev/null; then alive=1; fi
            done
            [ "$alive" -eq 0 ] && break
            sleep 0.25
        done
        for pid in "${PIDS[@]}"; do
            if kill -0 -- "-$pid" 2>/dev/null; then
                log "process group $pid did not stop on TERM: KILL"
                kill -KILL -- "-$pid" 2>/dev/null || true
            fi
        done
        wait 2>/dev/null || true
    fi
    if [ "$status" -ne 0 ]; then
        log "exit $status; logs in $STACK_DIR/log:"
        for f in "$STACK_DIR"/log/*.log; do
            [ -s "$f" ] || continue
            echo "----- $(basename "$f") (last 25 lines)" >&2
            tail -n 25 "$f" >&2
        done
    elif [ "${STACK_KEEP_DIR:-0}" != 1 ]; then
        rm -rf "$STACK_DIR"
    fi
    exit "$status"
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Each long-running process gets its own session (process group), so stopping the group
# also stops gunicorn's and Celery's child processes: no orphans.
start() {
    local name=$1
    shift
    setsid "$@" >"$STACK_DIR/log/$name.log" 2>&1 &
    PIDS+=("$!")
    log "started $name (pid $!)"
}

wait_for_log() {
    local name=$1 pattern=$2 seconds=$3
    for _ in $(seq 1 $((seconds * 4))); do
        if grep -q "$pattern" "$STACK_DIR/log/$name.log" 2>/dev/null; then return 0; fi
        sleep 0.25
    done
    log "$name not ready after ${seconds}s"
    return 1
}

export DJANGO_SETTINGS_MODULE=portal.settings.production
SECRET_KEY=${SECRET_KEY:-$("$PY" -c 'import secrets; print(secrets.token_urlsafe(50))')}
export SECRET_KEY
export ALLOWED_HOSTS=127.0.0.1,localhost
export PLAIN_HTTP_LOOPBACK=1
export DATABASE_URL="$PG_URL/$STACK_DB"
export DB_CONN_MAX_AGE=${DB_CONN_MAX_AGE:-60}
export REDIS_URL="$REDIS_BASE/$STACK_REDIS_DB"
export REDIS_CACHE_URL="$REDIS_BASE/$((STACK_REDIS_DB + 1))"
export CACHE_KEY_PREFIX=kejinlink-stack
# collectstatic compresses every file (gzip, and brotli when installed): keep its output
# between runs, as a deployment keeps its static root, so only changed files are redone.
export STATIC_ROOT=${STACK_STATIC_ROOT:-$ROOT/staticfiles}
export MEDIA_ROOT="$STACK_DIR/media"
export PRIVATE_MEDIA_ROOT="$STACK_DIR/media/private"
export EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend
export EMAIL_FILE_PATH="$STACK_DIR/mail"
export SITE_URL="http://127.0.0.1:$STACK_PORT"
export BASE_URL="http://127.0.0.1:$STACK_PORT"
export STACK_DIR LOG_LEVEL=${LOG_LEVEL:-WARNING}
unset CELERY_TASK_ALWAYS_EAGER

if [ "$STACK_STORAGE" = s3 ]; then
    S3_PORT=$(free_port)
    export AWS_ACCESS_KEY_ID=stack-access AWS_SECRET_ACCESS_KEY=stack-secret
    export STORAGE_URL="s3://kejinlink-stack/private?endpoint_url=http://127.0.0.1:$S3_PORT&region_name=us-east-1"
    export LIST_INLINE_READ_BYTES=1024
    STACK_PORT_2=${STACK_PORT_2:-$(free_port)}
    export BASE_URL_2="http://127.0.0.1:$STACK_PORT_2"
fi

log "database $STACK_DB, redis db $STACK_REDIS_DB (+1 cache), port $STACK_PORT, dir $STACK_DIR"
if [ "$STACK_KEEP_DB" != 1 ]; then
    psql "$PG_URL/postgres" -v ON_ERROR_STOP=1 -qc "DROP DATABASE IF EXISTS \"$STACK_DB\" WITH (FORCE)"
    psql "$PG_URL/postgres" -v ON_ERROR_STOP=1 -qc "CREATE DATABASE \"$STACK_DB\""
else
    psql "$PG_URL/postgres" -Atc "SELECT 1 FROM pg_database WHERE datname = '$STACK_DB'" | grep -q 1 \
        || psql "$PG_URL/postgres" -v ON_ERROR_STOP=1 -qc "CREATE DATABASE \"$STACK_DB\""
fi
redis-cli -u "$REDIS_URL" FLUSHDB >/dev/null
redis-cli -u "$REDIS_CACHE_URL" FLUSHDB >/dev/null

if [ "$STACK_STORAGE" = s3 ]; then
    start s3 "$VENV_BIN/moto_server" -H 127.0.0.1 -p "$S3_PORT"
    for _ in $(seq 1 120); do
        if curl -fsS "http://127.0.0.1:$S3_PORT/" >/dev/null 2>&1; then break; fi
        sleep 0.25
    done
    "$PY" -c "import boto3; boto3.client('s3', endpoint_url='http://127.0.0.1:$S3_PORT', region_name='us-east-1').create_bucket(Bucket='kejinlink-stack')"
    log "object store on port $S3_PORT, bucket kejinlink-stack"
fi

"$PY" manage.py check --deploy --fail-level ERROR >"$STACK_DIR/log/check.log" 2>&1
"$PY" manage.py migrate --noinput >"$STACK_DIR/log/migrate.log" 2>&1
# Compressing every file takes minutes on a small machine: redo it only when a static source
# or the installed packages (pyproject.toml) changed since the last collectstatic.
manifest="$STATIC_ROOT/staticfiles.json"
if [ -f "$manifest" ] && [ -z "$(find static pyproject.toml -newer "$manifest" -print -quit)" ]; then
    echo "static files up to date ($manifest)" >"$STACK_DIR/log/collectstatic.log"
else
    "$PY" manage.py collectstatic --noinput >"$STACK_DIR/log/collectstatic.log" 2>&1
fi
if [ "$STACK_SEED" = 1 ]; then
    "$PY" manage.py seed_demo >"$STACK_DIR/log/seed.log" 2>&1
fi
log "migrated, static collected$([ "$STACK_SEED" = 1 ] && echo ', demo data seeded')"

# Each process's own private folder under STACK_STORAGE=s3 (shared files live in the store).
own_folder() {
    if [ "$STACK_STORAGE" = s3 ]; then
        mkdir -p "$STACK_DIR/media/own-$1"
        echo "$STACK_DIR/media/own-$1"
    else
        echo "$PRIVATE_MEDIA_ROOT"
    fi
}


start web env PRIVATE_MEDIA_ROOT="$(own_folder web)" "$VENV_BIN/gunicorn" portal.wsgi:application \
    --bind "127.0.0.1:$STACK_PORT" --workers "$STACK_WEB_WORKERS" --timeout 60 \
    --access-logfile "$STACK_DIR/log/access.log" --capture-output
if [ "$STACK_STORAGE" = s3 ]; then
    start web-2 env PRIVATE_MEDIA_ROOT="$(own_folder web-2)" "$VENV_BIN/gunicorn" \
        portal.wsgi:application --bind "127.0.0.1:$STACK_PORT_2" --workers 1 --timeout 60 \
        --access-logfile "$STACK_DIR/log/access-2.log" --capture-output
fi
# One worker per queue group, as docs/deploy.md recommends: a long import never holds up
# matching, and notifications never wait behind either.
start worker-imports env PRIVATE_MEDIA_ROOT="$(own_folder worker)" "$VENV_BIN/celery" -A portal worker -Q imports,exports -n "imports@%h" -c 1 -l INFO
start worker-matching "$VENV_BIN/celery" -A portal worker -Q matching -n "matching@%h" -c 2 -l INFO
start worker-notifications "$VENV_BIN/celery" -A portal worker -Q notifications,default \
    -n "notifications@%h" -c 1 -l INFO
start beat "$VENV_BIN/celery" -A portal beat -l INFO -s "$STACK_DIR/celerybeat-schedule"

for _ in $(seq 1 120); do
    if curl -fsS "$BASE_URL/healthz/" >/dev/null 2>&1; then break; fi
    sleep 0.25
done
curl -fsS "$BASE_URL/healthz/" >/dev/null
if [ -n "${BASE_URL_2:-}" ]; then
    for _ in $(seq 1 120); do
        if curl -fsS "$BASE_URL_2/healthz/" >/dev/null 2>&1; then break; fi
        sleep 0.25
    done
    curl -fsS "$BASE_URL_2/healthz/" >/dev/null
fi
for worker in worker-imports worker-matching worker-notifications; do
    wait_for_log "$worker" "ready\." 60
done
wait_for_log beat "beat: Starting" 30
log "stack up: $BASE_URL"

# In the background with ``wait``: bash runs a trap only between commands, and ``wait`` is
# interrupted by a trapped INT or TERM, so the stack stops at once instead of after COMMAND.
set +e
"$@" &
COMMAND_PID=$!
wait "$COMMAND_PID"
status=$?
COMMAND_PID=
set -e
log "command exited $status"
exit "$status"

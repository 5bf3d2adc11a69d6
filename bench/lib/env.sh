# shellcheck shell=bash
# env.sh: tools, services and binaries the benchmark needs. Sourced by
# run.sh.

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() {
  log "error: $*"
  exit 1
}

# wait_until SECONDS COMMAND...: runs COMMAND every 0.2 s until it
# succeeds; fails after SECONDS.
wait_until() {
  local limit=$1
  shift
  local deadline=$((SECONDS + limit))
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || return 1
    sleep 0.2
  done
}

# ensure_tools installs the Debian packages of any missing command.
ensure_tools() {
  local -a missing=()
  local pair
  for pair in wrk:wrk curl:curl jq:jq sqlite3:sqlite3 psql:postgresql-client redis-cli:redis-tools; do
    command -v "${pair%%:*}" >/dev/null || missing+=("${pair#*:}")
  done
  if wants_mode pgredis; then
    command -v redis-server >/dev/null || missing+=(redis-server)
    [[ -d /etc/postgresql ]] || missing+=(postgresql)
  fi
  if ((${#missing[@]})); then
    log "installing ${missing[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
  command -v go >/dev/null || die "go is not on PATH"
}

pg_up() { pg_isready -q -h 127.0.0.1 -p 5432; }
redis_up() { [[ $(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null) == PONG ]]; }

# ensure_services starts PostgreSQL and Redis when they are not running.
# They are shared with whoever else uses this machine, so the benchmark
# leaves them running; it removes only its own database and keys.
ensure_services() {
  if ! pg_up; then
    log "starting PostgreSQL"
    local version
    version=$(ls /etc/postgresql | sort -V | tail -1)
    pg_ctlcluster --skip-systemctl-redirect "$version" main start
    wait_until 60 pg_up || die "PostgreSQL did not come up"
  fi
  if ! redis_up; then
    log "starting Redis"
    mkdir -p /var/lib/redis /var/log/redis
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
      --dir /var/lib/redis --logfile /var/log/redis/ci.log
    wait_until 30 redis_up || die "Redis did not come up"
  fi
}

# build_binaries builds the service, the yardstick and the seeder.
build_binaries() {
  log "building the service, the yardstick and the seeder"
  mkdir -p "$WORK/bin"
  (
    cd "$REPO_DIR"
    go build -o "$WORK/bin/shortener" ./cmd/shortener
    go build -o "$WORK/bin/yardstick" ./bench/yardstick
    go build -o "$WORK/bin/seed" ./bench/seed
  ) || die "build failed"
}

# psql_admin runs SQL on the maintenance database.
psql_admin() { psql "$PG_ADMIN_URL" -v ON_ERROR_STOP=1 -tAqc "$1"; }

# create_database makes this run's scratch database and remembers it for
# clean-up.
create_database() {
  local name=$1
  psql_admin "CREATE DATABASE $name" || die "cannot create database $name"
  CREATED_DBS+=("$name")
}

drop_databases() {
  local name
  for name in "${CREATED_DBS[@]}"; do
    psql_admin "DROP DATABASE IF EXISTS $name WITH (FORCE)" || log "could not drop database $name"
  done
  CREATED_DBS=()
}

# delete_redis_keys removes every key under this run's prefixes. The SCAN
# ends once the key space has been walked, so the loop is bounded.
delete_redis_keys() {
  local prefix
  for prefix in "${REDIS_PREFIXES[@]}"; do
    redis-cli -u "$REDIS_URL" --scan --pattern "${prefix}*" |
      xargs -r -n 500 redis-cli -u "$REDIS_URL" DEL >/dev/null || log "could not delete keys ${prefix}*"
  done
  REDIS_PREFIXES=()
}

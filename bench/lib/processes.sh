# shellcheck shell=bash
# processes.sh: starting and stopping the service and the yardsticks. Every
# process started here is recorded, and stopped by its own PID. Sourced by
# run.sh.

SERVICE_PID=""
declare -A YARDSTICK_PID=() # kind -> pid

# stop_pid PID SECONDS: SIGTERM, then SIGKILL if it is still there after
# SECONDS. The shortener needs up to 30 s to finish a graceful shutdown.
stop_pid() {
  local pid=$1 limit=$2
  [[ -n $pid ]] || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  if ! wait_until "$limit" bash -c "! kill -0 $pid"; then
    log "process $pid did not stop in ${limit}s; killing it"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}

# service_env prints the service's environment for MODE, one VAR=value a
# line. The service gets nothing else from the caller's environment, so a
# stray DATABASE_URL cannot switch the embedded mode to PostgreSQL.
service_env() {
  local mode=$1 big=1073741824
  cat <<VARS
PATH=$PATH
HOME=$HOME
ENVIRONMENT=development
LISTEN_ADDR=127.0.0.1:$SVC_PORT
BASE_URL=http://127.0.0.1:$SVC_PORT
DATA_DIR=$MODE_DIR/data
SECRET_KEY=$SECRET_KEY
BCRYPT_COST=4
ACCESS_TOKEN_EXPIRE_MINUTES=600
L1_CACHE_SIZE=$L1_SIZE
ANALYTICS_CACHE_TTL=$S5_CACHE_TTL
LOG_LEVEL=warn
RATE_LIMIT_REQUESTS=$big
RATE_LIMIT_WINDOW=1
ANON_RATE_LIMIT_REQUESTS=$big
ANON_RATE_LIMIT_WINDOW=1
REGISTER_RATE_LIMIT_REQUESTS=$big
REGISTER_RATE_LIMIT_WINDOW=1
LOGIN_RATE_LIMIT_REQUESTS=$big
LOGIN_RATE_LIMIT_WINDOW=1
VARS
  # SERVICE_GOGC and SERVICE_GOMEMLIMIT reach the service alone (not the
  # yardsticks) as the Go runtime's GOGC and GOMEMLIMIT.
  [[ -z ${SERVICE_GOGC:-} ]] || echo "GOGC=$SERVICE_GOGC"
  [[ -z ${SERVICE_GOMEMLIMIT:-} ]] || echo "GOMEMLIMIT=$SERVICE_GOMEMLIMIT"
  # SERVICE_ENV: more settings of the service alone, "VAR=value VAR=value"
  # (e.g. SERVICE_ENV="ANALYTICS_WRITERS=1" to weigh a setting).
  local kv
  for kv in ${SERVICE_ENV:-}; do echo "$kv"; done
  if [[ $mode == pgredis ]]; then
    printf '%s\n' "DATABASE_URL=$DB_URL" "REDIS_URL=$REDIS_URL" "REDIS_KEY_PREFIX=$SVC_PREFIX"
  fi
}

# port_free PORT fails when something already listens on the loopback
# PORT: its answers would be taken for ours.
port_free() {
  if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then
    die "port $1 is in use; set PORT_BASE to a free range"
  fi
}

service_url() { printf 'http://127.0.0.1:%s' "$SVC_PORT"; }
service_healthy() { curl -sf --max-time 2 "$(service_url)/healthz" >/dev/null; }

# start_service MODE starts the service and waits until it answers.
start_service() {
  local mode=$1
  local -a vars
  mapfile -t vars < <(service_env "$mode")
  port_free "$SVC_PORT"
  # The working directory is the run's own, so no .env file is picked up.
  (cd "$MODE_DIR" && exec env -i "${vars[@]}" "$WORK/bin/shortener" serve >>"$MODE_DIR/service.log" 2>&1) &
  SERVICE_PID=$!
  local deadline=$((SECONDS + 60))
  until service_healthy; do
    if ! kill -0 "$SERVICE_PID" 2>/dev/null; then
      tail -n 20 "$MODE_DIR/service.log" >&2
      SERVICE_PID=""
      die "the service exited during start"
    fi
    ((SECONDS < deadline)) || die "the service did not answer /healthz within 60 s"
    sleep 0.2
  done
}

# check_service_alive stops the benchmark when the service has died: its
# metrics and clicks would be meaningless.
check_service_alive() {
  [[ -n $SERVICE_PID ]] || return 0
  if ! kill -0 "$SERVICE_PID" 2>/dev/null; then
    tail -n 20 "$MODE_DIR/service.log" >&2
    SERVICE_PID=""
    die "the service died"
  fi
}

stop_service() {
  stop_pid "$SERVICE_PID" 40
  SERVICE_PID=""
}

# service_rss_mb prints the service's resident memory in MB.
service_rss_mb() {
  awk '/^VmRSS:/ { printf "%.0f\n", $2 / 1024 }' "/proc/$SERVICE_PID/status"
}

# start_yardstick KIND starts the yardstick looking codes up in KIND
# (memory, redis, postgres or sqlite) and waits until it has seeded and
# answers.
start_yardstick() {
  local kind=$1 port
  local -a args=(-mode "$kind" -codes "$CODES")
  case $kind in
  memory) port=$YS_PORT_MEMORY ;;
  redis)
    port=$YS_PORT_REDIS
    args+=(-redis "$REDIS_URL" -prefix "$YS_PREFIX")
    ;;
  postgres)
    port=$YS_PORT_POSTGRES
    args+=(-db "$DB_URL")
    ;;
  sqlite)
    # The postgres yardstick's port: a mode runs one or the other.
    port=$YS_PORT_POSTGRES
    args+=(-file "$MODE_DIR/yardstick.db")
    ;;
  esac
  port_free "$port"
  "$WORK/bin/yardstick" -addr "127.0.0.1:$port" "${args[@]}" >>"$MODE_DIR/yardstick-$kind.log" 2>&1 &
  YARDSTICK_PID[$kind]=$!
  if ! wait_until 120 curl -sf --max-time 2 "http://127.0.0.1:$port/healthz"; then
    tail -n 20 "$MODE_DIR/yardstick-$kind.log" >&2
    die "the $kind yardstick did not start"
  fi
}

yardstick_url() {
  case $1 in
  memory) printf 'http://127.0.0.1:%s' "$YS_PORT_MEMORY" ;;
  redis) printf 'http://127.0.0.1:%s' "$YS_PORT_REDIS" ;;
  postgres | sqlite) printf 'http://127.0.0.1:%s' "$YS_PORT_POSTGRES" ;;
  esac
}

stop_yardsticks() {
  local kind
  for kind in "${!YARDSTICK_PID[@]}"; do
    stop_pid "${YARDSTICK_PID[$kind]}" 30
  done
  YARDSTICK_PID=()
}

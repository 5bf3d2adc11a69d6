#!/usr/bin/env bash
# run.sh: the load benchmark of issue 8. For each mode (embedded SQLite, and
# PostgreSQL + Redis) it seeds a scratch database, starts the service and
# the yardstick servers on the loopback, runs each scenario with wrk against
# the yardstick and then the service, checks that no click was lost, and
# prints one table and the goals. See bench/README.md.
#
#   bench/run.sh                    full run (10 s per measurement)
#   QUICK=1 bench/run.sh            smoke test (3 s runs, fewer S5 clicks)
#   MODES=pgredis SCENARIOS="1 2" bench/run.sh
#
# Everything it starts (processes, the scratch database, Redis keys under
# its own prefixes, the work directory) is removed on exit, also on error
# or Ctrl-C. PostgreSQL and Redis themselves are left running.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(dirname "$BENCH_DIR")
# The settings given in the environment, for the report's command line.
BENCH_COMMAND="$(env | { grep -E '^(QUICK|DURATION|CONNECTIONS|THREADS|CODES|L1_SIZE|S[56]_[A-Z_]+|SERVICE_(GO[A-Z]+|ENV)|MODES|SCENARIOS|PORT_BASE|DOMAIN_[A-Z_]+)=' || true; } |
  sed -E "s/=(.*)/='\1'/" | sort | tr '\n' ' ')bench/run.sh"

# shellcheck source=lib/config.sh
source "$BENCH_DIR/lib/config.sh"
# shellcheck source=lib/env.sh
source "$BENCH_DIR/lib/env.sh"
# shellcheck source=lib/processes.sh
source "$BENCH_DIR/lib/processes.sh"
# shellcheck source=lib/measure.sh
source "$BENCH_DIR/lib/measure.sh"
# shellcheck source=lib/api.sh
source "$BENCH_DIR/lib/api.sh"
# shellcheck source=lib/scenarios.sh
source "$BENCH_DIR/lib/scenarios.sh"
# shellcheck source=lib/report.sh
source "$BENCH_DIR/lib/report.sh"
# shellcheck source=lib/domains.sh
source "$BENCH_DIR/lib/domains.sh"

WORK=""
CREATED_DBS=()
REDIS_PREFIXES=()

cleanup() {
  local status=$?
  set +e
  trap - EXIT INT TERM
  stop_yardsticks
  if [[ -n $SERVICE_PID ]]; then
    stop_service
  fi
  ((${#CREATED_DBS[@]} == 0)) || drop_databases
  ((${#REDIS_PREFIXES[@]} == 0)) || delete_redis_keys
  if [[ -n $WORK && -d $WORK ]]; then
    if [[ $KEEP == 1 ]]; then
      log "work directory kept: $WORK"
    elif [[ $status != 0 ]]; then
      # Keep the logs and wrk output to look into; the data can be large.
      rm -rf "${WORK:?}"/*/data "${WORK:?}/bin"
      log "logs and wrk output kept in $WORK"
    else
      rm -rf "$WORK"
    fi
  fi
  exit "$status"
}

# prepare_mode sets the mode's database and Redis prefixes (MODE_DIR, DB_URL
# or DB_FILE, DB_ARG for the seeder).
prepare_mode() {
  MODE_DIR=$WORK/$MODE
  mkdir -p "$MODE_DIR/data"
  LAST_SERVICE_LOAD=0
  if [[ $MODE == pgredis ]]; then
    local db="bench_${RUN_ID}"
    create_database "$db"
    DB_URL="postgres://postgres@127.0.0.1:5432/$db?sslmode=disable"
    DB_ARG=$DB_URL
    SVC_PREFIX="bench-${RUN_ID}-svc:"
    YS_PREFIX="bench-${RUN_ID}-yardstick:"
    REDIS_PREFIXES+=("$SVC_PREFIX" "$YS_PREFIX")
  else
    DB_FILE=$MODE_DIR/data/shortener.db
    DB_ARG=$DB_FILE
  fi
}

# seed_mode makes the account and the scenario-5 link through the API, then
# stops the service (SQLite must not be written by two processes) and
# seeds the links and clicks straight into the database.
seed_mode() {
  start_service "$MODE"
  api_setup
  stop_service
  [[ $DOMAIN_BENCH != 1 ]] || domain_promote
  "$WORK/bin/seed" links -db "$DB_ARG" -n "$CODES" >&2 || die "seeding links failed"
  if wants_scenario 5; then
    "$WORK/bin/seed" clicks -db "$DB_ARG" -link "$S5_ID" -n "$S5_CLICKS" -days "$S5_DAYS" >&2 ||
      die "seeding clicks failed"
  fi
  # Fresh planner statistics, as the yardstick gives its own table. On
  # PostgreSQL also a vacuum: seeding wrote in a minute what real traffic
  # writes over a month, and autovacuum catching up with that during the
  # measurements would be an artefact of the seeding.
  if [[ $MODE == pgredis ]]; then
    db_query "VACUUM ANALYZE" >/dev/null
  else
    db_query "ANALYZE" >/dev/null
  fi
}

run_mode() {
  log "== mode $MODE: preparing"
  prepare_mode
  seed_mode
  start_service "$MODE"
  if wants_scenario 1 || wants_scenario 3 || { wants_scenario 2 && [[ $MODE == embedded ]]; }; then
    start_yardstick memory
  fi
  if wants_scenario 2 && [[ $MODE == pgredis ]]; then
    start_yardstick redis
  fi
  if [[ $MODE == pgredis ]] && { wants_scenario 2 || wants_scenario 4; }; then
    start_yardstick postgres
  fi
  if [[ $MODE == embedded ]] && wants_scenario 4; then
    start_yardstick sqlite
  fi
  [[ $DOMAIN_BENCH != 1 ]] || domain_setup
  local s
  for s in $SCENARIOS; do
    log "== S$s, mode $MODE"
    "scenario_$s"
  done
  [[ $DOMAIN_BENCH != 1 ]] || domain_scenarios
  stop_yardsticks
  stop_service
  note_service_log
  drop_databases
  delete_redis_keys
}

main() {
  check_config
  ensure_tools
  if wants_mode pgredis; then
    ensure_services
  fi
  WORK=$(mktemp -d /tmp/shortener-bench.XXXXXX)
  SECRET_KEY=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
  build_binaries
  for MODE in $MODES; do
    run_mode
  done
  if [[ -n $REPORT_FILE ]]; then
    report | tee "$REPORT_FILE"
  else
    report
  fi
}

report() {
  print_header
  print_table
  print_goals
  [[ $DOMAIN_BENCH != 1 ]] || print_domain_goals
}

trap cleanup EXIT
trap 'exit 130' INT TERM
main "$@"

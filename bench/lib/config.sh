# shellcheck shell=bash
# config.sh: the benchmark's settings. Every one can be set in the
# environment; QUICK=1 shortens runs for a smoke test. Sourced by run.sh.

QUICK=${QUICK:-0}
if [[ $QUICK == 1 ]]; then
  DURATION=${DURATION:-3}
  S6_DURATION=${S6_DURATION:-10}
  S5_CLICKS=${S5_CLICKS:-100000}
else
  DURATION=${DURATION:-10}
  S5_CLICKS=${S5_CLICKS:-1000000}
fi
CONNECTIONS=${CONNECTIONS:-64}   # wrk connections; also the click check's tolerance
THREADS=${THREADS:-2}            # wrk threads
CODES=${CODES:-100000}           # links of scenario 2
L1_SIZE=${L1_SIZE:-10000}        # the service's L1_CACHE_SIZE, below CODES on purpose
S5_DAYS=${S5_DAYS:-30}           # days the clicks of scenario 5 spread over
S5_CACHE_TTL=${S5_CACHE_TTL:-0}  # ANALYTICS_CACHE_TTL: 0 measures the rollup query, not the cache
# S5_CONNECTIONS: a summary is a dashboard call, not a flood. With 64
# connections its p95 would measure the queue (64 / req/s), not the query.
S5_CONNECTIONS=${S5_CONNECTIONS:-4}
S6_DURATION=${S6_DURATION:-60}   # seconds of sustained click ingest (scenario 6)
MODES=${MODES:-"embedded pgredis"}
SCENARIOS=${SCENARIOS:-"1 2 3 4 5 6"}
PORT_BASE=${PORT_BASE:-18080}    # service; yardsticks on the next three ports
DRAIN_TIMEOUT=${DRAIN_TIMEOUT:-180}  # longest wait for the click pipeline to drain
DRAIN_STABLE=${DRAIN_STABLE:-15}     # no change in stored clicks for this long ends the wait
PG_STATS_DELAY=${PG_STATS_DELAY:-11} # PostgreSQL flushes an idle backend's statistics within 10 s
DOMAIN_BENCH=${DOMAIN_BENCH:-0}      # 1 adds S1 and S3 on a second domain against the default (issue 18)
DOMAIN_ROUNDS=${DOMAIN_ROUNDS:-3}    # interleaved rounds of that comparison; the median is reported
KEEP=${KEEP:-0}                  # 1 keeps the work directory (logs, SQLite file)
REPORT_FILE=${REPORT_FILE:-}     # also write the report (header, table, goals) there

# Services are reached on the loopback only: the benchmark sends no traffic
# anywhere else. They are not configurable for that reason.
PG_ADMIN_URL="postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
REDIS_URL="redis://127.0.0.1:6379/0"

SVC_PORT=$PORT_BASE
YS_PORT_MEMORY=$((PORT_BASE + 1))
YS_PORT_REDIS=$((PORT_BASE + 2))
YS_PORT_POSTGRES=$((PORT_BASE + 3))

# RUN_ID names this run's scratch database and Redis key prefixes.
RUN_ID="$(date +%s)_$$"

# HOT_CODE is benchdata.HotCode(); S5_ALIAS names the link of scenario 5.
HOT_CODE=b000000
S5_ALIAS=s5-summary

check_config() {
  local name
  for name in DURATION CONNECTIONS THREADS CODES L1_SIZE S5_CLICKS S5_DAYS S5_CACHE_TTL S5_CONNECTIONS S6_DURATION \
    PORT_BASE DRAIN_TIMEOUT DRAIN_STABLE PG_STATS_DELAY; do
    [[ ${!name} =~ ^[0-9]+$ ]] || die "$name must be a whole number, got '${!name}'"
  done
  ((THREADS >= 1 && CONNECTIONS >= THREADS && S5_CONNECTIONS >= THREADS)) ||
    die "need 1 <= THREADS <= CONNECTIONS and S5_CONNECTIONS"
  ((CODES >= THREADS && CODES <= 1000000)) || die "CODES must be between THREADS and 1000000"
  ((DURATION >= 1 && DURATION <= 600)) || die "DURATION must be 1-600 seconds"
  ((S6_DURATION >= 1 && S6_DURATION <= 600)) || die "S6_DURATION must be 1-600 seconds"
  ((L1_SIZE < CODES)) || log "warning: L1_SIZE ($L1_SIZE) >= CODES ($CODES): scenario 2 will hit the L1"
  local m s
  for m in $MODES; do
    [[ $m == embedded || $m == pgredis ]] || die "MODES: unknown mode '$m' (embedded, pgredis)"
  done
  for s in $SCENARIOS; do
    [[ $s =~ ^[1-6]$ ]] || die "SCENARIOS: unknown scenario '$s' (1-6)"
  done
}

# wants_scenario N reports whether scenario N is to run.
wants_scenario() { [[ " $SCENARIOS " == *" $1 "* ]]; }
wants_mode() { [[ " $MODES " == *" $1 "* ]]; }

# shellcheck shell=bash
# scenarios.sh: the scenarios of issues 8 and 19, each run against its
# yardstick(s) and then the service, one after the other. Sourced by
# run.sh.

# R holds every figure the goals are checked against, keyed
# "S<n>.<mode>.<server>.<figure>", e.g. R[S1.pgredis.shortener.rps].
declare -A R=()
ROWS=()
NOTES=()

ms() { awk -v us="$1" 'BEGIN { printf "%.2f", us / 1000 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else printf "-" }'; }

# record SCENARIO SERVER RATIO CLICKS adds the last wrk run (W) as a table
# row and keeps its figures in R.
record() {
  local s=$1 server=$2 ratio=$3 clicks=$4 key="S$1.$MODE.$2"
  R[$key.rps]=${W[rps]}
  R[$key.p50]=${W[p50_us]}
  R[$key.p95]=${W[p95_us]}
  R[$key.p99]=${W[p99_us]}
  R[$key.ratio]=$ratio
  ROWS+=("S$s|$MODE|$server|${W[rps]}|$(ms "${W[p50_us]}")|$(ms "${W[p95_us]}")|$(ms "${W[p99_us]}")|$ratio|$clicks")
  if ((W[socket_errors] > 0)); then
    NOTES+=("S$s $MODE $server: ${W[socket_errors]} socket errors or timeouts")
  fi
}

# expect_status_errors N: warns when wrk counted a different number of
# 4xx/5xx answers than N.
expect_status_errors() {
  local want=$1 s=$2 server=$3
  if ((W[status_errors] != want)); then
    NOTES+=("S$s $MODE $server: ${W[status_errors]} answers of 400 or more, expected $want")
  fi
}

# run_yardstick SCENARIO KIND SCRIPT PATH [RATIO] runs the scenario against
# one yardstick and records it; RATIO is 1.00 for the reference yardstick,
# "-" for another shown for comparison.
run_yardstick() {
  local s=$1 kind=$2 script=$3 path=$4 ratio=${5:-1.00}
  run_wrk "s$s-yardstick-$kind" "$script" "$(yardstick_url "$kind")$path"
  expect_status_errors "$([[ $s == 3 ]] && echo "${W[requests]}" || echo 0)" "$s" "yardstick-$kind"
  record "$s" "yardstick-$kind" "$ratio" -
}

# run_redirects SCENARIO SCRIPT PATH REFERENCE runs a redirect scenario
# against the service with the click check, and records it with its ratio
# to the REFERENCE yardstick's req/s.
run_redirects() {
  local s=$1 script=$2 path=$3 ref=$4
  click_snapshot
  run_wrk "s$s-shortener" "$script" "$(service_url)$path"
  LAST_SERVICE_LOAD=$SECONDS
  expect_status_errors 0 "$s" shortener
  click_check "${W[requests]}"
  R[S$s.$MODE.shortener.lost]=$CLICK_LOST
  R[S$s.$MODE.shortener.range_ok]=$CLICK_RANGE_OK
  R[S$s.$MODE.shortener.drain]=$DRAIN_SECONDS
  record "$s" shortener "$(ratio "${W[rps]}" "${R[S$s.$MODE.yardstick-$ref.rps]}")" "$CLICK_NOTE"
  if ((CLICK_LOST == 0)); then
    NOTES+=("S$s $MODE: the click pipeline caught up ${DRAIN_SECONDS}s after the run")
  else
    NOTES+=("S$s $MODE: stored clicks stopped short of the redirects; gave up after ${DRAIN_SECONDS}s")
  fi
}

# Scenario 1: one hot code, an L1 hit; analytics on (every redirect a click).
scenario_1() {
  run_yardstick 1 memory hot.lua "/$HOT_CODE"
  run_redirects 1 hot.lua "/$HOT_CODE" memory
}

# Scenario 2: rotating over CODES codes with a smaller L1: the Redis path
# (PostgreSQL + Redis) or the SQLite path (embedded). On PostgreSQL + Redis
# the service's Redis cache is warmed first with one HEAD per code, which
# records no click, as the Redis yardstick's keys are there before it
# starts. (Warming the embedded mode's L1 would be undone by the walk.)
scenario_2() {
  local ref=memory
  if [[ $MODE == pgredis ]]; then
    ref=redis
    run_yardstick 2 redis rotate.lua ""
    run_yardstick 2 postgres rotate.lua "" -
    log "warming the service's Redis cache"
    "$WORK/bin/seed" warm -url "$(service_url)" -n "$CODES" >&2 || die "warming failed"
  else
    run_yardstick 2 memory rotate.lua ""
  fi
  run_redirects 2 rotate.lua "" "$ref"
  R[S2.$MODE.rss]=$(service_rss_mb)
  NOTES+=("S2 $MODE: service RSS after the scenario: ${R[S2.$MODE.rss]} MB")
}

# Scenario 3: a flood of random unknown codes. On PostgreSQL it also counts
# the lookups that reached the database.
scenario_3() {
  run_yardstick 3 memory notfound.lua ""
  settle_pg_stats
  local lookups0 answered0
  lookups0=$(code_lookups)
  answered0=$(metric 'shortener_redirects_total{status="404"}')
  run_wrk s3-shortener notfound.lua "$(service_url)"
  LAST_SERVICE_LOAD=$SECONDS
  expect_status_errors "${W[requests]}" 3 shortener
  local answered=$(($(metric 'shortener_redirects_total{status="404"}') - answered0))
  if ((answered < W[requests] || answered > W[requests] + CONNECTIONS)); then
    NOTES+=("S3 $MODE: the service counted $answered 404s for ${W[requests]} requests")
  fi
  record 3 shortener "$(ratio "${W[rps]}" "${R[S3.$MODE.yardstick-memory.rps]}")" -
  if [[ $MODE == pgredis ]]; then
    settle_pg_stats
    local lookups=$(($(code_lookups) - lookups0))
    R[S3.$MODE.db_lookups]=$lookups
    R[S3.$MODE.requests]=${W[requests]}
    NOTES+=("S3 $MODE: $lookups of ${W[requests]} unknown-code requests reached PostgreSQL ($(ratio $((lookups * 100)) "${W[requests]}")%)")
  else
    NOTES+=("S3 $MODE: database lookups not measured (SQLite keeps no statistics)")
  fi
}

# Scenario 4: authenticated link creation, each request a new link,
# against a yardstick that does one primary-key INSERT per request on the
# same database engine (PostgreSQL, or a SQLite file in the mode's
# directory with the service's settings).
scenario_4() {
  local ref=postgres
  [[ $MODE == pgredis ]] || ref=sqlite
  run_wrk "s4-yardstick-$ref" create.lua "$(yardstick_url "$ref")" BENCH_TOKEN="$TOKEN"
  expect_status_errors 0 4 "yardstick-$ref"
  record 4 "yardstick-$ref" 1.00 -
  run_wrk s4-shortener create.lua "$(service_url)" BENCH_TOKEN="$TOKEN"
  LAST_SERVICE_LOAD=$SECONDS
  expect_status_errors 0 4 shortener
  record 4 shortener "$(ratio "${W[rps]}" "${R[S4.$MODE.yardstick-$ref.rps]}")" -
}

# Scenario 5: the analytics summary of a link with S5_CLICKS clicks over
# S5_DAYS days, asked by its owner on S5_CONNECTIONS connections.
scenario_5() {
  local path="/api/v1/analytics/$S5_ALIAS/summary?days=$S5_DAYS"
  local total count
  # Planner statistics as autovacuum keeps them. The ones taken after
  # seeding saw the rollup tables holding the S5 link alone; S1 and S2 then
  # added rows for 100,000 other links, and until autoanalyze catches up
  # (up to a minute) PostgreSQL believes every row is the S5 link's and
  # scans the whole table (measured: 100-140 ms a query instead of 3).
  if [[ $MODE == pgredis ]]; then
    db_query "ANALYZE" >/dev/null
  fi
  total=$(api GET "$path" "" "$TOKEN" | jq -r .total_clicks)
  count=$(api GET "/api/v1/urls/$S5_ID" "" "$TOKEN" | jq -r .click_count)
  NOTES+=("S5 $MODE: summary total_clicks $total; link click_count $count (human clicks of $S5_CLICKS seeded)")
  [[ $total == "$count" ]] || NOTES+=("S5 $MODE: MISMATCH between the summary's total and the link's click_count")
  WRK_CONNECTIONS=$S5_CONNECTIONS run_wrk s5-shortener summary.lua "$(service_url)$path" BENCH_TOKEN="$TOKEN"
  LAST_SERVICE_LOAD=$SECONDS
  expect_status_errors 0 5 shortener
  record 5 shortener - -
  NOTES+=("S5 $MODE: measured on ${W[connections]} connections")
}

# Scenario 6: click ingest. Redirects walk over all CODES links for
# S6_DURATION seconds, each one a click, and the pipeline must keep up:
# the clicks stored per second and how long the backlog takes to drain
# once the load stops are the figures. No yardstick: the load is the
# redirects the service can answer, and the goal an absolute rate.
scenario_6() {
  local DURATION=$S6_DURATION
  click_snapshot
  run_wrk s6-shortener rotate.lua "$(service_url)"
  LAST_SERVICE_LOAD=$SECONDS
  expect_status_errors 0 6 shortener
  click_check "${W[requests]}"
  R[S6.$MODE.shortener.lost]=$CLICK_LOST
  R[S6.$MODE.shortener.range_ok]=$CLICK_RANGE_OK
  R[S6.$MODE.shortener.drain]=$DRAIN_SECONDS
  record 6 shortener - "$CLICK_NOTE"
  NOTES+=("S6 $MODE: ${W[rps]} clicks/s for ${DURATION}s over $CODES links; backlog drained ${DRAIN_SECONDS}s after the load stopped")
}

# note_service_log adds a note when the service logged warnings or errors
# (LOG_LEVEL=warn keeps everything else out of its log), with the count of
# each distinct message.
note_service_log() {
  local log_file="$MODE_DIR/service.log" count summary
  count=$(grep -c -E 'level=(WARN|ERROR)' "$log_file" || true)
  ((count > 0)) || return 0
  summary=$(grep -E 'level=(WARN|ERROR)' "$log_file" |
    sed -E 's/.*(level=[A-Z]+) msg=("[^"]*"|[^ ]*)( error=("[^"]*"|[^ ]*))?.*/\1 \2\3/' |
    sort | uniq -c | sort -rn | head -n 5 | awk '{ $1 = $1 "x"; print }' | paste -sd ';' -)
  NOTES+=("$MODE: the service logged $count warnings or errors: $summary")
}

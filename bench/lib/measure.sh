# shellcheck shell=bash
# measure.sh: one wrk run, the service's metrics, the database's click
# count, and the click check. Sourced by run.sh.

# W holds the figures of the last wrk run: requests, duration_us,
# status_errors, socket_errors, rps, p50_us, p95_us, p99_us.
declare -A W=()

# run_wrk LABEL SCRIPT URL [VAR=value...] runs wrk for DURATION seconds with
# a script from bench/wrk and the given environment for it, and fills W.
# It opens CONNECTIONS connections, or WRK_CONNECTIONS when that is set.
run_wrk() {
  local label=$1 script=$2 url=$3 conns=${WRK_CONNECTIONS:-$CONNECTIONS}
  shift 3
  local out="$MODE_DIR/wrk-$label.txt"
  log "wrk $label: $url (${DURATION}s, $conns connections, $THREADS threads)"
  if ! env "$@" BENCH_THREADS="$THREADS" BENCH_CODES="$CODES" \
    wrk -t"$THREADS" -c"$conns" -d"${DURATION}s" --timeout 5s \
    -s "$BENCH_DIR/wrk/$script" "$url" >"$out" 2>&1; then
    cat "$out" >&2
    die "wrk failed ($label)"
  fi
  check_service_alive
  local line word key value
  line=$(grep '^BENCH ' "$out" | tail -n 1) || die "wrk printed no BENCH line ($label): see $out"
  W=()
  for word in ${line#BENCH }; do
    key=${word%%=*}
    value=${word#*=}
    [[ $value =~ ^[0-9]+$ ]] || die "unexpected wrk output '$word' ($label)"
    W[$key]=$value
  done
  W[connections]=$conns
  W[socket_errors]=$((W[connect_errors] + W[read_errors] + W[write_errors] + W[timeouts]))
  W[rps]=$(awk -v n="${W[requests]}" -v us="${W[duration_us]}" 'BEGIN { printf "%.0f", (us > 0 ? n / (us / 1e6) : 0) }')
}

# metric NAME prints the value of one series of the service's /metrics,
# e.g. 'shortener_redirects_total{status="302"}', as an integer (0 when the
# series is not there yet).
metric() {
  curl -sf --max-time 5 "$(service_url)/metrics" |
    awk -v m="$1" '$1 == m { v = $2; found = 1 } END { printf "%.0f\n", found ? v : 0 }'
}

# db_query SQL prints the result of a query on the mode's database.
db_query() {
  if [[ $MODE == embedded ]]; then
    sqlite3 -cmd ".timeout 10000" "$DB_FILE" "$1"
  else
    psql "$DB_URL" -v ON_ERROR_STOP=1 -tAqc "$1"
  fi
}

# db_clicks prints the human clicks the database holds for all links.
db_clicks() { db_query "SELECT COALESCE(SUM(click_count), 0) FROM short_urls"; }

# code_lookups prints how many times PostgreSQL has looked a link up by
# its short code (scans of the short_code index), or "n/a" on SQLite,
# which keeps no such statistics.
code_lookups() {
  if [[ $MODE == embedded ]]; then
    echo n/a
    return
  fi
  db_query "SELECT COALESCE(SUM(idx_scan), 0) FROM pg_stat_user_indexes WHERE indexrelname = 'short_urls_domain_code_key'"
}

# settle_pg_stats waits until PostgreSQL has published the statistics of
# the service's last load: an idle backend flushes them within 10 s.
settle_pg_stats() {
  [[ $MODE == pgredis ]] || return 0
  local wait=$((PG_STATS_DELAY - (SECONDS - LAST_SERVICE_LOAD)))
  ((wait <= 0)) || sleep "$wait"
}

# REDIRECT_STATUSES are the statuses of a redirect: a link answers with its
# redirect_type (301, 302, 307 or 308), or 303 after a password form, and
# each GET answered so records a click.
REDIRECT_STATUSES="301 302 303 307 308"

# redirects_served prints the redirects the service has answered, of every
# redirect status, as an integer (0 before the first).
redirects_served() {
  curl -sf --max-time 5 "$(service_url)/metrics" |
    awk -v statuses="$REDIRECT_STATUSES" '
      BEGIN { n = split(statuses, s, " "); for (i = 1; i <= n; i++) want["shortener_redirects_total{status=\"" s[i] "\"}"] = 1 }
      $1 in want { v += $2 }
      END { printf "%.0f\n", v }'
}

# click_snapshot records the served redirects and stored clicks before a run.
click_snapshot() {
  SNAP_REDIRECTS=$(redirects_served)
  SNAP_CLICKS=$(db_clicks)
}

# click_check WRK_REQUESTS waits for the click pipeline to drain and checks
# that the clicks stored since click_snapshot equal the redirects the
# service answered (every redirect status, not only 302), and that those lie
# between wrk's completed requests and that plus the connection count
# (requests still in flight when wrk stopped). Sets CLICK_LOST (served -
# stored; negative means double-counted), CLICK_NOTE and DRAIN_SECONDS.
click_check() {
  local wrk_requests=$1
  local start=$SECONDS deadline=$((SECONDS + DRAIN_TIMEOUT))
  local served stored last=-1 changed=$SECONDS
  while :; do
    check_service_alive
    served=$(($(redirects_served) - SNAP_REDIRECTS))
    stored=$(($(db_clicks) - SNAP_CLICKS))
    ((stored != served)) || break
    if ((stored != last)); then
      last=$stored
      changed=$SECONDS
    elif ((SECONDS - changed >= DRAIN_STABLE)); then
      break # nothing moves any more: what is missing is lost
    fi
    ((SECONDS < deadline)) || break
    sleep 0.5
  done
  DRAIN_SECONDS=$((SECONDS - start))
  CLICK_LOST=$((served - stored))
  if ((CLICK_LOST > 0)); then
    CLICK_NOTE="$CLICK_LOST lost"
  elif ((CLICK_LOST < 0)); then
    CLICK_NOTE="$((-CLICK_LOST)) double"
  else
    CLICK_NOTE=0
  fi
  local high=$((wrk_requests + CONNECTIONS))
  if ((served < wrk_requests || served > high)); then
    CLICK_NOTE+=" (redirects $served not in wrk's [$wrk_requests, $high])"
    CLICK_RANGE_OK=0
  else
    CLICK_RANGE_OK=1
  fi
  log "clicks: served $served, stored $stored, wrk $wrk_requests, drained in ${DRAIN_SECONDS}s"
}

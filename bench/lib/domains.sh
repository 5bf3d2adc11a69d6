# shellcheck shell=bash
# domains.sh: the comparison of issue 18, with DOMAIN_BENCH=1: scenarios 1
# and 3 on a second domain against the default domain, each as the median
# of DOMAIN_ROUNDS interleaved rounds (yardstick, default, second domain;
# the order of the two service runs alternates), as ratios to the in-memory
# yardstick. Sourced by run.sh.

# BENCH_HOST2 is the second domain: its requests carry this Host header.
BENCH_HOST2=second.bench.example

# domain_promote makes the benchmark's user an admin (domain changes need
# one), with the service stopped, as the seeder writes the database.
domain_promote() {
  local -a vars
  mapfile -t vars < <(service_env "$MODE")
  (cd "$MODE_DIR" && env -i "${vars[@]}" "$WORK/bin/shortener" user promote "$BENCH_EMAIL" >>"$MODE_DIR/service.log" 2>&1) ||
    die "user promote failed"
}

# domain_setup adds the second domain and the hot code on it, with the
# same target as on the default domain.
domain_setup() {
  local admin
  admin=$(api POST /api/v1/auth/login "{\"email\":\"$BENCH_EMAIL\",\"password\":\"$BENCH_PASSWORD\"}" |
    jq -er .access_token) || die "login answered no access_token"
  api POST /api/v1/domains "{\"host\":\"$BENCH_HOST2\"}" "$admin" >/dev/null
  api POST /api/v1/urls "{\"original_url\":\"https://example.com/landing/000000\",\"custom_alias\":\"$HOT_CODE\",\"domain\":\"$BENCH_HOST2\"}" \
    "$admin" >/dev/null
}

median3() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# domain_compare SCENARIO runs the rounds of one scenario and keeps the
# median ratios in R[S<n>.<mode>.domain.default] and ...domain.second.
domain_compare() {
  local s=$1 script path round ys
  local -a def=() sec=()
  case $s in
    1) script=hot.lua path="/$HOT_CODE" ;;
    3) script=notfound.lua path="" ;;
  esac
  for ((round = 1; round <= DOMAIN_ROUNDS; round++)); do
    run_wrk "s$s-round$round-yardstick" "$script" "$(yardstick_url memory)$path"
    ys=${W[rps]}
    local order=(default second)
    ((round % 2 == 1)) || order=(second default)
    local which
    for which in "${order[@]}"; do
      if [[ $which == default ]]; then
        run_wrk "s$s-round$round-default" "$script" "$(service_url)$path"
        def+=("$(ratio "${W[rps]}" "$ys")")
      else
        run_wrk "s$s-round$round-second" "$script" "$(service_url)$path" BENCH_HOST="$BENCH_HOST2"
        sec+=("$(ratio "${W[rps]}" "$ys")")
      fi
      expect_status_errors "$([[ $s == 3 ]] && echo "${W[requests]}" || echo 0)" "$s" "shortener-$which"
    done
  done
  LAST_SERVICE_LOAD=$SECONDS
  R[S$s.$MODE.domain.default]=$(median3 "${def[@]}")
  R[S$s.$MODE.domain.second]=$(median3 "${sec[@]}")
  NOTES+=("S$s $MODE domains: ratio to the yardstick, default domain ${def[*]} (median ${R[S$s.$MODE.domain.default]}), second domain ${sec[*]} (median ${R[S$s.$MODE.domain.second]})")
}

domain_scenarios() {
  local s
  for s in 1 3; do
    if wants_scenario "$s"; then
      log "== S$s on a second domain, mode $MODE"
      domain_compare "$s"
    fi
  done
}

# print_domain_goals prints the goal of issue 18 for each compared scenario.
print_domain_goals() {
  local m s d2 d1
  for m in $MODES; do
    for s in 1 3; do
      has "S$s.$m.domain.second" || continue
      d1=${R[S$s.$m.domain.default]} d2=${R[S$s.$m.domain.second]}
      goal "S$s $m: second domain within 10% of the default" "$d2 >= 0.9 * $d1" "$d2 vs $d1 (medians of $DOMAIN_ROUNDS)"
    done
  done
}

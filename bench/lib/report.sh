# shellcheck shell=bash
# report.sh: the header, the table and the goals of issue 8. Sourced by
# run.sh.

print_header() {
  local commit
  commit=$(git -C "$REPO_DIR" rev-parse --short HEAD 2>/dev/null || echo unknown)
  if [[ -n $(git -C "$REPO_DIR" status --porcelain 2>/dev/null | head -n 1) ]]; then
    commit+=" (uncommitted changes)"
  fi
  cat <<HEADER

Load benchmark, $(date -u +%Y-%m-%dT%H:%M:%SZ), commit $commit
machine: $(nproc) cores, $(awk '/^MemTotal:/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo); wrk and the servers share the cores
command: $BENCH_COMMAND
settings: ${DURATION}s per run, $CONNECTIONS connections, $THREADS wrk threads; $CODES codes, L1_CACHE_SIZE=$L1_SIZE;
          S5: $S5_CLICKS clicks over $S5_DAYS days, $S5_CONNECTIONS connections, ANALYTICS_CACHE_TTL=$S5_CACHE_TTL
HEADER
}

print_table() {
  local fmt='%-3s %-9s %-19s %9s %9s %9s %9s %6s  %s\n'
  echo
  printf "$fmt" scn mode server req/s p50_ms p95_ms p99_ms ratio "clicks lost"
  local row
  for row in "${ROWS[@]}"; do
    IFS='|' read -r -a f <<<"$row"
    printf "$fmt" "${f[@]}"
  done
  echo
  echo "ratio: req/s over the yardstick's (S1, S3: in-memory; S2: Redis on pgredis, in-memory on embedded;"
  echo "       S4: one INSERT per request, PostgreSQL on pgredis, SQLite on embedded)."
  echo "clicks lost: redirects (301/302/303/307/308) the service counted minus clicks stored after the pipeline drained."
  local note
  for note in "${NOTES[@]}"; do
    echo "  - $note"
  done
}

GOALS_MISSED=0

# goal TEXT CONDITION DETAIL prints one goal line; CONDITION is an awk
# expression.
goal() {
  local text=$1 cond=$2 detail=$3 verdict=MISS
  if awk "BEGIN { exit !($cond) }"; then
    verdict=ok
  else
    GOALS_MISSED=$((GOALS_MISSED + 1))
  fi
  printf '  %-4s %-52s %s\n' "$verdict" "$text" "$detail"
}

has() { [[ -n ${R[$1]:-} ]]; }

print_goals() {
  echo
  echo "goals (issues 8 and 19):"
  local m svc ys
  for m in $MODES; do
    svc="S1.$m.shortener"
    ys="S1.$m.yardstick-memory"
    if has "$svc.rps"; then
      goal "S1 $m: req/s >= 0.8 x in-memory yardstick" "${R[$svc.ratio]} >= 0.8" "${R[$svc.ratio]}"
      goal "S1 $m: p99 <= 2 x yardstick p99" "${R[$svc.p99]} <= 2 * ${R[$ys.p99]}" \
        "$(ms "${R[$svc.p99]}") vs $(ms "${R[$ys.p99]}") ms"
      goal "S1 $m: 0 clicks lost" "${R[$svc.lost]} == 0 && ${R[$svc.range_ok]} == 1" "${R[$svc.lost]}"
    fi
    svc="S2.$m.shortener"
    if has "$svc.rps"; then
      [[ $m != pgredis ]] ||
        goal "S2 $m: req/s >= 0.8 x Redis yardstick" "${R[$svc.ratio]} >= 0.8" "${R[$svc.ratio]}"
      goal "S2 $m: 0 clicks lost" "${R[$svc.lost]} == 0 && ${R[$svc.range_ok]} == 1" "${R[$svc.lost]}"
      goal "S2 $m: RSS after scenario 2 < 300 MB" "${R[S2.$m.rss]} < 300" "${R[S2.$m.rss]} MB"
    fi
    svc="S3.$m.shortener"
    if has "$svc.rps"; then
      goal "S3 $m: req/s >= 0.8 x in-memory yardstick" "${R[$svc.ratio]} >= 0.8" "${R[$svc.ratio]}"
      ! has "S3.$m.db_lookups" ||
        goal "S3 $m: <= 1% of unknown codes reach the database" \
          "${R[S3.$m.db_lookups]} <= 0.01 * ${R[S3.$m.requests]}" "${R[S3.$m.db_lookups]} of ${R[S3.$m.requests]}"
    fi
    if has "S4.$m.shortener.rps"; then
      [[ $m != pgredis ]] ||
        goal "S4 $m: >= 2,000 links/s" "${R[S4.$m.shortener.rps]} >= 2000" "${R[S4.$m.shortener.rps]}/s"
      goal "S4 $m: links/s >= 0.5 x INSERT yardstick" "${R[S4.$m.shortener.ratio]} >= 0.5" "${R[S4.$m.shortener.ratio]}"
    fi
    if [[ $m == pgredis ]] && has "S5.$m.shortener.rps"; then
      goal "S5 $m: p95 < 50 ms" "${R[S5.$m.shortener.p95]} < 50000" "$(ms "${R[S5.$m.shortener.p95]}") ms"
    fi
    svc="S6.$m.shortener"
    if has "$svc.rps"; then
      [[ $m != pgredis ]] ||
        goal "S6 $m: ingest >= 20,000 clicks/s" "${R[$svc.rps]} >= 20000" "${R[$svc.rps]}/s"
      goal "S6 $m: backlog drained <= 10 s after the load" "${R[$svc.drain]} <= 10" "${R[$svc.drain]} s"
      goal "S6 $m: 0 clicks lost" "${R[$svc.lost]} == 0 && ${R[$svc.range_ok]} == 1" "${R[$svc.lost]}"
    fi
  done
  echo "  ($GOALS_MISSED missed; figures from a shared or busy machine are noisy)"
}

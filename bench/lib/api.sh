# shellcheck shell=bash
# api.sh: the few HTTP API calls the benchmark makes itself: an account, a
# token, and the link of scenario 5. Sourced by run.sh.

BENCH_EMAIL=bench@example.com
BENCH_PASSWORD=Bench-Passw0rd-42

# api METHOD PATH BODY [TOKEN] prints the response body; a status other
# than 2xx stops the benchmark with the body in the message.
api() {
  local method=$1 path=$2 body=$3 token=${4:-}
  local -a args=(-s --max-time 30 -X "$method" -o "$WORK/api-response" -w '%{http_code}')
  [[ -z $body ]] || args+=(-H 'Content-Type: application/json' --data "$body")
  [[ -z $token ]] || args+=(-H "Authorization: Bearer $token")
  local status
  status=$(curl "${args[@]}" "$(service_url)$path") || die "$method $path: no answer"
  [[ $status == 2?? ]] || die "$method $path: HTTP $status: $(cat "$WORK/api-response")"
  cat "$WORK/api-response"
}

# api_setup registers the benchmark's user, logs in (TOKEN) and creates the
# link of scenario 5, owned by that user (S5_ID).
api_setup() {
  api POST /api/v1/auth/register \
    "{\"email\":\"$BENCH_EMAIL\",\"password\":\"$BENCH_PASSWORD\",\"full_name\":\"Load benchmark\"}" >/dev/null
  TOKEN=$(api POST /api/v1/auth/login "{\"email\":\"$BENCH_EMAIL\",\"password\":\"$BENCH_PASSWORD\"}" |
    jq -er .access_token) || die "login answered no access_token"
  S5_ID=$(api POST /api/v1/urls \
    "{\"original_url\":\"https://example.com/summary\",\"custom_alias\":\"$S5_ALIAS\"}" "$TOKEN" |
    jq -er .id) || die "link creation answered no id"
}

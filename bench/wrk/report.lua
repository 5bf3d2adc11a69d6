-- report.lua: the done() that every benchmark script shares. It prints one
-- machine-readable line, which run.sh parses, after wrk's own summary:
--
--   BENCH requests=N duration_us=D connect_errors=.. read_errors=..
--         write_errors=.. timeouts=.. status_errors=.. p50_us=.. p95_us=..
--         p99_us=.. max_us=..
--
-- status_errors counts responses with a status of 400 or more (wrk's
-- "Non-2xx or 3xx responses"); requests counts every completed response.
local M = {}

-- Every request presents itself as a desktop browser. wrk sends no
-- User-Agent of its own, and the service counts a click without one as a
-- bot's, which click_count leaves out; the click check needs human clicks.
-- The yardstick gets the same header, so both parse the same request.
M.USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36"
wrk.headers["User-Agent"] = M.USER_AGENT

function M.done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d connect_errors=%d read_errors=%d write_errors=%d " ..
    "timeouts=%d status_errors=%d p50_us=%d p95_us=%d p99_us=%d max_us=%d\n",
    summary.requests, summary.duration, e.connect, e.read, e.write, e.timeout, e.status,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end

-- env returns the environment variable name, or default when it is unset
-- or empty. Scripts are configured through the environment because wrk
-- hands script arguments to init() only, not to the main chunk.
function M.env(name, default)
  local v = os.getenv(name)
  if v == nil or v == "" then
    return default
  end
  return v
end

-- Thread numbering: setup() runs in the main Lua state once per thread, in
-- order, before any thread starts; each thread's state gets its own id.
local next_id = 0
function M.setup(thread)
  thread:set("thread_id", next_id)
  next_id = next_id + 1
end

-- BENCH_HOST, when set, is the Host header of every request: the domain
-- comparison (DOMAIN_BENCH=1) sends the same load to a second domain.
local host = M.env("BENCH_HOST", "")
if host ~= "" then
  wrk.headers["Host"] = host
end

return M

-- create.lua: scenario 4, authenticated link creation: POST /api/v1/urls
-- with the bearer token in BENCH_TOKEN and a target URL that is new for
-- every request, so each one creates a link with a generated code.
-- Find report.lua next to this script, whatever directory wrk runs in.
package.path = (debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "?.lua;" .. package.path
local report = require("report")

local headers = {
  ["Content-Type"] = "application/json",
  ["Authorization"] = "Bearer " .. report.env("BENCH_TOKEN", ""),
  ["User-Agent"] = report.USER_AGENT,
}

setup = report.setup

local run, n = "", 0

function init(args)
  run = tostring(os.time())
end

function request()
  n = n + 1
  local body = string.format('{"original_url":"https://example.com/created/%s/%d/%d"}', run, thread_id, n)
  return wrk.format("POST", "/api/v1/urls", headers, body)
end

done = report.done

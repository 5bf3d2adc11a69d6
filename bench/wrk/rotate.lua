-- rotate.lua: scenario 2, requests walking over the benchmark's codes
-- (package benchdata: "b%06d", 0 <= i < BENCH_CODES). Each of the
-- BENCH_THREADS threads walks its own slice in order and starts it again at
-- the end, so a cache smaller than the code count keeps missing.
-- Find report.lua next to this script, whatever directory wrk runs in.
package.path = (debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "?.lua;" .. package.path
local report = require("report")

local codes = tonumber(report.env("BENCH_CODES", "100000"))
local threads = tonumber(report.env("BENCH_THREADS", "2"))

setup = report.setup

local first, last, i

function init(args)
  local share = math.floor(codes / threads)
  first = thread_id * share
  last = first + share - 1
  if thread_id == threads - 1 then
    last = codes - 1
  end
  i = first
end

function request()
  if i > last then
    i = first
  end
  local path = string.format("/b%06d", i)
  i = i + 1
  return wrk.format("GET", path)
end

done = report.done

-- notfound.lua: scenario 3, a flood of random unknown codes: "z" and six
-- random base62 characters, which no benchmark code starts with, so every
-- request is a code the server has most likely never seen before.
-- Find report.lua next to this script, whatever directory wrk runs in.
package.path = (debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "?.lua;" .. package.path
local report = require("report")

local alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

setup = report.setup

function init(args)
  -- Each thread its own sequence; a fixed one would repeat codes across
  -- threads and let a cache answer the second thread.
  math.randomseed(os.time() * 1000 + thread_id * 7919)
end

function request()
  local chars = {}
  for k = 1, 6 do
    local n = math.random(1, #alphabet)
    chars[k] = alphabet:sub(n, n)
  end
  return wrk.format("GET", "/z" .. table.concat(chars))
end

done = report.done

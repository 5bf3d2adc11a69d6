-- hot.lua: scenario 1, every request for the same code (an L1 cache hit in
-- the service). The code is in the URL given to wrk; with no request()
-- function wrk sends its prebuilt request, the cheapest load it can make.
-- Find report.lua next to this script, whatever directory wrk runs in.
package.path = (debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "?.lua;" .. package.path
local report = require("report")

done = report.done

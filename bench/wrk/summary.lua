-- summary.lua: scenario 5, the analytics summary of one link, asked by its
-- owner (bearer token in BENCH_TOKEN). The path, with the code and
-- ?days=30, is in the URL given to wrk; the request is wrk's prebuilt one.
-- Find report.lua next to this script, whatever directory wrk runs in.
package.path = (debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "?.lua;" .. package.path
local report = require("report")

wrk.headers["Authorization"] = "Bearer " .. report.env("BENCH_TOKEN", "")

done = report.done

-- Retry storm: every connection hammers the same few keys. Requests go in groups of
-- BENCH_STORM_GROUP per thread, spread over BENCH_STORM_KEYS keys; the next group moves
-- to fresh keys. Per key: one first execution, 409s while it is in flight, replays after.
dofile("common.lua")

local keys = tonumber(os.getenv("BENCH_STORM_KEYS") or "4")
local group = tonumber(os.getenv("BENCH_STORM_GROUP") or "64")

function request()
  counter = counter + 1
  return post(string.format("%s-storm-%d-%d", run_id, math.floor(counter / group), counter % keys))
end

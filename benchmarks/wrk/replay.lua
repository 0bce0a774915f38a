-- Replays: cycles over BENCH_REPLAY_KEYS keys that run.sh completed before the run
-- (named <BENCH_REPLAY_PREFIX>-<n>, same body), so every answer is a stored response.
dofile("common.lua")

local keys = tonumber(os.getenv("BENCH_REPLAY_KEYS") or "64")
local prefix = os.getenv("BENCH_REPLAY_PREFIX") or (run_id .. "-replay")

function request()
  counter = counter + 1
  return post(string.format("%s-%d", prefix, (counter + (tid or 0)) % keys))
end

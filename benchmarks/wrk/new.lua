-- New keys: every request carries a key never seen before (first execution).
-- Also the baseline, on the endpoint without @Idempotent (BENCH_PATH).
dofile("common.lua")

function request()
  return post(new_key())
end

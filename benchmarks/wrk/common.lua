-- Shared by every scenario script: request building, per-thread status counters and a
-- machine-readable summary line. Loaded with dofile() from the scenario scripts, so
-- wrk must run with benchmarks/wrk as its working directory (run.sh does).
--
-- Environment: BENCH_PATH (endpoint), BENCH_RUN_ID (prefix that makes keys unique
-- across runs), BENCH_TOKEN (bearer API key).

local path = os.getenv("BENCH_PATH") or "/api/v1/payments"
local token = os.getenv("BENCH_TOKEN") or "sk_test_merchant_a"
local body = '{"amount":10000,"currency":"USD","customerId":"cust-alice","description":"x"}'
run_id = os.getenv("BENCH_RUN_ID") or tostring(os.time())

local threads = {}
local next_tid = 1

-- main state: one call per thread before it starts
function setup(thread)
  thread:set("tid", next_tid)
  next_tid = next_tid + 1
  table.insert(threads, thread)
end

-- thread state
counter = 0
c2xx, c409, cother = 0, 0, 0

function init(args)
  math.randomseed(os.time() + (tid or 0) * 7919)
  seed = math.random(1, 1000000000)
end

function post(key)
  return wrk.format("POST", path, {
    ["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/json",
    ["Idempotency-Key"] = key,
  }, body)
end

-- a key nobody has used: run id, thread id, per-thread random seed and counter
function new_key()
  counter = counter + 1
  return string.format("%s-%d-%d-%d", run_id, tid, seed, counter)
end

function response(status, headers, resp_body)
  if status >= 200 and status < 300 then
    c2xx = c2xx + 1
  elseif status == 409 then
    c409 = c409 + 1
  else
    cother = cother + 1
  end
end

function done(summary, latency, requests)
  local ok, conflicts, other = 0, 0, 0
  for _, t in ipairs(threads) do
    ok = ok + t:get("c2xx")
    conflicts = conflicts + t:get("c409")
    other = other + t:get("cother")
  end
  local e = summary.errors
  local socket = e.connect + e.read + e.write + e.timeout
  io.write(string.format(
    "BENCH requests=%d rps=%.1f p50_us=%d p99_us=%d p999_us=%d ok=%d conflicts=%d other=%d socket=%d\n",
    summary.requests, summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(99), latency:percentile(99.9),
    ok, conflicts, other, socket))
end

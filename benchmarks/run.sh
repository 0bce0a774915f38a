#!/usr/bin/env bash
# Benchmark of the idempotency starter on the sample payments app: one command, prints a
# Markdown table. See benchmarks/README.md.
#
#   benchmarks/run.sh            # full run: sweep over 1 8 32 128 connections (~10 min)
#   benchmarks/run.sh --quick    # ~2.5 min: 8 and 32 connections, short runs
#   benchmarks/run.sh --soak     # heap soak: the mix at 32 connections for 10 min
#   benchmarks/run.sh --trivial  # only the trivial handler, on every store (~9 min)
#
# Environment (defaults in brackets): BENCH_DURATION [15s], BENCH_WARMUP [5s] (before
# every row), BENCH_JIT_WARMUP [15s] (each of three runs before the first row),
# BENCH_CONNECTIONS ["1 8 32 128"], BENCH_SCENARIOS ["baseline new new-tx replay mix
# storm degraded trivial"] (new: a new key per request, key and response committed apart
# from the payment; new-tx: the same in one transaction, the sample's default), BENCH_STORES (stores of the trivial rows, an app start each)
# ["in-memory redis jdbc two-layer"], BENCH_TRIVIAL_CONNECTIONS ["1 32"],
# BENCH_TRIVIAL_SCENARIOS ["baseline new replay"], BENCH_TRIVIAL_ROUNDS [3] (the
# scenarios run again this many times, in turn; the table shows medians), BENCH_ROUNDS [1]
# (the same for the payments scenarios at each connection count),
# BENCH_PG_DB [idempotency_bench],
# BENCH_JFR (a file: record the app with JFR from the end of its JIT warm-up; with
# several app starts, each writes <file>-<store>.jfr),
# BENCH_JAR (an app jar to measure instead of building this checkout's, for a before/after),
# BENCH_APP_ARGS (more arguments for the app, such as --spring.datasource.hikari.maximum-pool-size=20),
# BENCH_OUT (a file: where the table is written as well) [benchmarks/results/latest.md];
# for --soak: SOAK_DURATION [600] and SOAK_INTERVAL [60] in seconds, SOAK_CONNECTIONS [32].
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$BENCH_DIR")"
QUICK=0
SOAK=0
TRIVIAL_ONLY=0
case "${1:-}" in
  --quick) QUICK=1 ;;
  --soak) SOAK=1 ;;
  --trivial) TRIVIAL_ONLY=1 ;;
  "") ;;
  *) echo "usage: $0 [--quick|--soak|--trivial]" >&2 && exit 2 ;;
esac
if ((QUICK)); then
  DURATION="${BENCH_DURATION:-6s}"
  WARMUP="${BENCH_WARMUP:-2s}"
  CONNECTIONS="${BENCH_CONNECTIONS:-8 32}"
  JIT_WARMUP="${BENCH_JIT_WARMUP:-5s}"
else
  DURATION="${BENCH_DURATION:-15s}"
  WARMUP="${BENCH_WARMUP:-5s}"
  CONNECTIONS="${BENCH_CONNECTIONS:-1 8 32 128}"
  JIT_WARMUP="${BENCH_JIT_WARMUP:-15s}"
fi
if ((TRIVIAL_ONLY)); then
  SCENARIOS="${BENCH_SCENARIOS:-trivial}"
else
  SCENARIOS="${BENCH_SCENARIOS:-baseline new new-tx replay mix storm degraded trivial}"
fi
# The trivial handler (no database work) with and without @Idempotent, on each store: the
# starter's own cost. The app restarts per store (idempotency.store.type).
STORES="${BENCH_STORES:-in-memory redis jdbc two-layer}"
TRIVIAL_CONNECTIONS="${BENCH_TRIVIAL_CONNECTIONS:-1 32}"
TRIVIAL_SCENARIOS="${BENCH_TRIVIAL_SCENARIOS:-baseline new replay}"
TRIVIAL_ROUNDS="${BENCH_TRIVIAL_ROUNDS:-3}"
ROUNDS="${BENCH_ROUNDS:-1}"
PG_HOST=127.0.0.1
PG_PORT=5432
PG_USER=postgres
PG_DB="${BENCH_PG_DB:-idempotency_bench}"
if ((SOAK)); then
  OUT="${BENCH_OUT:-$BENCH_DIR/results/soak.md}"
else
  OUT="${BENCH_OUT:-$BENCH_DIR/results/latest.md}"
fi
REPLAY_KEYS=64
WORK="$(mktemp -d /tmp/idempotency-bench.XXXXXX)"
RESULTS="$WORK/results.tsv"
TRIVIAL_RESULTS="$WORK/trivial.tsv"
APP_PID=""
REDIS_PID=""
FLOOR_REDIS_PID=""

log() { echo "bench: $*" >&2; }

has() { [[ " $SCENARIOS " == *" $1 "* ]]; }
# any scenario of the main table (all but trivial)
has_main() { [[ -n "$(echo " $SCENARIOS " | sed 's/ trivial / /g' | tr -d ' ')" ]]; }

cleanup() {
  if [[ -n "$APP_PID" ]] && kill -0 "$APP_PID" 2>/dev/null; then
    kill "$APP_PID" 2>/dev/null || true
    wait "$APP_PID" 2>/dev/null || true
  fi
  local pid
  for pid in "$REDIS_PID" "$FLOOR_REDIS_PID"; do
    if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
    fi
  done
}
trap cleanup EXIT

# --- tools ------------------------------------------------------------------------------
need_install=()
command -v wrk >/dev/null || need_install+=(wrk)
command -v redis-server >/dev/null || need_install+=(redis-server)
command -v redis-benchmark >/dev/null || need_install+=(redis-tools)
command -v psql >/dev/null || need_install+=(postgresql-client)
command -v pgbench >/dev/null || need_install+=(postgresql-contrib)
command -v curl >/dev/null || need_install+=(curl)
if ((${#need_install[@]})); then
  log "installing ${need_install[*]} from Debian's packages"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_install[@]}") >&2
fi

# --- servers ----------------------------------------------------------------------------
# PostgreSQL: the machine's shared server (started by services.sh when present). Redis: a
# private redis-server on a free port, so the degraded scenario can stop it without
# touching the shared one other processes use.
if [[ -x /work/shared/services.sh ]]; then
  eval "$(/work/shared/services.sh)"
fi
pg_isready -h "$PG_HOST" -p "$PG_PORT" -q || {
  log "PostgreSQL is not reachable on $PG_HOST:$PG_PORT (user $PG_USER, trust auth needed)"
  exit 1
}
if ! psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d "$PG_DB" -qAtc 'select 1' >/dev/null 2>&1; then
  log "creating database $PG_DB"
  psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -qc "CREATE DATABASE $PG_DB" >/dev/null
fi

free_port() {
  local port
  for port in $(seq "$1" $(($1 + 200))); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  log "no free port from $1"
  return 1
}

REDIS_PORT="$(free_port 16379)"
start_redis() {
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no \
    --logfile "$WORK/redis.log" --daemonize no </dev/null >/dev/null 2>&1 &
  REDIS_PID=$!
  for _ in $(seq 1 50); do
    redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break
    sleep 0.1
  done
  redis-cli -p "$REDIS_PORT" ping >/dev/null
}
start_redis

# --- the app ----------------------------------------------------------------------------
if [[ -n "${BENCH_JAR:-}" ]]; then
  JAR="$BENCH_JAR"   # another build of the app (a "before"), measured by this script
  log "using the app in $JAR"
else
  JAR="$ROOT/sample-payments-app/target/sample-payments-app.jar"
  log "building the sample app"
  (cd "$ROOT" && ./mvnw -B -q -pl sample-payments-app -am package -DskipTests) >&2
fi

APP_PORT="$(free_port 18080)"
BASE="http://127.0.0.1:$APP_PORT"
JFR_FILE=""

# start_app <label> [app arguments...]: the sample app, healthy, on APP_PORT
start_app() {
  local label="$1"
  shift
  JFR_FILE=""
  if [[ -n "${BENCH_JFR:-}" ]]; then
    # one file per app start when several are planned
    local starts=0
    has_main && starts=1
    has trivial && ! ((SOAK)) && starts=$((starts + $(echo $STORES | wc -w)))
    if ((starts > 1)); then
      JFR_FILE="${BENCH_JFR%.jfr}-$label.jfr"
    else
      JFR_FILE="$BENCH_JFR"
    fi
  fi
  log "starting the app on port $APP_PORT (Redis on $REDIS_PORT, PostgreSQL $PG_DB)${*:+: $*}"
  java -Xms1g -Xmx1g -jar "$JAR" \
    --server.port="$APP_PORT" \
    --payments.gateway.latency=0 \
    --payments.benchmark-endpoints.enabled=true \
    --spring.datasource.url="jdbc:postgresql://$PG_HOST:$PG_PORT/$PG_DB" \
    --spring.datasource.username="$PG_USER" \
    --spring.datasource.password=postgres \
    --spring.data.redis.url="redis://127.0.0.1:$REDIS_PORT" \
    --logging.level.dev.idempotency=warn \
    "$@" \
    ${BENCH_APP_ARGS:-} \
    </dev/null >"$WORK/app-$label.log" 2>&1 &
  APP_PID=$!
  for _ in $(seq 1 180); do
    curl -sf "$BASE/actuator/health" >/dev/null 2>&1 && break
    kill -0 "$APP_PID" 2>/dev/null || { log "the app died:"; tail -50 "$WORK/app-$label.log" >&2; exit 1; }
    sleep 1
  done
  curl -sf "$BASE/actuator/health" >/dev/null || { log "the app is not healthy"; tail -50 "$WORK/app-$label.log" >&2; exit 1; }
}

# Recording starts after the JIT warm-up, so the profile is the steady state.
start_jfr() {
  if [[ -n "$JFR_FILE" ]]; then
    log "JFR recording (settings=profile) to $JFR_FILE"
    jcmd "$APP_PID" JFR.start name=bench settings=profile filename="$JFR_FILE" >/dev/null
  fi
}

stop_app() {
  if [[ -n "$JFR_FILE" ]]; then
    jcmd "$APP_PID" JFR.stop name=bench >/dev/null || log "could not stop the JFR recording"
  fi
  kill "$APP_PID" 2>/dev/null || true
  wait "$APP_PID" 2>/dev/null || true
  APP_PID=""
}

# --- scenarios --------------------------------------------------------------------------
export BENCH_TOKEN=sk_test_merchant_a BENCH_REPLAY_KEYS="$REPLAY_KEYS"
RUN_ID="r$(date +%s)"
export BENCH_REPLAY_PREFIX="$RUN_ID-replay"
TRIVIAL_PATH=/api/v1/benchmark/trivial
BODY='{"amount":10000,"currency":"USD","customerId":"cust-alice","description":"x"}'

# precreate_replay_keys [path]: completes the keys replay.lua cycles over
precreate_replay_keys() {
  local path="${1:-/api/v1/payments}" n status
  for n in $(seq 0 $((REPLAY_KEYS - 1))); do
    status="$(curl -s -o /dev/null -w '%{http_code}' -X POST "$BASE$path" \
      -H "Authorization: Bearer $BENCH_TOKEN" -H 'Content-Type: application/json' \
      -H "Idempotency-Key: $BENCH_REPLAY_PREFIX-$n" -d "$BODY")"
    [[ "$status" == 201 ]] || { log "creating replay key $n answered $status"; exit 1; }
  done
}

# wrk_run <label> <script> <path> <connections> <duration> -> prints the BENCH line
wrk_run() {
  local label="$1" script="$2" path="$3" conns="$4" duration="$5" threads=2
  ((conns < threads)) && threads="$conns"
  (cd "$BENCH_DIR/wrk" && BENCH_PATH="$path" BENCH_RUN_ID="$RUN_ID-$label-$conns" \
    wrk -t"$threads" -c"$conns" -d"$duration" --timeout 10s --latency -s "$script" "$BASE") \
    >"$WORK/$label-$conns.txt" 2>&1 || { log "wrk failed:"; cat "$WORK/$label-$conns.txt" >&2; exit 1; }
  grep '^BENCH ' "$WORK/$label-$conns.txt"
}

# measure <scenario> <script> <path> <connections> <round>: warm-up, then the measured run
measure() {
  local scenario="$1" script="$2" path="$3" conns="$4" round="$5" line
  log "$scenario, $conns connections, round $round: warm-up $WARMUP, then $DURATION (load average $(cut -d' ' -f1 /proc/loadavg))"
  wrk_run "$scenario-warmup" "$script" "$path" "$conns" "$WARMUP" >/dev/null
  line="$(wrk_run "$scenario-$round" "$script" "$path" "$conns" "$DURATION")"
  echo "- $scenario $conns $round ${line#BENCH }" >>"$RESULTS"
}

# trivial_store <store>: the trivial handler without and with @Idempotent on one store,
# in an app started for it; rows interleaved per connection count like the main table.
trivial_store() {
  local store="$1" conns scenario line round
  # Separate commits on every store, so the rows compare the stores alone.
  start_app "$store" --idempotency.store.type="$store" --idempotency.atomicity=separate
  export BENCH_REPLAY_PREFIX="$RUN_ID-$store-trivial-replay"
  precreate_replay_keys "$TRIVIAL_PATH"
  log "$store: JIT warm-up of the trivial handler, $JIT_WARMUP per scenario"
  wrk_run "jit-trivial-plain-$store" new.lua "$TRIVIAL_PATH/plain" 32 "$JIT_WARMUP" >/dev/null
  wrk_run "jit-trivial-new-$store" new.lua "$TRIVIAL_PATH" 32 "$JIT_WARMUP" >/dev/null
  wrk_run "jit-trivial-replay-$store" replay.lua "$TRIVIAL_PATH" 32 "$JIT_WARMUP" >/dev/null
  start_jfr
  for conns in $TRIVIAL_CONNECTIONS; do
    for round in $(seq 1 "$TRIVIAL_ROUNDS"); do
    for scenario in $TRIVIAL_SCENARIOS; do
      log "trivial $scenario on $store, $conns connections, round $round: warm-up $WARMUP, then $DURATION (load average $(cut -d' ' -f1 /proc/loadavg))"
      case "$scenario" in
        baseline) set -- new.lua "$TRIVIAL_PATH/plain" ;;
        new) set -- new.lua "$TRIVIAL_PATH" ;;
        replay) set -- replay.lua "$TRIVIAL_PATH" ;;
        *) log "unknown trivial scenario $scenario" && exit 1 ;;
      esac
      wrk_run "trivial-$scenario-$store-warmup" "$1" "$2" "$conns" "$WARMUP" >/dev/null
      line="$(wrk_run "trivial-$scenario-$store-$round" "$1" "$2" "$conns" "$DURATION")"
      echo "$store $scenario $conns $round ${line#BENCH }" >>"$TRIVIAL_RESULTS"
    done
    done
  done
  stop_app
}

stop_redis() {
  log "stopping the private Redis: the store runs on PostgreSQL alone"
  kill "$REDIS_PID"
  wait "$REDIS_PID" 2>/dev/null || true
  REDIS_PID=""
  # the first requests find Redis gone and open the store's breaker
  local i
  for i in $(seq 1 20); do
    curl -s -o /dev/null -X POST "$BASE/api/v1/payments" -H "Authorization: Bearer $BENCH_TOKEN" \
      -H 'Content-Type: application/json' -H "Idempotency-Key: $RUN_ID-degraded-probe-$i" -d "$BODY"
  done
}

# --- soak -------------------------------------------------------------------------------
# The realistic mix for SOAK_DURATION; every SOAK_INTERVAL the live heap (reachable objects after
# a full GC, so garbage not yet collected does not count), the process's RSS and its
# threads. A leak shows as a live heap that keeps growing after the first minutes.
soak() {
  local duration="${SOAK_DURATION:-600}" interval="${SOAK_INTERVAL:-60}" conns="${SOAK_CONNECTIONS:-32}"
  local samples="$WORK/soak.tsv" started elapsed wrk_pid live rss threads
  log "soak: the mix at $conns connections for ${duration}s, a heap sample every ${interval}s"
  wrk_run soak-warmup mix.lua /api/v1/payments "$conns" 30s >/dev/null
  heap_sample 0 >"$samples"
  wrk_run soak mix.lua /api/v1/payments "$conns" "${duration}s" >"$WORK/soak-wrk.txt" &
  wrk_pid=$!
  started=$SECONDS
  while kill -0 "$wrk_pid" 2>/dev/null; do
    sleep "$interval"
    elapsed=$((SECONDS - started))
    ((elapsed <= duration)) || break
    heap_sample "$elapsed" >>"$samples"
  done
  wait "$wrk_pid"
  heap_sample "$((SECONDS - started))" >>"$samples"
  soak_report "$samples" "$conns" "$duration" | tee "$OUT"
}

# heap_sample <seconds>: "<seconds> <live heap KiB> <RSS KiB> <threads>"
heap_sample() {
  # the class histogram collects first and counts reachable objects only (a G1 "used"
  # figure, even right after GC.run, counts whole regions)
  live="$(jcmd "$APP_PID" GC.class_histogram | awk '/^Total/ { printf "%d", $3 / 1024 }')"
  rss="$(awk '/^VmRSS/ { print $2 }' "/proc/$APP_PID/status")"
  threads="$(awk '/^Threads/ { print $2 }' "/proc/$APP_PID/status")"
  echo "$1 $live $rss $threads"
}

soak_report() {
  local samples="$1" conns="$2" duration="$3" line
  line="$(grep '^BENCH ' "$WORK/soak-wrk.txt")"
  echo "### Heap soak, $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "The mix (90% new keys, 10% retries) at $conns connections for ${duration}s, after a 30 s warm-up;" \
    "-Xmx1g; live heap = reachable objects after a full GC (\`jcmd GC.class_histogram\`)."
  echo
  echo "| time | live heap MiB | RSS MiB | threads |"
  echo "| ---: | ---: | ---: | ---: |"
  awk '{ printf "| %d:%02d | %.1f | %.0f | %d |\n", $1 / 60, $1 % 60, $2 / 1024, $3 / 1024, $4 }' "$samples"
  echo
  echo "$line" | awk '{ for (i = 2; i <= NF; i++) { split($i, p, "="); v[p[1]] = p[2] }
    printf "Load: %d requests, %.0f req/s, p99 %.2f ms, %d answered 409, %d errors.\n",
      v["requests"], v["rps"], v["p99_us"] / 1000, v["conflicts"], v["other"] + v["socket"] }'
  # The first minutes fill the app's bounded caches (the simulated gateway remembers its
  # last 100,000 keys); from a third of the run on, the live heap must stay flat.
  awk -v from="$((duration / 3))" '$1 >= from && !seen { first = $2; at = $1; seen = 1 } { last = $2 } END {
    growth = (first > 0) ? (last - first) * 100 / first : 0
    printf "Live heap from %d:%02d to the end: %.1f to %.1f MiB (%+.1f%%).\n",
      at / 60, at % 60, first / 1024, last / 1024, growth }' "$samples"
}

if ((SOAK)); then
  start_app main
  start_jfr
  soak
  stop_app
  exit 0
fi

: >"$RESULTS"
: >"$TRIVIAL_RESULTS"
if has_main; then
start_app main
if has replay; then
  precreate_replay_keys
fi
# JIT warm-up of every code path before the first measurement: on 2 cores C2 needs tens of
# seconds, and the first scenario measured would otherwise pay for it.
log "JIT warm-up: new keys on both endpoints and replays, $JIT_WARMUP each"
wrk_run jit-baseline new.lua /api/v1/benchmark/payments 32 "$JIT_WARMUP" >/dev/null
wrk_run jit-new new.lua /api/v1/benchmark/payments/separate 32 "$JIT_WARMUP" >/dev/null
wrk_run jit-new-tx new.lua /api/v1/payments 32 "$JIT_WARMUP" >/dev/null
if has replay; then
  wrk_run jit-replay replay.lua /api/v1/payments 32 "$JIT_WARMUP" >/dev/null
fi
start_jfr
# Scenarios interleaved per connection count, so that noise from other processes on the
# machine drifts over all of them alike; the degraded path last, after Redis is stopped.
for conns in $CONNECTIONS; do
  for round in $(seq 1 "$ROUNDS"); do
  for scenario in $SCENARIOS; do
    case "$scenario" in
      baseline) measure baseline new.lua /api/v1/benchmark/payments "$conns" "$round" ;;
      new) measure new new.lua /api/v1/benchmark/payments/separate "$conns" "$round" ;;
      new-tx) measure new-tx new.lua /api/v1/payments "$conns" "$round" ;;
      replay) measure replay replay.lua /api/v1/payments "$conns" "$round" ;;
      mix) measure mix mix.lua /api/v1/payments "$conns" "$round" ;;
      storm) measure storm storm.lua /api/v1/payments "$conns" "$round" ;;
      degraded | trivial) ;;
      *) log "unknown scenario $scenario" && exit 1 ;;
    esac
  done
  done
done
if has degraded; then
  stop_redis
  for conns in $CONNECTIONS; do
    measure degraded new.lua /api/v1/payments "$conns" 1
  done
fi
stop_app
fi

# --- trivial handler, per store ---------------------------------------------------------
if has trivial; then
  [[ -n "$REDIS_PID" ]] || start_redis
  for store in $STORES; do
    trivial_store "$store"
  done
fi

# --- physical floor ---------------------------------------------------------------------
FLOOR="$WORK/floor.txt"
: >"$FLOOR"
if has_main; then
FLOOR_REDIS_PORT="$(free_port 26379)"
redis-server --port "$FLOOR_REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no \
  --logfile "$WORK/redis-floor.log" --daemonize no </dev/null >/dev/null 2>&1 &
FLOOR_REDIS_PID=$!
for _ in $(seq 1 50); do
  redis-cli -p "$FLOOR_REDIS_PORT" ping >/dev/null 2>&1 && break
  sleep 0.1
done
log "physical floor: redis-benchmark SET NX PX, 32 clients"
redis-benchmark -p "$FLOOR_REDIS_PORT" -n 100000 -c 32 -r 1000000 -q \
  SET 'key:__rand_int__' v NX PX 30000 2>/dev/null | tr '\r' '\n' | grep 'requests per second' | tail -1 \
  | sed -E 's/.*: ([0-9.]+) requests per second, p50=([0-9.]+) msec.*/redis_set_nx \1 \2/' >>"$FLOOR" || true
log "physical floor: pgbench INSERT ... ON CONFLICT DO NOTHING, 32 clients, 10 s"
psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d "$PG_DB" -qc \
  'CREATE TABLE IF NOT EXISTS bench_keys (k bigint PRIMARY KEY)' >/dev/null
pgbench -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -n -c 32 -j 2 -T 10 \
  -f "$BENCH_DIR/pgbench/insert-on-conflict.sql" "$PG_DB" >"$WORK/pgbench.txt" 2>&1 || true
awk '/^latency average/ {lat=$4} /^tps/ {tps=$3} END {if (tps) print "pg_insert_on_conflict", tps, lat}' \
  "$WORK/pgbench.txt" >>"$FLOOR"
psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d "$PG_DB" -qc 'DROP TABLE IF EXISTS bench_keys' >/dev/null
fi

# --- report -----------------------------------------------------------------------------
report() {
  echo "### Idempotency starter benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "$(nproc) cores, wrk/app/Redis/PostgreSQL on one machine; warm-up $WARMUP, then $DURATION per row;" \
    "gateway latency 0. ×base: ratio to the baseline at the same connections."
  echo
  if ((ROUNDS > 1)); then
    echo "$ROUNDS rounds of the scenarios in turn at each connection count: figures are medians over the rounds;" \
      "×base is the median of each round's ratio to the baseline of the same connections and round; 409 and" \
      "errors are totals."
    echo
  fi
  median_table main "$RESULTS"
  echo
  echo "Physical floor (same machine, 32 clients):"
  echo
  echo "| round trip | ops/s | latency |"
  echo "| --- | ---: | ---: |"
  awk '
    $1 == "redis_set_nx" { printf "| Redis `SET k v NX PX 30000` (redis-benchmark) | %.0f | p50 %s ms |\n", $2, $3 }
    $1 == "pg_insert_on_conflict" { printf "| PostgreSQL `INSERT ... ON CONFLICT DO NOTHING` commit (pgbench) | %.0f | avg %s ms |\n", $2, $3 }
  ' "$FLOOR"
}

# The trivial table: ratios to the trivial baseline (the same handler without
# @Idempotent) measured in the same app, at the same connections, in the same round (the
# rows next to each other in time), then the median over the rounds; req/s and latencies
# are medians over the rounds too.
trivial_report() {
  echo
  echo "Trivial handler (no database work; a small JSON body in, 201 and a small JSON body out): \`baseline\` is" \
    "the handler without @Idempotent, \`new\` a new key per request, \`replay\` cycles over $REPLAY_KEYS completed" \
    "keys; one app start per store (\`idempotency.store.type\`); $TRIVIAL_ROUNDS rounds of the scenarios in turn." \
    "Figures are medians over the rounds; ×base is the median of each round's ratio to the trivial baseline of the" \
    "same store, connections and round; 409 and errors are totals."
  echo
  median_table trivial "$TRIVIAL_RESULTS"
}

# median_table <main|trivial> <results>: lines "<store or -> <scenario> <conns> <round>
# k=v...", a row per store, scenario and connections; ratios to the baseline measured in
# the same app, at the same connections, in the same round (the rows next to each other
# in time), then the median over the rounds; req/s and latencies are medians over the
# rounds too. The main table has no store column.
median_table() {
  awk -v kind="$1" '
    function ms(us) { return sprintf("%.2f", us / 1000) }
    function ratio(list) { return (list != "") ? sprintf("%.2f", median(list)) : "-" }
    function median(list,    a, n, i, j, t) {
      n = split(substr(list, 2), a, ",")
      for (i = 2; i <= n; i++) { t = a[i] + 0; for (j = i - 1; j >= 1 && a[j] + 0 > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
      return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    }
    {
      st = $1; s = $2; c = $3; r = $4
      delete v
      for (i = 5; i <= NF; i++) { split($i, p, "="); v[p[1]] = p[2] }
      k = st SUBSEP s SUBSEP c
      if (!(k in seen)) { seen[k] = 1; order[++n] = k }
      rps[k] = rps[k] "," v["rps"]; p50[k] = p50[k] "," v["p50_us"]; p99[k] = p99[k] "," v["p99_us"]
      p999[k] = p999[k] "," v["p999_us"]; c409[k] += v["conflicts"]; err[k] += v["other"] + v["socket"]
      val[k, r, "rps"] = v["rps"]; val[k, r, "p50"] = v["p50_us"]; val[k, r, "p99"] = v["p99_us"]; rs[k] = rs[k] "," r
    }
    END {
      if (kind == "main") {
        print "| scenario | conns | req/s | req/s ×base | p50 ms | p99 ms | p99.9 ms | p99 ×base | 409 | errors |"
        print "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
      } else {
        print "| store | scenario | conns | req/s | req/s ×base | p50 ms | p50 ×base | p99 ms | p99.9 ms | p99 ×base | 409 | errors |"
        print "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
      }
      for (i = 1; i <= n; i++) {
        k = order[i]; split(k, f, SUBSEP); b = f[1] SUBSEP "baseline" SUBSEP f[3]
        rr = r50 = r99 = ""
        m = split(substr(rs[k], 2), rl, ",")
        for (j = 1; j <= m; j++) {
          x = rl[j]
          if ((b, x, "rps") in val && val[b, x, "rps"] > 0) {
            rr = rr "," val[k, x, "rps"] / val[b, x, "rps"]
            r50 = r50 "," val[k, x, "p50"] / val[b, x, "p50"]
            r99 = r99 "," val[k, x, "p99"] / val[b, x, "p99"]
          }
        }
        if (kind == "main") {
          printf "| %s | %s | %.0f | %s | %s | %s | %s | %s | %d | %d |\n", f[2], f[3], median(rps[k]), ratio(rr),
            ms(median(p50[k])), ms(median(p99[k])), ms(median(p999[k])), ratio(r99), c409[k], err[k]
        } else {
          printf "| %s | %s | %s | %.0f | %s | %s | %s | %s | %s | %s | %d | %d |\n", f[1], f[2], f[3], median(rps[k]),
            ratio(rr), ms(median(p50[k])), ratio(r50), ms(median(p99[k])), ms(median(p999[k])), ratio(r99), c409[k], err[k]
        }
      }
    }' "$2"
}

mkdir -p "$(dirname "$OUT")"
{
  if has_main; then
    report
  else
    echo "### Idempotency starter benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo
    echo "$(nproc) cores, wrk/app/Redis/PostgreSQL on one machine; warm-up $WARMUP, then $DURATION per row;" \
      "gateway latency 0."
  fi
  if has trivial; then
    trivial_report
  fi
} | tee "$OUT"
log "raw wrk output and logs in $WORK"

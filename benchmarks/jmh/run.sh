#!/usr/bin/env bash
# JMH microbenchmarks of the store operations beside the raw Redis / JDBC round trips
# they are built on, of the request fingerprint beside a Jackson parse, and the allocation
# per HTTP request with and without @Idempotent. Builds the benchmarks jar, runs it and
# prints Markdown tables. See benchmarks/README.md ("JMH: store operations vs raw round
# trips", "JMH: request fingerprint vs a Jackson parse", "Allocation per request").
#
#   benchmarks/jmh/run.sh                          # every benchmark, annotation defaults
#   benchmarks/jmh/run.sh -wi 2 -w 1s -i 3 -r 2s   # extra arguments go to JMH
#   benchmarks/jmh/run.sh 'Redis.*'                # a subset (JMH regexp)
#   benchmarks/jmh/run.sh --alloc                  # WebRequestAllocationBenchmark -prof gc
#   benchmarks/jmh/run.sh --alloc -p store=in-memory -wi 3 -i 5 -f 1 -w 2s -r 2s
#   benchmarks/jmh/run.sh Fingerprint              # the fingerprint alone, no servers needed
#
# Servers: Redis on 127.0.0.1:6379 and PostgreSQL jdbc:postgresql://127.0.0.1:5432/test
# (user postgres), or SPRING_DATA_REDIS_URL / SPRING_DATASOURCE_URL
# (SPRING_DATASOURCE_USERNAME / SPRING_DATASOURCE_PASSWORD). Results: JMH_JSON [/tmp/jmh.json].
set -euo pipefail

JMH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$JMH_DIR/../.." && pwd)"
JSON="${JMH_JSON:-/tmp/jmh.json}"

if [[ "${1:-}" == "--alloc" ]]; then
	shift
	set -- WebRequestAllocationBenchmark -prof gc "$@"
fi

cd "$ROOT"
./mvnw -B -q -pl benchmarks/jmh -am package -DskipTests
java -jar benchmarks/jmh/target/benchmarks.jar -rf json -rff "$JSON" "$@"
python3 "$JMH_DIR/table.py" "$JSON"

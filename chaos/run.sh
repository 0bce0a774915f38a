#!/usr/bin/env bash
# Every fault scenario against the sample payments app, in about four minutes; prints the
# table and exits non-zero when an invariant fails. See chaos/README.md.
#   chaos/run.sh                                   # all scenarios, 200 payments each
#   chaos/run.sh --scenarios=app-sigkill --payments=50
set -euo pipefail
cd "$(dirname "$0")/.."
# Builds the app's fat jar and this module, and writes each module's class path.
./mvnw -B -q -pl chaos -am package dependency:build-classpath -DskipTests \
	-Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime
# The whole run is bounded too: 20 minutes at most.
exec timeout 1200 java -cp "chaos/target/classes:$(cat chaos/target/classpath.txt)" \
	dev.idempotency.chaos.ChaosRun --report=chaos/target/chaos-report.md "$@"

#!/usr/bin/env bash
# What an idle consumer of many partitions costs per Fetch round trip (fetch sessions, KIP-227): IdleFetchRun
# (sluice-bench) with Kafka's own consumer, assigned every partition of an idle topic, against any Kafka-protocol
# endpoint; prints fetches, bytes sent and received per fetch and the servers' CPU per fetch. Run it against Sluice's
# listener (bin/sluice up) and against the peer Kafka cluster of ../shared/peers in the same session.
#
# usage: BOOTSTRAP=127.0.0.1:9092 [PIDS="<gateway pid> ..."] [PARTITIONS=1000] [WARMUP=10] [MEASURE=30] [REPS=3] \
#        bench/kafka-idle-fetch.sh
set -euo pipefail
cd "$(dirname "$0")/.."
: "${BOOTSTRAP:?the endpoint, e.g. 127.0.0.1:9092}"
: "${PARTITIONS:=1000}"
: "${WARMUP:=10}"
: "${MEASURE:=30}"
: "${REPS:=3}"
JAR="sluice-bench/target/benchmarks.jar"
[[ -f "$JAR" ]] || ./mvnw -q -B -pl sluice-bench -am package -DskipTests
for ((r = 1; r <= REPS; r++)); do
  java -cp "$JAR" io.sluice.bench.kafka.IdleFetchRun "$BOOTSTRAP" "$PARTITIONS" "$WARMUP" "$MEASURE" \
    ${PIDS:-}
done

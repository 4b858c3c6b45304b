#!/usr/bin/env bash
# Kafka's own perf tools against a Kafka-protocol endpoint: Sluice's listener (bin/sluice up), or the peer Kafka
# cluster of ../shared/peers (kafka/start-cluster.sh), with the same settings, so their figures sit side by side.
# Produce: ProducerPerformance, 1 KiB records, acks=all, 3 partitions, RF=3, min.insync.replicas=2 (warm-up pass, then
# REPS measured runs, each on a fresh topic). Consume: ConsumerPerformance reads each run's topic back in a consumer
# group of its own with group.protocol=consumer (KIP-848, which both Kafka 4.4 and Sluice serve; Sluice has no classic
# group protocol yet), then the topic is deleted. End to end: EndToEndLatency, one record in flight.
#
# usage: PEERS=<peers dir with kafka/lib fetched> BOOTSTRAP=127.0.0.1:9092 [PIDFILES="a.pid b.pid"] \
#          bench/kafka-listener.sh OUT_DIR
#   PIDFILES: also print, around each produce, the CPU seconds of those processes (Sluice: <base-dir>/run/*.pid;
#   Kafka: /tmp/kafka-peer/pids/*.pid): the CPU of writing N KiB records (N=1000000: 1.02 GB)
set -euo pipefail
: "${PEERS:?the peer harness directory (../shared/peers, or a writable copy with kafka/lib fetched)}"
: "${BOOTSTRAP:?the endpoint, e.g. 127.0.0.1:9092}"
OUT="${1:?an output directory}"
: "${REPS:=3}"
: "${N:=1000000}"
: "${E2E_N:=5000}"
TARGET_BOOTSTRAP="$BOOTSTRAP" source "$PEERS/kafka/env.sh"
source "$(dirname "$0")/cpu.sh"
mkdir -p "$OUT"

produce() {  # produce NAME
  local topic="bench-$1"
  topic_create "$topic" 3 3 min.insync.replicas=2 >/dev/null
  local before
  before="$(ticks "${PIDFILES:-}")"
  ktool org.apache.kafka.tools.ProducerPerformance --bootstrap-server "$BOOTSTRAP" --topic "$topic" \
    --num-records "$N" --record-size 1024 --throughput -1 --reporting-interval 60000 \
    --command-property acks=all batch.size=262144 linger.ms=5 > "$OUT/produce-$1.log" 2>&1
  echo "produce $1: $(tail -1 "$OUT/produce-$1.log")"
  if [[ -n "${PIDFILES:-}" ]]; then
    echo "  cpu before: $before"
    echo "  cpu after:  $(ticks "$PIDFILES")"
  fi
  sync; sleep 5
  ktool org.apache.kafka.tools.ConsumerPerformance --bootstrap-server "$BOOTSTRAP" --topic "$topic" \
    --num-records "$N" --timeout 120000 --group "perf-$topic-$$" --command-property group.protocol=consumer \
    > "$OUT/consume-$1.log" 2>&1
  echo "consume $1: $(grep -E '^[0-9]{4}-' "$OUT/consume-$1.log" | tail -1)"
  topic_delete "$topic" >/dev/null
  sync; sleep 5
}

e2e() {  # e2e NAME
  local topic="e2e-$1"
  topic_create "$topic" 1 3 min.insync.replicas=2 >/dev/null
  # What is kept is the figures the tool prints; a failure after them (its closing commit) does not stop the run.
  ktool org.apache.kafka.tools.EndToEndLatency --bootstrap-server "$BOOTSTRAP" --topic "$topic" \
    --num-records "$E2E_N" --producer-acks all --record-size 1024 > "$OUT/e2e-$1.log" 2>&1 || true
  echo "e2e $1: $(grep -E '^(Avg latency|Percentiles)' "$OUT/e2e-$1.log" | tr '\n' ' ')"
  topic_delete "$topic" >/dev/null
  sleep 2
}

produce warmup
for ((r = 1; r <= REPS; r++)); do
  produce "r$r"
  e2e "r$r"
done

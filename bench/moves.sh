#!/usr/bin/env bash
# Partition moves under load, Sluice and Kafka side by side, with Kafka's own tools: how fast data moves with and
# without a throttle, and what a move does to the produce latency of live traffic next to it.
#
# For each system and each repetition:
#   1. fill: a topic of 3 partitions at RF 1 gets DATA_RECORDS records of 1 KiB (ProducerPerformance, acks=1, no
#      compression), so each partition lives on one node;
#   2. baseline: ProducerPerformance writes LIVE_RECORDS records of 1 KiB at LIVE_RATE records/s with acks=all to a
#      topic of 3 partitions at RF 3 (min.insync.replicas=2); its closing line (throughput, p50/p99/p99.9) is kept;
#   3. for each throttle of THROTTLES ("none" or bytes per second): the same live load, and two seconds into it every
#      partition of the filled topic moves to the next node (RF 1 to RF 1: all its data crosses); the move is timed
#      from the request until no move is listed, then moved back the same way (untimed) for the next throttle.
# Sluice moves with the public API (POST /v1/reassignments; throttle: PUT /v1/nodes/{node}/move-throttle on each
# node, "none" = 10 GB/s); Kafka with kafka-reassign-partitions --execute [--throttle] and --verify, which also
# lifts the throttle. Every figure line starts with RESULT and goes to OUT_DIR/results.txt.
#
# usage: PEERS=<peers dir with kafka/lib fetched> bench/moves.sh OUT_DIR
#   SYSTEMS="sluice kafka"            which to measure; sluice needs bin/sluice up (3 partition nodes, gateway on
#                                    GATEWAY=http://127.0.0.1:8080, Kafka listener on SLUICE_BOOTSTRAP=127.0.0.1:9092);
#                                    kafka needs the peer cluster (PEERS/kafka/start-cluster.sh)
#   REPS=2 DATA_RECORDS=600000 LIVE_RATE=2000 LIVE_RECORDS=60000 THROTTLES="none 20971520"
set -euo pipefail
: "${PEERS:?the peer harness directory (../shared/peers, or a writable copy with kafka/lib fetched)}"
OUT="${1:?an output directory}"
: "${SYSTEMS:=sluice kafka}"
: "${GATEWAY:=http://127.0.0.1:8080}"
: "${SLUICE_BOOTSTRAP:=127.0.0.1:9092}"
: "${REPS:=2}"
: "${DATA_RECORDS:=600000}"
: "${LIVE_RATE:=2000}"
: "${LIVE_RECORDS:=60000}"
: "${THROTTLES:=none 20971520}"
: "${MOVE_TIMEOUT_S:=600}"
mkdir -p "$OUT"
RESULTS="$OUT/results.txt"

source "$PEERS/kafka/env.sh"
KAFKA_BOOTSTRAP="$BOOTSTRAP"

result() { echo "RESULT $*" | tee -a "$RESULTS"; }

# The closing line of a ProducerPerformance log, as "records/s MB/s p50 p99 p99.9".
perf_figures() {
  tail -1 "$1" | python3 -c '
import re, sys
line = sys.stdin.read()
def f(pattern):
    m = re.search(pattern, line)
    return m.group(1) if m else "?"
print(f(r"([\d.]+) records/sec"), f(r"\(([\d.]+) MB/sec\)"), f(r"(\d+) ms 50th"), f(r"(\d+) ms 99th"),
      f(r"(\d+) ms 99.9th"))'
}

fill() {  # fill BOOTSTRAP TOPIC LOG
  ktool org.apache.kafka.tools.ProducerPerformance --bootstrap-server "$1" --topic "$2" \
    --num-records "$DATA_RECORDS" --record-size 1024 --throughput -1 --reporting-interval 60000 \
    --command-property acks=1 compression.type=none batch.size=262144 linger.ms=5 > "$3" 2>&1
}

live() {  # live BOOTSTRAP TOPIC LOG   (runs in the background; the caller waits)
  ktool org.apache.kafka.tools.ProducerPerformance --bootstrap-server "$1" --topic "$2" \
    --num-records "$LIVE_RECORDS" --record-size 1024 --throughput "$LIVE_RATE" --reporting-interval 60000 \
    --command-property acks=all compression.type=none linger.ms=5 > "$3" 2>&1
}

# ---------------------------------------------------------------------------------------------------- Sluice

sluice_json() { curl -sS --fail-with-body "$@"; }

sluice_topic() {  # sluice_topic NAME PARTITIONS RF [min.insync.replicas]
  local configs="[]"
  [[ -n "${4:-}" ]] && configs="[{\"name\": \"min.insync.replicas\", \"value\": \"$4\"}]"
  sluice_json -X POST "$GATEWAY/v1/topics" -H 'Content-Type: application/json' \
    -d "{\"name\": \"$1\", \"partition_count\": $2, \"replication_factor\": $3, \"configs\": $configs}" >/dev/null
}

sluice_delete() { curl -sS -o /dev/null -X DELETE "$GATEWAY/v1/topics/$1"; }

sluice_throttle() {  # sluice_throttle none|BYTES
  local rate="$1"; [[ "$rate" == none ]] && rate=10000000000
  for node in $(sluice_json "$GATEWAY/v1/nodes" | python3 -c 'import json,sys; print(" ".join(str(n["node_id"]) for n in json.load(sys.stdin)["nodes"]))'); do
    sluice_json -X PUT "$GATEWAY/v1/nodes/$node/move-throttle" -H 'Content-Type: application/json' \
      -d "{\"bytes_per_second\": $rate}" >/dev/null
  done
}

sluice_unthrottle() {
  for node in $(sluice_json "$GATEWAY/v1/nodes" | python3 -c 'import json,sys; print(" ".join(str(n["node_id"]) for n in json.load(sys.stdin)["nodes"]))'); do
    sluice_json -X DELETE "$GATEWAY/v1/nodes/$node/move-throttle" >/dev/null
  done
}

# Moves every partition of TOPIC to the next node (RF 1), and waits until no move is listed; prints the seconds.
sluice_move() {  # sluice_move TOPIC
  local plan started
  plan="$(sluice_json "$GATEWAY/v1/topics/$1" | python3 -c '
import json, sys
topic = json.load(sys.stdin)
moves = [{"topic": topic["name"], "partition": p["partition"], "replicas": [p["replicas"][0] % 3 + 1]}
         for p in topic["partitions"]]
print(json.dumps({"partitions": moves}))')"
  started=$(date +%s.%N)
  sluice_json -X POST "$GATEWAY/v1/reassignments" -H 'Content-Type: application/json' -d "$plan" >/dev/null
  local deadline=$(( $(date +%s) + MOVE_TIMEOUT_S ))
  until [[ "$(sluice_json "$GATEWAY/v1/reassignments" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["reassignments"]))')" == 0 ]]; do
    (( $(date +%s) < deadline )) || { echo "moves of $1 not done within ${MOVE_TIMEOUT_S}s" >&2; return 1; }
    sleep 0.5
  done
  python3 -c "import time; print(f'{time.time() - $started:.1f}')"
}

sluice_bytes() {  # the stored bytes of a topic, once the nodes' stats (sampled every 5 s) have it
  sleep 6
  sluice_json "$GATEWAY/v1/topics?name=$1" | python3 -c '
import json, sys
print(next(t["size_bytes"] or 0 for t in json.load(sys.stdin)["topics"] if t["name"] == "'"$1"'"))'
}

# ---------------------------------------------------------------------------------------------------- Kafka

kafka_move() {  # kafka_move TOPIC THROTTLE   moves each partition to the next broker; prints the seconds
  local plan="$OUT/kafka-plan-$1.json" throttle=()
  [[ "$2" != none ]] && throttle=(--throttle "$2")
  ktool org.apache.kafka.tools.TopicCommand --bootstrap-server "$KAFKA_BOOTSTRAP" --describe --topic "$1" \
    | python3 -c '
import json, re, sys
moves = []
for line in sys.stdin:
    m = re.search(r"Partition: (\d+)\s+Leader: \S+\s+Replicas: (\d+)", line)
    if m:
        moves.append({"topic": "'"$1"'", "partition": int(m.group(1)), "replicas": [int(m.group(2)) % 3 + 1]})
print(json.dumps({"version": 1, "partitions": moves}))' > "$plan"
  local started; started=$(date +%s.%N)
  ktool org.apache.kafka.tools.reassign.ReassignPartitionsCommand --bootstrap-server "$KAFKA_BOOTSTRAP" \
    --reassignment-json-file "$plan" --execute "${throttle[@]}" >> "$OUT/kafka-reassign.log" 2>&1
  local deadline=$(( $(date +%s) + MOVE_TIMEOUT_S ))
  # --verify says "still in progress" per partition until done, and then lifts the throttle. (Its output is read
  # whole: a grep that stops at the first match would end the tool with SIGPIPE, which pipefail counts as done.)
  local verified
  while verified="$(ktool org.apache.kafka.tools.reassign.ReassignPartitionsCommand --bootstrap-server \
      "$KAFKA_BOOTSTRAP" --reassignment-json-file "$plan" --verify 2>&1)"; echo "$verified" >> "$OUT/kafka-reassign.log"
      [[ "$verified" == *"still in progress"* || "$verified" != *"is complete"* ]]; do
    (( $(date +%s) < deadline )) || { echo "moves of $1 not done within ${MOVE_TIMEOUT_S}s" >&2; return 1; }
    sleep 0.5
  done
  python3 -c "import time; print(f'{time.time() - $started:.1f}')"
}

kafka_bytes() {  # the bytes of a topic's partitions on their brokers, from kafka-log-dirs
  ktool org.apache.kafka.tools.LogDirsCommand --bootstrap-server "$KAFKA_BOOTSTRAP" --describe --topic-list "$1" \
    | python3 -c '
import json, sys
for line in sys.stdin:
    if line.startswith("{"):
        dirs = json.loads(line)
        print(sum(p["size"] for b in dirs["brokers"] for d in b["logDirs"] for p in d["partitions"]))'
}

# ---------------------------------------------------------------------------------------------------- the run

run_system() {  # run_system sluice|kafka REP
  local system="$1" rep="$2" bootstrap data="moves-data-$2" bytes
  if [[ "$system" == sluice ]]; then
    bootstrap="$SLUICE_BOOTSTRAP"
    sluice_topic "$data" 3 1
  else
    bootstrap="$KAFKA_BOOTSTRAP"
    topic_create "$data" 3 1 >/dev/null
  fi
  fill "$bootstrap" "$data" "$OUT/$system-fill-r$rep.log"
  if [[ "$system" == sluice ]]; then bytes=$(sluice_bytes "$data"); else bytes=$(kafka_bytes "$data"); fi
  result "$system r$rep filled $data: $(perf_figures "$OUT/$system-fill-r$rep.log" | awk '{print $2}') MB/s, $bytes bytes stored"

  for phase in baseline $THROTTLES; do
    local live_topic="moves-live-r$rep-$phase"
    if [[ "$system" == sluice ]]; then sluice_topic "$live_topic" 3 3 2; else topic_create "$live_topic" 3 3 min.insync.replicas=2 >/dev/null; fi
    sleep 2
    live "$bootstrap" "$live_topic" "$OUT/$system-live-r$rep-$phase.log" &
    local live_pid=$! seconds=""
    if [[ "$phase" != baseline ]]; then
      sleep 2
      if [[ "$system" == sluice ]]; then
        sluice_throttle "$phase"
        seconds=$(sluice_move "$data")
      else
        seconds=$(kafka_move "$data" "$phase")
      fi
    fi
    wait "$live_pid"
    read -r rps mbs p50 p99 p999 <<< "$(perf_figures "$OUT/$system-live-r$rep-$phase.log")"
    if [[ "$phase" == baseline ]]; then
      result "$system r$rep live load without a move: $rps records/s, p50 $p50 ms, p99 $p99 ms, p99.9 $p999 ms"
    else
      local rate_mb
      rate_mb=$(python3 -c "print(f'{$bytes / 1048576 / $seconds:.1f}')")
      result "$system r$rep move of $bytes bytes, throttle $phase: $seconds s ($rate_mb MiB/s, $(python3 -c "print(f'{$bytes / 1e9 / $seconds * 60:.2f}')") GB/min); live load meanwhile: $rps records/s, p50 $p50 ms, p99 $p99 ms, p99.9 $p999 ms"
      # Back where it was, untimed, for the next phase.
      if [[ "$system" == sluice ]]; then sluice_throttle none; sluice_move "$data" >/dev/null; else kafka_move "$data" none >/dev/null; fi
    fi
    if [[ "$system" == sluice ]]; then sluice_delete "$live_topic"; else topic_delete "$live_topic" >/dev/null; fi
  done
  if [[ "$system" == sluice ]]; then sluice_unthrottle; sluice_delete "$data"; else topic_delete "$data" >/dev/null; fi
}

for ((rep = 1; rep <= REPS; rep++)); do
  for system in $SYSTEMS; do
    run_system "$system" "$rep"
  done
done
echo "results in $RESULTS"

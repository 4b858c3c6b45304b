#!/usr/bin/env bash
# One topic written once, then read back READS times by Kafka's ConsumerPerformance (each read in a group of its own,
# group.protocol=consumer), with the reader's CPU and, per read, the CPU of the processes whose pid files are given:
# where the time of a consume goes, on Sluice's listener or on the peer Kafka cluster, as the machine warms up.
# 1 KiB records, 3 partitions, RF=3, min.insync.replicas=2, acks=all, as bench/kafka-listener.sh.
#
# usage: PEERS=<peers dir with kafka/lib fetched> BOOTSTRAP=127.0.0.1:9092 [PIDFILES="a.pid b.pid"] [READS=8] \
#          [N=1000000] bench/kafka-reads.sh OUT_DIR
#   Sluice: PIDFILES="$(ls <base-dir>/run/*.pid)"; Kafka: PIDFILES="$(ls /tmp/kafka-peer/pids/*.pid)"
#   PROFILE_PID="<pid>..." ASYNC_PROFILER=<libasyncProfiler.so> also profiles those processes (cpu, 1 ms) during read
#   PROFILE_READ (default 2), each into OUT_DIR/profile-<pid>.collapsed.
#   CONSUMER_PROPS="k=v..." adds properties to the reader's (e.g. max.partition.fetch.bytes=4194304).
set -euo pipefail
: "${PEERS:?the peer harness directory (../shared/peers, or a writable copy with kafka/lib fetched)}"
: "${BOOTSTRAP:?the endpoint, e.g. 127.0.0.1:9092}"
OUT="${1:?an output directory}"
: "${READS:=8}"
: "${N:=1000000}"
: "${PROFILE_READ:=2}"
TARGET_BOOTSTRAP="$BOOTSTRAP" source "$PEERS/kafka/env.sh"
mkdir -p "$OUT"
TIMEFORMAT="reader %U s user, %S s system, %R s wall"

ticks() {  # CPU seconds (user + system) of each process so far
  local f line=""
  for f in ${PIDFILES:-}; do
    line+="$(basename "$f" .pid)=$(awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / hz}' "/proc/$(cat "$f")/stat") "
  done
  echo "$line"
}

profiler() {  # profiler ACTION
  local pid
  for pid in ${PROFILE_PID:-}; do
    jcmd "$pid" JVMTI.agent_load "$ASYNC_PROFILER" "\"${1//@PID@/$pid}\"" >/dev/null
  done
  return 0
}

topic="reads-$$"
topic_create "$topic" 3 3 min.insync.replicas=2 >/dev/null
ktool org.apache.kafka.tools.ProducerPerformance --bootstrap-server "$BOOTSTRAP" --topic "$topic" \
  --num-records "$N" --record-size 1024 --throughput -1 --reporting-interval 60000 \
  --command-property acks=all batch.size=262144 linger.ms=5 > "$OUT/produce.log" 2>&1
echo "produce: $(tail -1 "$OUT/produce.log")"
sync; sleep 5
for ((r = 0; r < READS; r++)); do
  before="$(ticks)"
  [[ $r == "$PROFILE_READ" ]] && profiler "start,event=cpu,interval=1ms"
  { time ktool org.apache.kafka.tools.ConsumerPerformance --bootstrap-server "$BOOTSTRAP" --topic "$topic" \
      --num-records "$N" --timeout 120000 --group "reads-$topic-$r" --command-property group.protocol=consumer ${CONSUMER_PROPS:-} \
      > "$OUT/consume-$r.log" 2>&1; } 2> "$OUT/time-$r"
  [[ $r == "$PROFILE_READ" ]] && profiler "stop,file=$OUT/profile-@PID@.collapsed,collapsed"
  echo "read $r: $(tail -1 "$OUT/consume-$r.log" | cut -d, -f4 | tr -d ' ') MB/s; $(cat "$OUT/time-$r")"
  echo "  cpu before: $before"
  echo "  cpu after:  $(ticks)"
done
topic_delete "$topic" >/dev/null

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
#   PROFILE_READ (default 2; with PAIR_BOOTSTRAP, during the read of "a"), each into OUT_DIR/profile-<pid>.collapsed.
#   CONSUMER_PROPS="k=v..." adds properties to the reader's (e.g. max.partition.fetch.bytes=4194304).
#   PAIR_BOOTSTRAP=<endpoint> [PAIR_PIDFILES="..."] reads a second system in the same run, both clusters up: the topic
#   is written to both, and each read r reads BOOTSTRAP ("a") and PAIR_BOOTSTRAP ("b") one right after the other,
#   "a" first on even reads and "b" first on odd ones, so a change in the machine's speed during the run falls on both
#   alike. The run closes with the ratio a/b of each read and their mean from SUMMARY_FROM (default READS/2) on.
#   PERF_READS="r..." records the whole machine with Linux perf (perf record -a, 499 Hz) during those reads (of either
#   system) and prints where its CPU time went: idle, each process of the pid files (of both systems), and the rest
#   (chiefly the reader); each recording is kept as OUT_DIR/perf-<read>.data.
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

source "$(dirname "$0")/cpu.sh"

profiler() {  # profiler ACTION
  local pid
  for pid in ${PROFILE_PID:-}; do
    jcmd "$pid" JVMTI.agent_load "$ASYNC_PROFILER" "\"${1//@PID@/$pid}\"" >/dev/null
  done
  return 0
}

perf_start() {  # perf_start NAME
  perf record -a -F 499 -o "$OUT/perf-$1.data" >/dev/null 2>&1 &
  perf_pid=$!
  sleep 0.5  # perf needs a moment before it samples
}

perf_report() {  # perf_report NAME: stops the recording, prints CPU seconds by process (samples / 499 Hz)
  local f names=""
  kill -INT "$perf_pid"
  wait "$perf_pid" || true
  for f in ${PIDFILES:-} ${PAIR_PIDFILES:-}; do names+="$(cat "$f")=$(basename "$f" .pid) "; done
  perf script -i "$OUT/perf-$1.data" -F pid 2>/dev/null | awk -v names="$names" '
    BEGIN { n = split(names, pairs, " ")
            for (i = 1; i <= n; i++) { split(pairs[i], kv, "="); name[kv[1]] = kv[2]; order[i] = kv[2] } }
    { all++; if ($1 == 0) idle++; else if ($1 in name) by[name[$1]]++; else rest++ }
    END { line = sprintf("  perf: all %.2f s, idle %.2f s,", all / 499, idle / 499)
          for (i = 1; i <= n; i++) line = line sprintf(" %s %.2f s,", order[i], by[order[i]] / 499)
          print line sprintf(" the rest (chiefly the reader) %.2f s", rest / 499) }'
}

[[ -n "${PERF_READS:-}" ]] && ! command -v perf >/dev/null && { echo "PERF_READS needs Linux perf" >&2; exit 2; }
topic="reads-$$"
: "${SUMMARY_FROM:=$((READS / 2))}"
systems=(a)
[[ -n "${PAIR_BOOTSTRAP:-}" ]] && systems=(a b)
declare -A bootstrap_of=([a]="$BOOTSTRAP" [b]="${PAIR_BOOTSTRAP:-}")
declare -A pidfiles_of=([a]="${PIDFILES:-}" [b]="${PAIR_PIDFILES:-}")
declare -A label_of=([a]="" [b]="") suffix_of=([a]="" [b]="")
if [[ ${#systems[@]} == 2 ]]; then
  label_of=([a]=" (a)" [b]=" (b)")
  suffix_of=([a]="-a" [b]="-b")
fi

for s in "${systems[@]}"; do
  BOOTSTRAP="${bootstrap_of[$s]}" topic_create "$topic" 3 3 min.insync.replicas=2 >/dev/null
  ktool org.apache.kafka.tools.ProducerPerformance --bootstrap-server "${bootstrap_of[$s]}" --topic "$topic" \
    --num-records "$N" --record-size 1024 --throughput -1 --reporting-interval 60000 \
    --command-property acks=all batch.size=262144 linger.ms=5 > "$OUT/produce${suffix_of[$s]}.log" 2>&1
  echo "produce${label_of[$s]}: $(tail -1 "$OUT/produce${suffix_of[$s]}.log")"
done
sync; sleep 5
declare -A mbs
for ((r = 0; r < READS; r++)); do
  order=("${systems[@]}")
  (( r % 2 == 1 && ${#systems[@]} == 2 )) && order=(b a)
  for s in "${order[@]}"; do
    name="$r${suffix_of[$s]}"
    before="$(ticks "${pidfiles_of[$s]}")"
    [[ $r == "$PROFILE_READ" && $s == a ]] && profiler "start,event=cpu,interval=1ms"
    perf_read=""
    [[ " ${PERF_READS:-} " == *" $r "* ]] && perf_read=1 && perf_start "$name"
    { time ktool org.apache.kafka.tools.ConsumerPerformance --bootstrap-server "${bootstrap_of[$s]}" --topic "$topic" \
        --num-records "$N" --timeout 120000 --group "reads-$topic-$r" --command-property group.protocol=consumer ${CONSUMER_PROPS:-} \
        > "$OUT/consume-$name.log" 2>&1; } 2> "$OUT/time-$name"
    [[ $r == "$PROFILE_READ" && $s == a ]] && profiler "stop,file=$OUT/profile-@PID@.collapsed,collapsed"
    mbs[$r$s]="$(tail -1 "$OUT/consume-$name.log" | cut -d, -f4 | tr -d ' ')"
    echo "read $r${label_of[$s]}: ${mbs[$r$s]} MB/s; $(cat "$OUT/time-$name")"
    echo "  cpu before: $before"
    echo "  cpu after:  $(ticks "${pidfiles_of[$s]}")"
    [[ -n $perf_read ]] && perf_report "$name"
  done
done
for s in "${systems[@]}"; do
  BOOTSTRAP="${bootstrap_of[$s]}" topic_delete "$topic" >/dev/null
done
if [[ ${#systems[@]} == 2 ]]; then
  echo "ratio a/b per read, and over reads $SUMMARY_FROM to $((READS - 1)): mean a, mean b, mean of the ratios"
  for ((r = 0; r < READS; r++)); do echo "$r ${mbs[${r}a]} ${mbs[${r}b]}"; done | awk -v from="$SUMMARY_FROM" '
    { ratio = $2 / $3; printf "ratio %d: %.3f\n", $1, ratio
      if ($1 >= from) { n++; a += $2; b += $3; sum += ratio; if (n == 1 || ratio < lo) lo = ratio; if (ratio > hi) hi = ratio } }
    END { if (n) printf "summary: a %.1f MB/s, b %.1f MB/s, ratio of means %.3f, mean ratio %.3f (lowest %.3f, highest %.3f, %d reads)\n", a / n, b / n, a / b, sum / n, lo, hi, n }'
fi

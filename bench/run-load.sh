#!/usr/bin/env bash
# Sluice load matrix over the public HTTP API, with the same record shape and topic layout as the Kafka peer
# benchmark (shared/peers/kafka/bench.sh) so the figures can be set side by side.
#
# usage: bench/run-load.sh [GATEWAY_URL] [OUT_DIR]     (defaults: http://127.0.0.1:8080, /tmp/sluice-load/<time>)
#   needs a running cluster (bin/sluice up); builds sluice-bench/target/benchmarks.jar when it is missing.
#   QUICK=1 bench/run-load.sh ...      tiny counts, no warm-up, 1 repetition: checks the flow in about a minute
#
# Tests (TESTS), each on a fresh topic that is deleted afterwards; repetitions are interleaved (rep 1 of every test,
# then rep 2, ...) after WARMUP_PASSES unrecorded passes:
#   p1k_rpr1      produce 1 KiB values, RF=3, 3 partitions, min.insync.replicas=2, acks=all, 1 record per request
#   p1k_rpr100    the same, 100 records per request
#   p1k_rpr1000   the same, 1000 records per request; then (CONSUME=1) read that topic back from offset 0, with
#                 JSON reads (c1k), then with raw record-batch reads decoded by the generator (c1k_raw); each read
#                 run first reads CONSUME_WARMUP_RECORDS unrecorded in the same JVM; with that on, a third read
#                 with a cold generator JVM (c1k_raw_cold), the way Kafka's ConsumerPerformance runs
#   e2e_1k_rate   end-to-end latency, 1 partition, RF=3, acks=all, E2E_RATE records/s through an SSE stream
#   e2e_1k_1      end-to-end latency, one record in flight at a time (Kafka EndToEndLatency's method)
# Optional tests (name them in TESTS; not run by default):
#   fanout_1k     SSE fan-out (issue 14): FANOUT_SUBSCRIBERS (1000) SSE streams of one topic on this one gateway, 1
#                 partition, RF=3, min.insync.replicas=2, acks=all, FANOUT_N records at FANOUT_RATE records/s: every
#                 subscriber should get every record; reports e2e latency over every delivery and the gateway's SSE
#                 fetches at the leader (its /actuator/prometheus counters), to set beside fanout_1
#   fanout_1      the same with 1 subscriber: the leader fetch rate fanout_1k should match
#   e.g. TESTS="fanout_1 fanout_1k" REPS=1 WARMUP_PASSES=0 bench/run-load.sh
#   fanout_1k holds ~1000 connections open in both the generator and the gateway: each JVM raises its open-files
#   limit to the hard limit (ulimit -Hn), which must be well above FANOUT_SUBSCRIBERS; the script checks its own.
#   Their index.tsv kind is "fanout", which Kafka has no peer of: summarize.py warns and skips those rows; the
#   figures are in their RESULT lines.
# Every run prints a RESULT line; they are collected in OUT_DIR/results.txt and printed at the end. OUT_DIR/index.tsv
# lists "test<TAB>rep<TAB>kind<TAB>log" as the Kafka harness does, and each log also holds the Kafka tool's closing
# line(s) in Kafka's format, so the peer harness' parser reads them: `summarize.py peek prod OUT_DIR/p1k_rpr100-r1.log`,
# or one table of both systems with `summarize.py KAFKA_RESULTS_DIR OUT_DIR` (it picks columns from Kafka's rows).
set -euo pipefail

ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
GATEWAY="${1:-${GATEWAY:-http://127.0.0.1:8080}}"
[[ "$GATEWAY" == *://* ]] || GATEWAY="http://$GATEWAY"
OUT="${2:-/tmp/sluice-load/$(date +%Y%m%d-%H%M%S)}"

if [[ "${QUICK:-0}" == 1 ]]; then
  : "${N_RPR1:=500}" "${N_RPR100:=5000}" "${N_RPR1000:=10000}" "${E2E_N:=300}" "${E2E_1_N:=100}" "${FANOUT_N:=300}"
  : "${REPS:=1}" "${WARMUP_PASSES:=0}" "${SETTLE_S:=1}"
fi
: "${N_RPR1:=20000}"          # records per run, 1 record per request
: "${N_RPR100:=300000}"       # records per run, 100 per request (~293 MiB)
: "${N_RPR1000:=1000000}"     # records per run, 1000 per request (~977 MiB); also what c1k reads back
: "${C_RPR1:=64}"             # requests in flight (--concurrency) for each shape: about 64 KiB, 1.6 MiB and 4 MiB
: "${C_RPR100:=16}"           #   in flight, the order of Kafka's 256 KiB batches x 5 in flight x 3 brokers
: "${C_RPR1000:=4}"
: "${RECORD_SIZE:=1024}"
: "${VALUE_FORMAT:=string}"   # string: the value's ASCII letters as they are; binary: base64 of the same bytes
: "${CONSUME:=1}"
: "${E2E_RATE:=200}"          # records/s for e2e_1k_rate
: "${E2E_N:=6000}"            # records for e2e_1k_rate (30 s at 200/s)
: "${E2E_1_N:=2000}"          # records for e2e_1k_1 (one in flight)
: "${FANOUT_SUBSCRIBERS:=1000}" # SSE subscribers for fanout_1k (fanout_1 has one)
: "${FANOUT_RATE:=50}"        # records/s for fanout_1k and fanout_1
: "${FANOUT_N:=3000}"         # records for fanout_1k and fanout_1 (60 s at 50/s)
: "${REPS:=3}"
: "${WARMUP_PASSES:=1}"
: "${SETTLE_S:=5}"
: "${TIMEOUT_MS:=30000}"
: "${WARMUP_RECORDS:=half}"   # produce runs: records sent first by the same generator JVM, left out of the figures;
                              #   "half": half the run's records (a fresh generator JVM spends its first seconds
                              #   compiling, on the cores the cluster needs); 0: none
: "${E2E_WARMUP_RECORDS:=0}"     # e2e_1k_rate: records the same generator JVM sends first at the rate, left out of
                              #   the figures; 0 (default): a cold generator JVM, as Kafka's EndToEndLatency runs
: "${CONSUME_WARMUP_RECORDS:=half}" # consume runs: records the same generator JVM reads first, left out of the
                              #   figures ("half": half of N_RPR1000), as for produce; 0: a cold reader, as Kafka's
                              #   ConsumerPerformance runs
: "${TESTS:=p1k_rpr1 p1k_rpr100 p1k_rpr1000 e2e_1k_rate e2e_1k_1}"
: "${LOADGEN_HEAP:=-Xms1g -Xmx1g}"

# a JDK >= 21, as bin/sluice picks one: JAVA_HOME, the java on PATH, then /usr/lib/jvm
java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | awk -F'= ' '/java.specification.version/ { split($2, v, "."); print (v[1] == "1" ? v[2] : v[1]) }'
}
pick_jdk() {
  local candidate
  for candidate in "${JAVA_HOME:-}" "$(dirname "$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo /nonexistent)")")")" \
                   /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*; do
    if [[ -n "$candidate" && -x "$candidate/bin/java" && "$(java_major "$candidate")" -ge 21 ]]; then
      echo "$candidate"; return 0
    fi
  done
  return 1
}
JAVA_HOME="$(pick_jdk)" || { echo "run-load.sh needs a JDK >= 21 (JAVA_HOME, PATH, /usr/lib/jvm)" >&2; exit 1; }
export JAVA_HOME
JAVA="$JAVA_HOME/bin/java"

JAR="$ROOT/sluice-bench/target/benchmarks.jar"
if [[ ! -f "$JAR" || -n "$(find "$ROOT/sluice-bench/src/main" "$ROOT/sluice-bench/pom.xml" -newer "$JAR" -print -quit)" ]]; then
  echo "building $JAR" >&2
  (cd "$ROOT" && ./mvnw -q -B -DskipTests package -pl sluice-bench -am >&2)
fi

if ! curl -sf -o /dev/null "$GATEWAY/v1/cluster"; then
  echo "no gateway answers at $GATEWAY (start one with bin/sluice up, or pass its URL)" >&2
  exit 1
fi

mkdir -p "$OUT"
INDEX="$OUT/index.tsv"; RESULTS="$OUT/results.txt"; LOGDIR="$OUT"
: > "$INDEX"; : > "$RESULTS"
{
  echo "gateway: $GATEWAY"; echo "date: $(date -Is)"; echo "host: $(uname -a)"; nproc
  echo "git: $(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "settings: N_RPR1=$N_RPR1 N_RPR100=$N_RPR100 N_RPR1000=$N_RPR1000 C_RPR1=$C_RPR1 C_RPR100=$C_RPR100" \
       "C_RPR1000=$C_RPR1000 RECORD_SIZE=$RECORD_SIZE VALUE_FORMAT=$VALUE_FORMAT E2E_RATE=$E2E_RATE E2E_N=$E2E_N" \
       "E2E_1_N=$E2E_1_N FANOUT_SUBSCRIBERS=$FANOUT_SUBSCRIBERS FANOUT_RATE=$FANOUT_RATE FANOUT_N=$FANOUT_N" \
       "REPS=$REPS WARMUP_PASSES=$WARMUP_PASSES WARMUP_RECORDS=$WARMUP_RECORDS E2E_WARMUP_RECORDS=$E2E_WARMUP_RECORDS" \
       "CONSUME_WARMUP_RECORDS=$CONSUME_WARMUP_RECORDS TESTS=$TESTS"
  # what a page-cache write costs on a VM depends on this (bench/page-reporting.sh; docs/benchmarks/history.md,
  # fourteenth part)
  "$ROOT/bench/page-reporting.sh" show
  curl -s "$GATEWAY/v1/cluster"; echo
} > "$OUT/machine.txt"

loadgen() {  # loadgen LOG ARGS...: runs the generator, keeps its output in LOG, shows the RESULT line
  local log=$1; shift
  local status=0
  # shellcheck disable=SC2086
  "$JAVA" $LOADGEN_HEAP -XX:+UseG1GC --enable-native-access=ALL-UNNAMED -cp "$JAR" io.sluice.bench.load.LoadGenerator "$@" \
      --gateway "$GATEWAY" --timeout-ms "$TIMEOUT_MS" > "$log" 2>&1 || status=$?
  grep '^RESULT' "$log" || { echo "  (no RESULT; exit $status; see $log)"; tail -5 "$log"; }
  return 0
}
record() {  # record TEST REP KIND LOG
  printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >> "$INDEX"
  grep '^RESULT' "$4" | sed "s/^RESULT /RESULT test=$1 rep=$2 /" >> "$RESULTS" || true
}
topic_delete() { curl -s -o /dev/null -X DELETE "$GATEWAY/v1/topics/$1" || true; }
settle() { sync; sleep "$SETTLE_S"; }
produce() {  # produce LOG TOPIC N RECORDS_PER_REQUEST CONCURRENCY
  local warmup=$WARMUP_RECORDS
  [[ "$warmup" == half ]] && warmup=$(($3 / 2))
  loadgen "$1" produce --topic "$2" --create-topic 3,3,2 --num-records "$3" --records-per-request "$4" \
      --concurrency "$5" --acks all --record-size "$RECORD_SIZE" --value-format "$VALUE_FORMAT" \
      --warmup-records "$warmup"
}
fanout() {  # fanout LOG TOPIC SUBSCRIBERS
  local hard
  hard="$(ulimit -Hn)"
  if [[ "$hard" != unlimited && "$hard" -lt $(($3 + 256)) ]]; then
    echo "  open-files hard limit $hard is too low for $3 SSE streams (raise ulimit -Hn); skipping" | tee "$1"
    return 0
  fi
  loadgen "$1" fanout --topic "$2" --create-topic 1,3,2 --subscribers "$3" --rate "$FANOUT_RATE" \
      --num-records "$FANOUT_N" --acks all --record-size "$RECORD_SIZE" --value-format "$VALUE_FORMAT"
}

RUN_ID="$(date +%H%M%S)"
run_test() {  # run_test NAME REP
  local t=$1 r=$2 topic="load-$RUN_ID-$1-r$2" log="$LOGDIR/$1-r$2.log"
  echo "== $t rep $r ($(date +%T))"
  case $t in
    p1k_rpr1)    produce "$log" "$topic" "$N_RPR1" 1 "$C_RPR1"; record "$t" "$r" prod "$log" ;;
    p1k_rpr100)  produce "$log" "$topic" "$N_RPR100" 100 "$C_RPR100"; record "$t" "$r" prod "$log" ;;
    p1k_rpr1000)
      produce "$log" "$topic" "$N_RPR1000" 1000 "$C_RPR1000"; record "$t" "$r" prod "$log"
      if [[ "$CONSUME" == 1 ]]; then
        settle
        local cwarm=$CONSUME_WARMUP_RECORDS
        [[ "$cwarm" == half ]] && cwarm=$((N_RPR1000 / 2))
        loadgen "$LOGDIR/c1k-r$r.log" consume --topic "$topic" --value-format "$VALUE_FORMAT" \
            --max-records 1000 --max-bytes 1048576 --warmup-records "$cwarm"
        record c1k "$r" cons "$LOGDIR/c1k-r$r.log"
        loadgen "$LOGDIR/c1k_raw-r$r.log" consume --topic "$topic" --raw --max-bytes 1048576 --warmup-records "$cwarm"
        record c1k_raw "$r" cons "$LOGDIR/c1k_raw-r$r.log"
        if [[ "$cwarm" != 0 ]]; then  # and once with a cold reader JVM, as Kafka's tool reads
          loadgen "$LOGDIR/c1k_raw_cold-r$r.log" consume --topic "$topic" --raw --max-bytes 1048576
          record c1k_raw_cold "$r" cons "$LOGDIR/c1k_raw_cold-r$r.log"
        fi
      fi ;;
    e2e_1k_rate)
      loadgen "$log" e2e --topic "$topic" --create-topic 1,3,2 --rate "$E2E_RATE" --num-records "$E2E_N" \
          --acks all --record-size "$RECORD_SIZE" --value-format "$VALUE_FORMAT" --warmup-records "$E2E_WARMUP_RECORDS"
      record "$t" "$r" e2e "$log" ;;
    e2e_1k_1)
      loadgen "$log" e2e --topic "$topic" --create-topic 1,3,2 --rate 0 --num-records "$E2E_1_N" \
          --acks all --record-size "$RECORD_SIZE" --value-format "$VALUE_FORMAT"
      record "$t" "$r" e2e "$log" ;;
    fanout_1k)   fanout "$log" "$topic" "$FANOUT_SUBSCRIBERS"; record "$t" "$r" fanout "$log" ;;
    fanout_1)    fanout "$log" "$topic" 1; record "$t" "$r" fanout "$log" ;;
    *) echo "unknown test $t" >&2; return 1 ;;
  esac
  topic_delete "$topic"
  settle
}

for ((w=1; w<=WARMUP_PASSES; w++)); do
  echo "== warm-up pass $w (not recorded)"
  INDEX="$OUT/warmup/warmup-index.tsv"; RESULTS="$OUT/warmup/warmup-results.txt"; LOGDIR="$OUT/warmup"; mkdir -p "$LOGDIR"
  for t in $TESTS; do run_test "$t" "w$w"; done
done
INDEX="$OUT/index.tsv"; RESULTS="$OUT/results.txt"; LOGDIR="$OUT"
for ((r=1; r<=REPS; r++)); do
  for t in $TESTS; do run_test "$t" "$r"; done
done

echo
echo "== results ($OUT/results.txt; raw logs and index.tsv in $OUT)"
cat "$RESULTS"

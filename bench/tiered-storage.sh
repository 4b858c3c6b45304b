#!/usr/bin/env bash
# Tiered storage beside the local log, with Kafka's own perf tools on the local cluster, against a real S3-compatible
# server (s3proxy, its jar from Maven Central, started and stopped here by PID):
#   produce: ProducerPerformance, N 1 KiB records per run, acks=all, 1 partition, RF=3, min.insync.replicas=2, into a
#            topic without tiered storage and one with it (SEGMENT_BYTES segments, copied as they seal; local retention
#            LOCAL_BYTES), in pairs of alternating order, REPS pairs: produce throughput with copying on and off, and
#            the CPU the object store (s3proxy, on the same machine) spent taking each tiered run's copies;
#   read:    once every copy is made and the tiered topic's local log is down to its local retention,
#            ConsumerPerformance reads each whole topic from offset 0 (warm-up run included): the tiered one first cold (every segment fetched from
#            the store into the read cache), then again warm (from the cache), and the local one from disk.
#
# usage: PEERS=<peers dir with kafka/lib fetched> [S3PROXY_JAR=...] bench/tiered-storage.sh OUT_DIR
# It starts its own cluster (bin/sluice up --base-dir OUT_DIR/cluster, default ports) and stops it.
set -euo pipefail
: "${PEERS:?the peer harness directory (../shared/peers, or a writable copy with kafka/lib fetched)}"
OUT="${1:?an output directory}"
: "${REPS:=2}"
: "${N:=262144}"                  # per run: 256 MiB of values
: "${SEGMENT_BYTES:=16777216}"
: "${LOCAL_BYTES:=33554432}"
: "${S3_PORT:=18081}"
: "${S3PROXY_JAR:=$HOME/.m2/repository/org/gaul/s3proxy/4.1.0/s3proxy-4.1.0-jar-with-dependencies.jar}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
TARGET_BOOTSTRAP=127.0.0.1:9092 source "$PEERS/kafka/env.sh"
mkdir -p "$OUT/s3/data/sluice-bench"
OUT="$(cd "$OUT" && pwd)"

cat > "$OUT/s3/s3proxy.conf" <<CONF
s3proxy.endpoint=http://127.0.0.1:$S3_PORT
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=bench
s3proxy.credential=bench-secret
jclouds.provider=filesystem
jclouds.filesystem.basedir=$OUT/s3/data
CONF
"$JAVA" -Xmx256m -jar "$S3PROXY_JAR" --properties "$OUT/s3/s3proxy.conf" > "$OUT/s3/s3proxy.log" 2>&1 &
S3_PID=$!
stop() {
  "$ROOT/bin/sluice" down --base-dir "$OUT/cluster" >/dev/null 2>&1 || true
  kill "$S3_PID" 2>/dev/null || true
}
trap stop EXIT
for _ in $(seq 1 60); do (exec 3<>"/dev/tcp/127.0.0.1/$S3_PORT") 2>/dev/null && break; sleep 0.5; done

export SLUICE_COORDINATOR_REMOTESTORAGEENABLED=true SLUICE_PARTITION_REMOTESTORAGE_ENABLED=true \
  SLUICE_PARTITION_REMOTESTORAGE_ENDPOINT="http://127.0.0.1:$S3_PORT" SLUICE_PARTITION_REMOTESTORAGE_BUCKET=sluice-bench \
  SLUICE_PARTITION_REMOTESTORAGE_ACCESSKEY=bench SLUICE_PARTITION_REMOTESTORAGE_SECRETKEY=bench-secret \
  SLUICE_PARTITION_REMOTESTORAGE_COPYINTERVAL=2s SLUICE_PARTITION_HOUSEKEEPING_RETENTIONCHECKINTERVAL=2s
"$ROOT/bin/sluice" up --base-dir "$OUT/cluster" > "$OUT/up.log"

topic_create local 1 3 min.insync.replicas=2 segment.bytes="$SEGMENT_BYTES" >/dev/null
topic_create tiered 1 3 min.insync.replicas=2 segment.bytes="$SEGMENT_BYTES" remote.storage.enable=true \
  local.retention.bytes="$LOCAL_BYTES" retention.ms=-1 >/dev/null

produce() {  # produce TOPIC RUN
  ktool org.apache.kafka.tools.ProducerPerformance --bootstrap-server "$BOOTSTRAP" --topic "$1" \
    --num-records "$N" --record-size 1024 --throughput -1 --reporting-interval 60000 \
    --command-property acks=all batch.size=262144 linger.ms=5 > "$OUT/produce-$1-$2.log" 2>&1
  echo "produce $1 run $2: $(tail -1 "$OUT/produce-$1-$2.log")"
}
offset() {  # offset TOPIC TIME
  ktool org.apache.kafka.tools.GetOffsetShell --bootstrap-server "$BOOTSTRAP" --topic "$1" --time "$2" \
    | awk -F: '{ print $3 }'
}
consume() {  # consume TOPIC NAME
  ktool org.apache.kafka.tools.ConsumerPerformance --bootstrap-server "$BOOTSTRAP" --topic "$1" \
    --num-records "$((N * (REPS + 1)))" --timeout 300000 --group "perf-$2-$$" --command-property group.protocol=consumer \
    > "$OUT/consume-$2.log" 2>&1
  echo "consume $2: $(grep -E '^[0-9]{4}-' "$OUT/consume-$2.log" | tail -1)"
}

settle() {  # waits until the tiered topic's copies reach its last sealed segments and its local log is trimmed
  local end records_per_segment=$((SEGMENT_BYTES / 1100))
  end="$(offset tiered -1)"
  for _ in $(seq 1 300); do
    if (( $(offset tiered -5) >= end - 2 * records_per_segment - 1 && $(offset tiered -4) >= end - LOCAL_BYTES / 1000 - 2 * records_per_segment )); then
      return 0
    fi
    sleep 2
  done
  echo "copies did not catch up within 600 s" >&2
  return 1
}

cpu() { awk '{ printf "%.1f", ($14 + $15) / 100 }' "/proc/$1/stat"; }
produce local warmup
produce tiered warmup
settle
# Each pair in the other order than the one before (the second run of a pair is the faster on this box); the copier
# is waited for after every tiered run, so a local run never shares the machine with it.
for ((r = 1; r <= REPS; r++)); do
  if ((r % 2 == 1)); then
    produce local "$r"
    s3_before="$(cpu "$S3_PID")"; produce tiered "$r"; settle
  else
    s3_before="$(cpu "$S3_PID")"; produce tiered "$r"; settle
    produce local "$r"
  fi
  echo "  s3proxy CPU while run $r's segments were copied: $(awk -v a="$s3_before" -v b="$(cpu "$S3_PID")" 'BEGIN { printf "%.1f", b - a }') s"
done
end="$(offset tiered -1)"
echo "tiered: log end $end, latest tiered $(offset tiered -5), earliest local $(offset tiered -4), earliest $(offset tiered -2)"
echo "local topic log end $(offset local -1); remote objects: $(find "$OUT/s3/data" -name '*.log' | wc -l) segments"
consume tiered tiered-cold
consume tiered tiered-warm
consume local local

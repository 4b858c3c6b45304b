#!/usr/bin/env bash
# Produce throughput with records checked against the schema registry (content mode: each value's schema id checked
# for the topic's subject and its Avro payload decoded) against the same produce to a topic without checks, in one
# run, alternating: Kafka's ProducerPerformance (from ../shared/peers) writes ~1 KiB Avro records in Confluent's wire
# format (16 string fields), acks=all, 3 partitions, RF=3, min.insync.replicas=2, through the direct data path.
#
# usage: PEERS=<peers dir with kafka/lib fetched> BOOTSTRAP=127.0.0.1:9092 GATEWAY=http://127.0.0.1:8080 \
#          [REPS=3] [N=500000] bench/schema-validation.sh OUT_DIR
#   Prints, per repetition, each topic's ProducerPerformance summary line; then the median MB/s of each and their ratio.
set -euo pipefail
: "${PEERS:?the peer harness directory (../shared/peers, or a writable copy with kafka/lib fetched)}"
: "${BOOTSTRAP:?the Kafka endpoint, e.g. 127.0.0.1:9092}"
: "${GATEWAY:?the gateway, e.g. http://127.0.0.1:8080}"
OUT="${1:?an output directory}"
: "${REPS:=3}"
: "${N:=500000}"
TARGET_BOOTSTRAP="$BOOTSTRAP" source "$PEERS/kafka/env.sh"
mkdir -p "$OUT"

# 16 string fields of 62 characters: each is one length byte (124, '|') and ASCII, so every record is valid UTF-8
# with no newline, as ProducerPerformance reads its payload file.
schema='{"type":"record","name":"Reading","namespace":"bench","fields":['
for i in $(seq 0 15); do schema+="{\"name\":\"f$i\",\"type\":\"string\"}"; [[ $i -lt 15 ]] && schema+=','; done
schema+=']}'
body=$(python3 -c 'import json,sys; print(json.dumps({"schema": sys.argv[1]}))' "$schema")

register() {  # register SUBJECT: prints the schema id
  curl -sf -X POST "$GATEWAY/schema-registry/subjects/$1/versions" \
       -H 'Content-Type: application/vnd.schemaregistry.v1+json' -d "$body" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])'
}

payloads() {  # payloads ID FILE: 1000 distinct records in the wire format, one per line
  python3 - "$1" "$2" <<'PY'
import random, string, struct, sys
schema_id, path = int(sys.argv[1]), sys.argv[2]
random.seed(7)
with open(path, "wb") as out:
    for _ in range(1000):
        record = b"".join(bytes([124]) + "".join(random.choices(string.ascii_letters, k=62)).encode()
                          for _ in range(16))
        out.write(b"\0" + struct.pack(">i", schema_id) + record + b"\n")
PY
}

create() {  # create TOPIC CONFIGS...: through the gateway's API (Kafka's TopicCommand refuses config names Apache Kafka
            # does not know, Confluent Server's among them)
  local topic="$1"; shift
  python3 - "$topic" "$@" <<'PY' | curl -sf -X POST "$GATEWAY/v1/topics" -H 'Content-Type: application/json' -d @- >/dev/null
import json, sys
configs = [{"name": "min.insync.replicas", "value": "2"}]
configs += [{"name": kv.split("=", 1)[0], "value": kv.split("=", 1)[1]} for kv in sys.argv[2:]]
print(json.dumps({"name": sys.argv[1], "partition_count": 3, "replication_factor": 3, "configs": configs}))
PY
}

produce() {  # produce TOPIC CONFIGS...: one ProducerPerformance run of N records on a fresh topic
  local topic="$1"; shift
  create "$topic" "$@"
  ktool org.apache.kafka.tools.ProducerPerformance --bootstrap-server "$BOOTSTRAP" --topic "$topic" \
    --num-records "$N" --payload-file "$OUT/payloads" --throughput -1 --reporting-interval 60000 \
    --command-property acks=all batch.size=262144 linger.ms=5 > "$OUT/$topic.log" 2>&1
  tail -1 "$OUT/$topic.log"
  topic_delete "$topic" >/dev/null
  sync; sleep 5
}

id=$(register "schema-bench-on-0-value")
payloads "$id" "$OUT/payloads"
echo "schema id $id; $(wc -l < "$OUT/payloads") payloads of $(head -1 "$OUT/payloads" | wc -c) bytes"
produce schema-bench-warmup-off >/dev/null
register "schema-bench-warmup-on-value" >/dev/null
produce schema-bench-warmup-on confluent.value.schema.validation=true sluice.value.schema.validation.mode=content \
  >/dev/null
for ((r = 1; r <= REPS; r++)); do
  register "schema-bench-on-$r-value" >/dev/null
  if ((r % 2)); then order="off on"; else order="on off"; fi
  for kind in $order; do
    if [[ $kind == on ]]; then
      echo "r$r on:  $(produce "schema-bench-on-$r" confluent.value.schema.validation=true \
                         sluice.value.schema.validation.mode=content)"
    else
      echo "r$r off: $(produce "schema-bench-off-$r")"
    fi
  done
done | tee "$OUT/summary.txt"
python3 - "$OUT/summary.txt" <<'PY'
import re, statistics, sys
rates = {"on": [], "off": []}
for line in open(sys.argv[1]):
    m = re.match(r"r\d+ (on|off):.*\(([\d.]+) MB/sec\)", line)
    if m:
        rates[m.group(1)].append(float(m.group(2)))
on, off = statistics.median(rates["on"]), statistics.median(rates["off"])
print(f"median MB/s: checked {on:.1f} {rates['on']}, unchecked {off:.1f} {rates['off']}, ratio {on / off:.2f}")
PY

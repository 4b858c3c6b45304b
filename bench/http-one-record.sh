#!/usr/bin/env bash
# One record per HTTP request, driven by Debian's wrk (a load generator not written here, and cheap: about 17 µs of
# CPU per request on the project's box against 40-65 µs for run-load.sh's Java generator), with the CPU every Sluice
# process spent per request: what issue 64's "one record per request >= 10,000/s" row is made of, run by run.
#
# usage: [PIDFILES="<base-dir>/run/*.pid"] bench/http-one-record.sh [GATEWAY_URL] [OUT_DIR]
#   (defaults: http://127.0.0.1:8080, /tmp/sluice-one-record/<time>); needs a running cluster (bin/sluice up) and wrk
#   (apt-get install wrk). PIDFILES defaults to the local cluster's pid files under $SLUICE_BASE_DIR (bin/sluice's
#   default: var/ in the repository) when they exist; without any, only the load's figures are printed.
#
# On a fresh topic (3 partitions, RF 3, min.insync.replicas=2, deleted afterwards): WARMUP_RUNS unrecorded runs, then
# REPS recorded ones, each DURATION long with CONNECTIONS connections (one request in flight on each) POSTing one
# RECORD_SIZE-byte string value with acks=all. Each recorded run prints a RESULT line: records/s, latency p50/p99,
# requests that were not answered 2xx (a run with any is marked failed), client requests per internal produce request
# (the gateway's coalescing), and the CPU per request of each process and of wrk itself, in microseconds.
#   e.g. REPS=7 WARMUP_RUNS=3 bench/http-one-record.sh
#   QUICK=1 bench/http-one-record.sh     one 5 s warm-up and one 5 s run: checks the flow in about 15 s
set -euo pipefail

ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
GATEWAY="${1:-${GATEWAY:-http://127.0.0.1:8080}}"
[[ "$GATEWAY" == *://* ]] || GATEWAY="http://$GATEWAY"
OUT="${2:-/tmp/sluice-one-record/$(date +%Y%m%d-%H%M%S)}"
if [[ "${QUICK:-0}" == 1 ]]; then
  : "${WARMUP_RUNS:=1}" "${REPS:=1}" "${DURATION:=5s}"
fi
: "${WARMUP_RUNS:=3}"
: "${REPS:=5}"
: "${DURATION:=20s}"
: "${CONNECTIONS:=64}"
: "${RECORD_SIZE:=1024}"
: "${SLUICE_BASE_DIR:=$ROOT/var}"
if [[ -z "${PIDFILES:-}" ]] && compgen -G "$SLUICE_BASE_DIR/run/*.pid" > /dev/null; then
  PIDFILES="$(echo "$SLUICE_BASE_DIR"/run/*.pid)"
fi
source "$ROOT/bench/cpu.sh"

command -v wrk > /dev/null || { echo "http-one-record.sh needs wrk: apt-get install wrk" >&2; exit 1; }
if ! curl -sf -o /dev/null "$GATEWAY/v1/cluster"; then
  echo "no gateway answers at $GATEWAY (start one with bin/sluice up, or pass its URL)" >&2
  exit 1
fi
mkdir -p "$OUT"
TOPIC="one-record-$(date +%H%M%S)"
curl -sf -o /dev/null -X POST "$GATEWAY/v1/topics" -H 'Content-Type: application/json' -d "{\"name\":\"$TOPIC\",\
\"partition_count\":3,\"replication_factor\":3,\"configs\":[{\"name\":\"min.insync.replicas\",\"value\":\"2\"}]}" \
  || { echo "could not create topic $TOPIC at $GATEWAY" >&2; exit 1; }
trap 'curl -s -o /dev/null -X DELETE "$GATEWAY/v1/topics/$TOPIC" || true' EXIT
URL="$GATEWAY/v1/topics/$TOPIC/records?acks=all"

cat > "$OUT/post.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"value_format":"string","records":[{"value":"' .. string.rep("x", $RECORD_SIZE) .. '"}]}'
LUA

{
  echo "gateway: $GATEWAY"; echo "date: $(date -Is)"; echo "host: $(uname -a)"; nproc
  echo "git: $(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "settings: WARMUP_RUNS=$WARMUP_RUNS REPS=$REPS DURATION=$DURATION CONNECTIONS=$CONNECTIONS" \
       "RECORD_SIZE=$RECORD_SIZE PIDFILES=${PIDFILES:-}"
  wrk --version 2>&1 | head -1 || true
  "$ROOT/bench/page-reporting.sh" show
} > "$OUT/machine.txt"

internal() {  # the gateway's internal produce requests and the client requests they carried, so far
  curl -s "$GATEWAY/actuator/prometheus" \
    | awk '/^sluice_gateway_produce_internal_requests_count/ { c = $2 } /^sluice_gateway_produce_internal_requests_sum/ { s = $2 }
           END { printf "%d %d", c, s }'
}
cpu_of_children() {  # cpu_of_children FILE: CPU seconds (user + system) of this shell's children, from what bash's
  # times wrote to FILE (run in this shell, not a subshell, whose own children's times start at zero)
  tail -1 "$1" | awk '{ split($1, u, "m"); split($2, s, "m");
    printf "%.3f", u[1] * 60 + substr(u[2], 1, length(u[2]) - 1) + s[1] * 60 + substr(s[2], 1, length(s[2]) - 1) }'
}

run() {  # run NAME: one wrk run; prints its RESULT line when NAME is a recorded run
  local name=$1 log="$OUT/$1.log" before after in0 in1 w0 w1
  before="$(ticks "${PIDFILES:-}")"; in0="$(internal)"
  times > "$OUT/.times-before"
  wrk -t1 -c"$CONNECTIONS" -d"$DURATION" --latency -s "$OUT/post.lua" "$URL" > "$log" 2>&1
  times > "$OUT/.times-after"
  in1="$(internal)"; after="$(ticks "${PIDFILES:-}")"
  w0="$(cpu_of_children "$OUT/.times-before")"; w1="$(cpu_of_children "$OUT/.times-after")"
  [[ "$name" == warmup-* ]] && { echo "$name: $(grep -o 'Requests/sec: *[0-9.]*' "$log")"; return 0; }
  awk -v name="$name" -v before="$before" -v after="$after" -v in0="$in0" -v in1="$in1" -v w0="$w0" -v w1="$w1" '
    /requests in/ { n = $1 }
    /Requests\/sec:/ { rps = $2 }
    /Non-2xx or 3xx responses:/ { bad = $5 }
    /Socket errors:/ { errors = $0; sub(/^ *Socket errors: */, "", errors); gsub(/, /, ",", errors); gsub(/ /, "=", errors) }
    $1 == "50%" { p50 = $2 } $1 == "99%" { p99 = $2 }
    END {
      if (n == 0) { print "RESULT run=" name " failed=no-requests"; exit }
      split(in0, a, " "); split(in1, b, " ");
      per = (b[1] > a[1]) ? sprintf("%.2f", (b[2] - a[2]) / (b[1] - a[1])) : "-"
      line = sprintf("RESULT run=%s requests=%d rps=%s p50=%s p99=%s non_2xx=%d socket_errors=%s failed=%s" \
                     " client_requests_per_internal=%s wrk_us=%.1f", name, n, rps, p50, p99, bad + 0,
                     errors == "" ? "-" : errors, (bad + 0 > 0 || errors != "") ? "yes" : "no", per, (w1 - w0) * 1e6 / n)
      k = split(before, x, " "); split(after, y, " "); total = 0
      for (i = 1; i <= k; i++) {
        split(x[i], p, "="); split(y[i], q, "=")
        us = (q[2] - p[2]) * 1e6 / n; total += us
        line = line sprintf(" %s_us=%.1f", p[1], us)
      }
      if (k > 0) line = line sprintf(" services_us=%.1f", total)
      print line
    }' "$log" | tee -a "$OUT/results.txt"
}

echo "one record per request: $URL, $CONNECTIONS connections, $DURATION per run; output in $OUT"
for i in $(seq 1 "$WARMUP_RUNS"); do run "warmup-$i"; done
for i in $(seq 1 "$REPS"); do run "r$i"; done
echo "== results ($OUT/results.txt)"
cat "$OUT/results.txt"
rm -f "$OUT/.times-before" "$OUT/.times-after"

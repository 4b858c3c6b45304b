#!/usr/bin/env bash
# Share groups over HTTP (issue 45): records acknowledged per second with 1, 10 and 100 HTTP workers of one share
# group, each worker a loop of take (POST …/acquisitions, BATCH records, max_wait_ms 500) and one acknowledge call
# accepting all it took; then the per-record cost of the same records read by one polling consumer-group member
# (POST …/members/{m}/poll, BATCH records a poll), the plain group read to set the share figures beside.
# Each worker count gets a fresh topic (PARTITIONS partitions, RF 3) of N records of ~100 bytes, deleted at the end.
# Prints a RESULT line per run and a summary; figures are a report, never a pass/fail.
#
# usage: bench/share-groups.sh [GATEWAY_URL]        (default http://127.0.0.1:8080; needs `bin/sluice up` running)
#   N=20000 BATCH=100 PARTITIONS=3 WORKERS="1 10 100" bench/share-groups.sh
set -euo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
GATEWAY="${1:-${GATEWAY:-http://127.0.0.1:8080}}"
: "${N:=20000}" "${BATCH:=100}" "${PARTITIONS:=3}" "${WORKERS:=1 10 100}"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

echo "share-groups benchmark: $GATEWAY, N=$N, BATCH=$BATCH, PARTITIONS=$PARTITIONS, WORKERS=$WORKERS, $(nproc) cores"
echo "commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown), $(date -u +%FT%TZ)"
# shellcheck disable=SC2086
"$JAVA" -Xmx512m "$ROOT/bench/share-groups/ShareGroupsBench.java" "$GATEWAY" "$N" "$BATCH" "$PARTITIONS" \
  "$(date +%s)" $WORKERS | tee /tmp/share-groups-bench.$$.out
echo
echo "summary:"
awk '/^RESULT share/ { for (i = 3; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
       printf "  %3d workers: %7d records acknowledged/s (%6.1f us a record)\n", f["workers"], f["acked_per_s"], f["us_per_record"];
       if (f["workers"] == 1) one = f["us_per_record"] }
     /^RESULT group_read/ { for (i = 3; i <= NF; i++) { split($i, kv, "="); g[kv[1]] = kv[2] }
       printf "  plain group read, 1 member: %7d records/s (%6.1f us a record)\n", g["read_per_s"], g["us_per_record"];
       if (one > 0) printf "  a share record (take + accept, 1 worker) costs %.1fx a group-read record\n", one / g["us_per_record"] }' \
  /tmp/share-groups-bench.$$.out
rm -f /tmp/share-groups-bench.$$.out

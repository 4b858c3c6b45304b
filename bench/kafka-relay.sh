#!/usr/bin/env bash
# What forwarding every byte through a second process costs a consumer, apart from any protocol work: the peer Kafka
# cluster read by bench/kafka-reads.sh directly, then with its brokers advertised behind a TCP relay on loopback
# (io.sluice.bench.relay.TcpRelay, one process, two event loops, as Sluice's one gateway) that copies the brokers'
# answers through user space, then behind the same relay splicing them (splice(2), never in user space; mode "probe"
# splices too, without Netty's deprecated spliceTo: see TcpRelay). The relay process's CPU is measured with the
# brokers'. Each mode starts a fresh cluster, writes the topic and reads it READS times; a summary of the reads from
# SUMMARY_FROM on closes the run.
#
# usage: PEERS=<peers dir with kafka/lib fetched> [MODES="direct copy splice probe"] [READS=25] [SUMMARY_FROM=15] \
#          bench/kafka-relay.sh OUT_DIR
#   The relayed cluster is a copy of PEERS in OUT_DIR/peers-relay whose brokers listen where PEERS has them, take
#   replication on a second listener (port +400) and advertise the relay's ports (+300) to clients.
#   Builds sluice-bench/target/benchmarks.jar when it is missing. Needs Linux (epoll) and nothing else running.
set -euo pipefail
: "${PEERS:?the peer harness directory (../shared/peers, or a writable copy with kafka/lib fetched)}"
OUT="${1:?an output directory}"
: "${MODES:=direct copy splice}"
: "${READS:=25}"
: "${SUMMARY_FROM:=15}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PEERS="$(cd "$PEERS" && pwd)"
JAR="$ROOT/sluice-bench/target/benchmarks.jar"
if [[ ! -f "$JAR" || -n "$(find "$ROOT/sluice-bench/src/main" "$ROOT/sluice-bench/pom.xml" -newer "$JAR" -print -quit)" ]]; then
  echo "building $JAR" >&2
  (cd "$ROOT" && ./mvnw -q -B -DskipTests package -pl sluice-bench -am >&2)
fi
mkdir -p "$OUT"
source "$PEERS/kafka/env.sh"
RUN_PIDS="$KAFKA_PEER_RUN/pids"

relayed_peers() {  # a copy of PEERS whose brokers advertise the relay's ports
  local copy="$OUT/peers-relay"
  rm -rf "$copy" && cp -r "$PEERS" "$copy"
  sed -i -e 's|^listeners=PLAINTEXT://127.0.0.1:@@BROKER_PORT@@,|listeners=EXTERNAL://127.0.0.1:@@BROKER_PORT@@,INTERNAL://127.0.0.1:@@INTERNAL_PORT@@,|' \
    -e 's|^advertised.listeners=PLAINTEXT://127.0.0.1:@@BROKER_PORT@@|advertised.listeners=EXTERNAL://127.0.0.1:@@RELAY_PORT@@,INTERNAL://127.0.0.1:@@INTERNAL_PORT@@|' \
    -e 's|^inter.broker.listener.name=PLAINTEXT|inter.broker.listener.name=INTERNAL|' \
    -e 's|^listener.security.protocol.map=.*|listener.security.protocol.map=CONTROLLER:PLAINTEXT,EXTERNAL:PLAINTEXT,INTERNAL:PLAINTEXT|' \
    "$copy/kafka/config/server.properties.template"
  sed -i 's/-e "s|@@BROKER_PORT@@|$((KAFKA_BROKER_PORT_BASE+i-1))|" \\/-e "s|@@BROKER_PORT@@|$((KAFKA_BROKER_PORT_BASE+i-1))|" -e "s|@@RELAY_PORT@@|$((KAFKA_BROKER_PORT_BASE+300+i-1))|" -e "s|@@INTERNAL_PORT@@|$((KAFKA_BROKER_PORT_BASE+400+i-1))|" \\/' \
    "$copy/kafka/start-cluster.sh"
  grep -q RELAY_PORT "$copy/kafka/start-cluster.sh" && grep -q '^advertised.listeners=EXTERNAL' \
    "$copy/kafka/config/server.properties.template" || { echo "could not rewrite $copy for the relay" >&2; exit 1; }
  echo "$copy"
}

relay_pid=""
cluster_peers=""
stop_all() {  # the cluster (by the pids its scripts recorded) and the relay (by its pid), whichever runs
  if [[ -n "$cluster_peers" ]]; then
    (cd "$cluster_peers/kafka" && ./stop-cluster.sh --clean) > /dev/null 2>&1 || true
    cluster_peers=""
  fi
  if [[ -n "$relay_pid" ]]; then
    kill "$relay_pid" 2>/dev/null && wait "$relay_pid" 2>/dev/null || true
    relay_pid=""
  fi
}
trap stop_all EXIT

for mode in $MODES; do
  peers="$PEERS"
  bootstrap="$BOOTSTRAP"
  pidfiles=""
  if [[ "$mode" != direct ]]; then
    peers="$(relayed_peers)"
    routes=""
    bootstrap=""
    for ((i = 0; i < KAFKA_NODES; i++)); do
      routes+=" $((KAFKA_BROKER_PORT_BASE + 300 + i)):$((KAFKA_BROKER_PORT_BASE + i))"
      bootstrap+="${bootstrap:+,}127.0.0.1:$((KAFKA_BROKER_PORT_BASE + 300 + i))"
    done
    "$JAVA" -XX:+UseSerialGC -Xmx256m --enable-native-access=ALL-UNNAMED -cp "$JAR" io.sluice.bench.relay.TcpRelay \
      "$mode" $routes > "$OUT/relay-$mode.log" 2>&1 &
    relay_pid=$!
    echo "$relay_pid" > "$OUT/relay.pid"
    pidfiles="$OUT/relay.pid"
    sleep 2
  fi
  cluster_peers="$peers"
  (cd "$peers/kafka" && ./start-cluster.sh) > "$OUT/start-$mode.log" 2>&1
  PEERS="$peers" BOOTSTRAP="$bootstrap" PIDFILES="$(ls "$RUN_PIDS"/*.pid) $pidfiles" READS="$READS" \
    "$ROOT/bench/kafka-reads.sh" "$OUT/$mode" | tee "$OUT/$mode.log"
  stop_all
done

echo "summary: reads $SUMMARY_FROM to $((READS - 1)), mean MB/s; CPU seconds per read of the brokers and of the relay"
for mode in $MODES; do
  awk -v from="$SUMMARY_FROM" -v mode="$mode" '
    /^read [0-9]+:/ { r = $2 + 0; mb = $3 }
    /cpu before:/ { split("", b); for (i = 3; i <= NF; i++) { split($i, kv, "="); b[kv[1]] = kv[2] } }
    /cpu after:/ {
      if (r < from) next
      n++; sum += mb
      for (i = 3; i <= NF; i++) { split($i, kv, "="); d = kv[2] - b[kv[1]]; if (kv[1] == "relay") rl += d; else br += d }
    }
    END { if (n) printf "%-7s %7.1f MB/s  brokers %.2f s  relay %.2f s  (%d reads)\n", mode, sum / n, br / n, rl / n, n }
  ' "$OUT/$mode.log"
done

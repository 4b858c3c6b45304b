package io.sluice.partition.simulation;

import io.sluice.internal.coordinator.AlterPartitionRequest;
import io.sluice.internal.coordinator.CoordinatorApi;
import io.sluice.internal.metadata.ClusterMetadata;
import io.sluice.internal.metadata.MetadataView;
import io.sluice.internal.metadata.PartitionState;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.internal.partition.PartitionBatches;
import io.sluice.internal.partition.ProduceRequestCodec;
import io.sluice.internal.partition.ProduceResponse;
import io.sluice.log.LogConfig;
import io.sluice.log.PartitionLog;
import io.sluice.log.PowerLossDisk;
import io.sluice.partition.replica.Partition;
import io.sluice.protocol.Acks;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import io.sluice.protocol.TopicPartition;
import io.sluice.protocol.config.TopicConfigs;
import io.sluice.protocol.record.CompressionType;
import io.sluice.protocol.record.RecordBatchBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

/**
 * Three partition-service nodes, the coordinator, producing clients (plain, and transactional:
 * {@link SimulatedTransactions}), read_committed readers ({@link ReadCommittedReaders}) and the network between them,
 * on one {@link Simulation}, with faults injected at random: crashes (SIGKILL: the page cache survives) with restarts
 * within and beyond the session timeout, power losses (a node's unflushed segment bytes are gone when it restarts),
 * links that stop delivering in both directions, and latencies that vary per message (so answers overtake each
 * other). Nodes reach each other only through {@link #call}, which delivers nothing to or from a process that has
 * crashed, and answers a call across a cut link with a timeout — an outcome the caller cannot tell from a slow success.
 */
final class SimulatedCluster implements AutoCloseable {

    static final long LAG_TIME_MAX_MS = 1_000;
    static final String TOPIC = "sim";
    private static final int NODES = 3;
    private static final int PARTITIONS = 2;
    private static final int CLIENTS = 3;
    private static final int COORDINATOR = 0;
    private static final int CLIENT = -1;
    private static final long CALL_TIMEOUT_MS = 1_000;

    private final Simulation sim;
    private final Path baseDir;
    private final SimulatedCoordinator coordinator;
    private final LogConfig logConfig;
    private final SimulatedNode[] nodes = new SimulatedNode[NODES + 1];
    private final int[] incarnations = new int[NODES + 1];
    private final boolean[] restarting = new boolean[NODES + 1];
    private final Set<String> cutLinks = new HashSet<>();
    private final HistoryChecker checker = new HistoryChecker();
    private final ReadCommittedChecker readCommitted = new ReadCommittedChecker(checker.anomalies());
    private final SimulatedTransactions transactions;
    private final ReadCommittedReaders readers;
    private final Map<String, Integer> faults = new LinkedHashMap<>();
    private boolean faultsOn = true;
    private boolean producing = true;
    private long nextValue;

    SimulatedCluster(long seed, Path baseDir) {
        this.sim = new Simulation(seed);
        this.baseDir = baseDir;
        Map<String, String> configs = Map.of(TopicConfigs.MIN_INSYNC_REPLICAS, "2", "segment.ms", "2000",
                "segment.index.bytes", "4096");
        this.logConfig = LogConfig.defaults().withTopicConfigs(configs);
        List<PartitionState> partitions = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            List<Integer> replicas = List.of(1 + p % NODES, 1 + (p + 1) % NODES, 1 + (p + 2) % NODES);
            partitions.add(new PartitionState(p, replicas, PartitionState.NO_LEADER, replicas, 0, 0));
        }
        this.coordinator = new SimulatedCoordinator(sim, new TopicMetadata(TOPIC, "sim-topic-id", NODES, configs,
                partitions));
        this.transactions = new SimulatedTransactions(this, readCommitted, PARTITIONS);
        this.readers = new ReadCommittedReaders(this, readCommitted, NODES, PARTITIONS);
    }

    Simulation sim() {
        return sim;
    }

    HistoryChecker checker() {
        return checker;
    }

    ReadCommittedChecker readCommitted() {
        return readCommitted;
    }

    SimulatedTransactions transactions() {
        return transactions;
    }

    /** Whether clients still start new produces and transactions. */
    boolean producing() {
        return producing;
    }

    ClusterMetadata metadata() {
        return coordinator.metadata();
    }

    Map<String, Integer> faults() {
        return faults;
    }

    /**
     * Starts every node, the coordinator's session checks, the clients, the transactional producers, the checkers'
     * watch and read_committed readers, and the faults.
     */
    void start() {
        for (int id = 1; id <= NODES; id++) {
            startNode(id, baseDir.resolve("node-" + id + "-0"));
        }
        every(100, "sessions", coordinator::expireSessions);
        every(5, "observe", this::observeLeaders);
        every(20, "read committed", readers::read);
        for (int c = 0; c < CLIENTS; c++) {
            client(c, new ClientState());
        }
        transactions.start();
        sim.schedule(500, "faults", this::nextFault);
    }

    /**
     * Starts every node and the coordinator's session checks, without clients or faults: a test makes its own calls
     * ({@link #call}) and reads the nodes' state ({@link #node}, {@link #partitionState}).
     */
    void startQuiet() {
        faultsOn = false;
        producing = false;
        start();
    }

    /** The running incarnation of node {@code id}, or null while it is down. */
    SimulatedNode node(int id) {
        return nodes[id];
    }

    /** The coordinator's current state of partition {@code partition} of {@link #TOPIC}. */
    PartitionState partitionState(int partition) {
        return coordinator.topic().partitions().get(partition);
    }

    /**
     * Ends the faults: links heal, stopped nodes restart, clients stop after a while, and the cluster gets
     * {@code settle} to catch up; then every partition is checked in full.
     */
    void healAndCheck(Duration settle) {
        faultsOn = false;
        cutLinks.clear();
        sim.run(Duration.ofSeconds(5)); // restarts in progress finish
        producing = false;
        sim.run(settle);
        for (PartitionState state : coordinator.topic().partitions()) {
            if (!state.hasLeader() || state.isr().size() != NODES) {
                checker.anomalies().add("partition " + state.partition() + " did not recover after the faults ended: "
                        + state);
                continue;
            }
            Map<Integer, PartitionLog> followers = new LinkedHashMap<>();
            for (int replica : state.isr()) {
                if (replica != state.leader()) {
                    followers.put(replica, log(replica, state.partition()));
                }
            }
            checker.checkFinal(state.partition(), log(state.leader(), state.partition()), followers);
            for (int replica : state.isr()) {
                readCommitted.checkFinal("node " + nodes[replica].incarnation, state.partition(),
                        log(replica, state.partition()));
            }
        }
        readCommitted.checkAllCompleted();
    }

    private PartitionLog log(int node, int partition) {
        return nodes[node].replicas.partition(new TopicPartition(TOPIC, partition)).orElseThrow().log();
    }

    // ------------------------------------------------------------------ nodes

    private void startNode(int id, Path dataDir) {
        SimulatedNode node;
        try {
            node = new SimulatedNode(this, id, id + "-" + incarnations[id], dataDir, logConfig);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        nodes[id] = node;
        restarting[id] = false;
        register(node);
        everyWhile(node, sim.between(80, 120), "heartbeat " + id, () -> {
            if (node.registered()) {
                call(node, COORDINATOR, "heartbeat", ignored -> {
                    coordinator.heartbeat(id);
                    return Mono.just(Boolean.TRUE);
                }).subscribe(ok -> { }, error -> { });
            }
        });
        everyWhile(node, sim.between(20, 200), "metadata " + id, () -> {
            if (node.registered()) {
                call(node, COORDINATOR, "metadata", ignored -> Mono.just(new MetadataView(coordinator.metadata())))
                        .subscribe(node::offerMetadata, error -> { });
            }
        });
        long[] rounds = {0};
        everyWhile(node, 250, "housekeeping " + id, () -> node.housekeeping(++rounds[0] % 4 == 0));
    }

    private void register(SimulatedNode node) {
        call(node, COORDINATOR, "register", ignored -> {
            coordinator.register(node.id, "http://node-" + node.id, node.incarnation);
            return Mono.just(Boolean.TRUE);
        }).subscribe(ok -> node.registered(true),
                error -> sim.schedule(200, "register again " + node.id, () -> {
                    if (nodes[node.id] == node) {
                        register(node);
                    }
                }));
    }

    /** The node's process dies; after {@code downMs} the next incarnation starts on what the crash left on disk. */
    private void crash(int id, boolean powerLoss, long downMs) {
        SimulatedNode node = nodes[id];
        nodes[id] = null;
        restarting[id] = true;
        node.crash();
        Path next = baseDir.resolve("node-" + id + "-" + ++incarnations[id]);
        try {
            if (powerLoss) {
                node.disk.copyAfterPowerLoss(node.dataDir, next);
            } else {
                PowerLossDisk.copyTree(node.dataDir, next);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        sim.schedule(downMs, "restart " + id, () -> startNode(id, next));
    }

    CoordinatorApi coordinatorClient(SimulatedNode node) {
        return new SimulatedCoordinatorClient(node);
    }

    /**
     * A call from {@code caller} to the coordinator, answered there by {@code answer}, made while {@code caller}
     * serves a request of its own: unlike {@link #call}, a crash of the caller does not swallow it (it would leave the
     * request it serves unanswered for good, where a real client's call times out); the caller's crashed incarnation
     * gets the answer, and whatever it does with it is lost with it.
     */
    <T> Mono<T> callCoordinator(SimulatedNode caller, String what, Supplier<T> answer) {
        return call(null, caller.id, COORDINATOR, what, ignored -> Mono.just(answer.get()));
    }

    /** A call from the coordinator: like {@link #call}, across the links between the coordinator and the nodes. */
    <T> Mono<T> callFromCoordinator(int to, String what, Function<SimulatedNode, Mono<T>> handler) {
        return call(null, COORDINATOR, to, what, handler);
    }

    /** A follower could not connect to {@code leader}: the coordinator probes it (it is dead if nothing listens). */
    void reportUnreachable(SimulatedNode reporter, int leader) {
        call(reporter, COORDINATOR, "unreachable", ignored -> {
            coordinator.reportUnreachable(leader, nodes[leader] != null);
            return Mono.just(Boolean.TRUE);
        }).subscribe(ok -> { }, error -> { });
    }

    // ---------------------------------------------------------------- network

    /**
     * A call from {@code caller} (null: the coordinator or a client, which never crash) to endpoint {@code to},
     * handled there by {@code handler} (given the target node, null for the coordinator). Each leg takes its own
     * latency. Nothing is delivered to or from an incarnation that has crashed; a call to a node whose process is
     * down is refused (LEADER_NOT_AVAILABLE, as a refused connection is); a call or answer across a cut link, or an
     * answer lost when the answering node crashed, ends in a timeout.
     */
    <T> Mono<T> call(SimulatedNode caller, int to, String what, Function<SimulatedNode, Mono<T>> handler) {
        return call(caller, caller == null ? CLIENT : caller.id, to, what, handler);
    }

    private <T> Mono<T> call(SimulatedNode caller, int from, int to, String what,
                             Function<SimulatedNode, Mono<T>> handler) {
        return Mono.create(sink -> sim.schedule(latency(), what + " " + from + ">" + to, () -> {
            if (caller != null && nodes[caller.id] != caller) {
                return;
            }
            if (!linked(from, to)) {
                timeOut(sink, what);
                return;
            }
            SimulatedNode target = to > 0 ? nodes[to] : null;
            if (to > 0 && target == null) {
                sink.error(ErrorCode.LEADER_NOT_AVAILABLE.exception("Connection refused by node " + to));
                return;
            }
            Mono<T> answer;
            try {
                answer = handler.apply(target);
            } catch (SluiceException e) {
                answer = Mono.error(e);
            }
            answer.materialize().subscribe(signal -> answer(caller, from, to, target, what, sink, () -> {
                if (signal.hasValue()) {
                    sink.success(signal.get());
                } else if (signal.hasError()) {
                    sink.error(signal.getThrowable());
                } else {
                    sink.success();
                }
            }));
        }));
    }

    private <T> void answer(SimulatedNode caller, int from, int to, SimulatedNode target, String what,
                            MonoSink<T> sink, Runnable deliver) {
        sim.schedule(latency(), what + " answer " + to + ">" + from, () -> {
            if (caller != null && nodes[caller.id] != caller) {
                return;
            }
            if (!linked(from, to) || (target != null && nodes[to] != target)) {
                timeOut(sink, what);
            } else {
                deliver.run();
            }
        });
    }

    private <T> void timeOut(MonoSink<T> sink, String what) {
        sim.schedule(CALL_TIMEOUT_MS, "timeout " + what,
                () -> sink.error(ErrorCode.REQUEST_TIMED_OUT.exception("No answer to " + what)));
    }

    /** Mostly a few milliseconds; now and then a stall that lets later messages overtake. */
    private long latency() {
        return sim.chance(0.02) ? sim.between(50, 400) : sim.between(1, 6);
    }

    private boolean linked(int a, int b) {
        return !cutLinks.contains(link(a, b));
    }

    private static String link(int a, int b) {
        return Math.min(a, b) + "-" + Math.max(a, b);
    }

    // ---------------------------------------------------------------- clients

    /**
     * A producer: one record per request, acks=all, up to four requests in flight, to the leader its metadata names
     * (refreshed every half second and after every error). A failed value is never sent again, so every value is
     * written at most once unless the broker duplicates it.
     */
    private void client(int id, ClientState client) {
        if (!producing) {
            return;
        }
        if (client.view == null || sim.nowMs() - client.refreshedAtMs > 500) {
            client.refresh();
        }
        int partition = sim.random.nextInt(PARTITIONS);
        PartitionState state = client.view.partition(new TopicPartition(TOPIC, partition)).orElseThrow();
        if (state.hasLeader() && client.inFlight < 4) {
            String value = "c" + id + "-" + nextValue++;
            client.inFlight++;
            int leader = state.leader();
            int epoch = state.leaderEpoch();
            call(null, leader, "produce", target -> target.produce.produce(body(partition, epoch, value), Acks.ALL,
                    Duration.ofSeconds(2)))
                    .subscribe(response -> {
                        client.inFlight--;
                        ProduceResponse.PartitionResult result = response.partitions().getFirst();
                        if (result.errorCode() == null) {
                            checker.acked(partition, value, result.baseOffset(), epoch, leader);
                        } else {
                            client.view = null;
                        }
                    }, error -> {
                        client.inFlight--;
                        client.view = null;
                    });
        }
        sim.schedule(sim.between(2, 30), "client " + id, () -> client(id, client));
    }

    /** A client's metadata (null: to be refreshed) and requests in flight. */
    private final class ClientState {
        MetadataView view;
        long refreshedAtMs;
        int inFlight;

        void refresh() {
            view = new MetadataView(coordinator.metadata());
            refreshedAtMs = sim.nowMs();
        }
    }

    private static ByteBuffer body(int partition, int epoch, String value) {
        ByteBuffer batch = RecordBatchBuilder.of(CompressionType.NONE)
                .append(0L, null, value.getBytes(StandardCharsets.UTF_8)).build();
        return ProduceRequestCodec.encode(List.of(new PartitionBatches(new TopicPartition(TOPIC, partition), epoch,
                batch)));
    }

    private void observeLeaders() {
        for (int id = 1; id <= NODES; id++) {
            SimulatedNode node = nodes[id];
            if (node == null) {
                continue;
            }
            for (Partition partition : node.replicas.partitions()) {
                if (partition.isLeader()) {
                    checker.observeLeader("node " + node.incarnation, partition.topicPartition().partition(),
                            partition.leaderEpoch(), partition.log());
                }
            }
        }
    }

    // ----------------------------------------------------------------- faults

    private void nextFault() {
        if (!faultsOn) {
            return;
        }
        int node = 1 + sim.random.nextInt(NODES);
        int down = 0;
        for (int id = 1; id <= NODES; id++) {
            down += nodes[id] == null ? 1 : 0;
        }
        int kind = sim.random.nextInt(10);
        if (kind < 3 && nodes[node] != null && down < 2) {
            boolean withinSession = sim.chance(0.5);
            fault(withinSession ? "crash, back within the session timeout" : "crash, back after the session timeout");
            crash(node, false, withinSession ? sim.between(100, SimulatedCoordinator.SESSION_TIMEOUT_MS - 300)
                    : sim.between(SimulatedCoordinator.SESSION_TIMEOUT_MS + 200, 4_000));
        } else if (kind < 5 && nodes[node] != null && powerLossIsSurvivable()) {
            fault("power loss");
            crash(node, true, sim.between(100, 3_000));
        } else if (kind < 8) {
            int other = sim.chance(0.3) ? COORDINATOR : 1 + (node + sim.random.nextInt(NODES - 1)) % NODES;
            String link = link(node, other);
            if (cutLinks.add(link)) {
                fault(other == COORDINATOR ? "node cut off from the coordinator" : "link between nodes cut");
                sim.schedule(sim.between(100, 3_000), "heal " + link, () -> cutLinks.remove(link));
            }
        }
        sim.schedule(sim.between(200, 1_500), "faults", this::nextFault);
    }

    /**
     * A power loss destroys what one node had not flushed; replication covers that only while every other copy
     * survives. Like Kafka, Sluice promises nothing when more copies are lost than min.insync.replicas allows, so
     * a node loses power only when every node runs and every partition's ISR holds all replicas (which also means the
     * last node to lose power has caught up again).
     */
    private boolean powerLossIsSurvivable() {
        for (int id = 1; id <= NODES; id++) {
            if (nodes[id] == null || restarting[id]) {
                return false;
            }
        }
        return coordinator.topic().partitions().stream().allMatch(state -> state.isr().size() == NODES);
    }

    private void fault(String kind) {
        faults.merge(kind, 1, Integer::sum);
    }

    private void every(long periodMs, String what, Runnable action) {
        sim.schedule(periodMs, what, () -> {
            action.run();
            every(periodMs, what, action);
        });
    }

    private void everyWhile(SimulatedNode node, long periodMs, String what, Runnable action) {
        sim.schedule(periodMs, what, () -> {
            if (nodes[node.id] == node) {
                action.run();
                everyWhile(node, periodMs, what, action);
            }
        });
    }

    @Override
    public void close() {
        sim.close();
        for (SimulatedNode node : nodes) {
            if (node != null) {
                node.crash();
            }
        }
    }

    /** The coordinator API as one node calls it: through the network; only what a partition service uses. */
    private final class SimulatedCoordinatorClient extends UnsupportedCoordinatorApi {

        private final SimulatedNode node;

        SimulatedCoordinatorClient(SimulatedNode node) {
            this.node = node;
        }

        @Override
        public Mono<PartitionState> alterPartition(TopicPartition tp, AlterPartitionRequest request) {
            return call(node, COORDINATOR, "alter partition",
                    ignored -> Mono.just(coordinator.alterPartition(tp.partition(), request)));
        }

        @Override
        public Mono<Void> reportUnreachable(int nodeId) {
            SimulatedCluster.this.reportUnreachable(node, nodeId);
            return Mono.empty();
        }
    }
}

package io.sluice.it.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.internal.SluiceJson;
import io.sluice.internal.coordinator.DecommissionListing;
import io.sluice.internal.metadata.PartitionState;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.it.ReplicaFiles;
import io.sluice.launcher.LocalCluster;
import io.sluice.launcher.ServiceKind;
import io.sluice.testing.SluiceCluster;
import io.sluice.testing.Waits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A cluster that changes shape under load, with real processes and the automatic balancer on (issue 62): a topic of
 * 12 partitions at replication factor 3 ({@code min.insync.replicas=2}) on three partition services is written by
 * three producers with acks=all and read by a consumer per partition and a consumer group of three through the
 * gateway, while
 * <ol>
 *   <li>two nodes join, and the balancer moves replicas to them until every node holds as many as any other, give or
 *       take one; the coordinator is SIGKILLed while the first moves are under way and started again, and the moves
 *       go on from what it stored;</li>
 *   <li>node 1 is decommissioned: every replica moves off it, the coordinator then says it is safe to remove, and it
 *       is stopped;</li>
 *   <li>node 2 is SIGKILLed and never comes back: once it has been dead for the repair time, its replicas are
 *       recreated on the three live nodes, and every partition is back at three in-sync replicas.</li>
 * </ol>
 * Then the writes stop, the readers reach the high watermarks and the group commits them, and the chaos run's
 * {@link HistoryChecker} judges it all: no acknowledged record lost or moved, nothing a reader read gone from the
 * final log, no offset the group skipped, the replicas of every partition identical.
 */
class ClusterShapeIT {

    private static final String TOPIC = "shape";
    private static final int PARTITIONS = 12;
    private static final int PRODUCERS = 3;
    private static final int GROUP_MEMBERS = 3;
    private static final long SEED = 62;
    private static final Duration REPAIR_AFTER = Duration.ofSeconds(8);
    private static final Duration PHASE_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration GROUP_COMMIT_TIMEOUT = Duration.ofSeconds(90);

    private static SluiceCluster cluster;
    private static GatewayClient gateway;
    private static HttpClient http;

    private final History history = new History();
    private final List<String> problems = new ArrayList<>();
    private final List<String> timeline = new ArrayList<>();
    private final long start = System.nanoTime();

    @BeforeAll
    static void startCluster() {
        cluster = SluiceCluster.builder("cluster-shape").nodes(3).withGateway()
                .jvmOptions(SluiceCluster.testJvm("256m"))
                .args(ServiceKind.COORDINATOR, "--sluice.coordinator.session-timeout=4s",
                        "--sluice.coordinator.heartbeat-interval=500ms",
                        "--sluice.coordinator.balancer.enabled=true",
                        "--sluice.coordinator.balancer.interval=2s",
                        "--sluice.coordinator.balancer.repair-after=" + REPAIR_AFTER.toSeconds() + "s",
                        "--sluice.coordinator.balancer.max-concurrent-moves=4")
                .args(ServiceKind.PARTITION, "--sluice.partition.replication.lag-time-max=3s",
                        "--sluice.partition.replication.shutdown-timeout=5s")
                .start();
        gateway = new GatewayClient(cluster.gatewayUrl());
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stopCluster() {
        if (gateway != null) {
            gateway.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void nodesJoinOneIsDecommissionedAndOneIsLostUnderLoadAndNoAcknowledgedRecordIsLost() throws Exception {
        gateway.createTopic(TOPIC, PARTITIONS, 3, Map.of("min.insync.replicas", "2"));
        await("every partition led with three in-sync replicas", topic -> topic.partitions().stream()
                .allMatch(p -> p.hasLeader() && p.isr().size() == 3));
        Workload workload = Workload.start(gateway, TOPIC, PARTITIONS, PRODUCERS, SEED, history);
        GroupWorkload group = GroupWorkload.start(gateway, TOPIC, TOPIC + "-readers", GROUP_MEMBERS, true, SEED,
                history);
        try {
            Waits.sleep(Duration.ofSeconds(3)); // writes and reads under way before the first change

            cluster.startAll(List.of(4, 5), Duration.ofMinutes(2));
            note("nodes 4 and 5 started");
            await("the balancer's first moves", topic -> topic.partitions().stream()
                    .anyMatch(p -> !p.addingReplicas().isEmpty()));
            cluster.processes().kill(LocalCluster.COORDINATOR);
            note("coordinator SIGKILLed with moves under way");
            cluster.processes().start(LocalCluster.COORDINATOR);
            note("coordinator started again");
            TopicMetadata balanced = await("replicas spread over five nodes, give or take one, nothing moving",
                    topic -> noneMoving(topic) && spread(topic, Set.of(1, 2, 3, 4, 5)) <= 1
                            && topic.partitions().stream().allMatch(p -> p.isr().size() == 3));
            note("balanced: " + replicaCounts(balanced));

            post("/internal/nodes/1/decommission");
            note("node 1 decommissioned");
            Waits.await("node 1 safe to remove", PHASE_TIMEOUT, () -> decommission(1).safeToRemove() ? true : null);
            TopicMetadata drained = describe();
            assertThat(drained.partitions()).as("partitions with a replica on the decommissioned node 1")
                    .noneMatch(p -> p.replicas().contains(1));
            note("node 1 drained: " + replicaCounts(drained));
            cluster.stop(1);
            note("node 1 stopped");

            cluster.kill(2);
            note("node 2 SIGKILLed for good");
            TopicMetadata repaired = await("node 2's replicas recreated on nodes 3, 4 and 5", topic ->
                    noneMoving(topic) && topic.partitions().stream().allMatch(p -> p.hasLeader()
                            && p.isr().size() == 3 && Set.of(3, 4, 5).containsAll(p.replicas())));
            note("repaired: " + replicaCounts(repaired));

            workload.stopProducers();
            note("writes stopped");
            awaitReaders(workload, group);
        } finally {
            workload.close();
            group.close();
        }
        problems.addAll(workload.threadFailures());
        history.groupCommitted(group.committed());
        TopicMetadata last = describe();
        List<HistoryChecker.FinalPartition> finals = new ArrayList<>();
        for (PartitionState state : last.partitions()) {
            awaitIdenticalReplicas(state);
            finals.add(HistoryChecker.FinalPartition.readBack(gateway, TOPIC, state.partition(), state,
                    node -> replicaDir(node, state.partition()), problems));
        }
        HistoryChecker.Anomalies anomalies = HistoryChecker.check(history, finals, List.of(), problems);

        System.out.printf(Locale.ROOT, "[shape] %d records sent, %d acknowledged, failed by code %s; %d reads by "
                        + "the consumers; group %s committed %s; anomalies %d%n", history.sentCount(),
                history.acks().size(), history.errorsByCode(), history.seen().size(), group.group(),
                history.groupCommitted(), anomalies.total());
        timeline.forEach(line -> System.out.println("  " + line));
        problems.forEach(problem -> System.out.println("  problem: " + problem));
        assertThat(anomalies.count(HistoryChecker.Kind.LOST_ACKNOWLEDGED)).as("acknowledged records lost: %s",
                anomalies.examples(HistoryChecker.Kind.LOST_ACKNOWLEDGED)).isZero();
        assertThat(anomalies.count(HistoryChecker.Kind.SEEN_THEN_VANISHED)).as("records read, then gone: %s",
                anomalies.examples(HistoryChecker.Kind.SEEN_THEN_VANISHED)).isZero();
        assertThat(anomalies.count(HistoryChecker.Kind.GROUP_SKIPPED)).as("offsets the group skipped: %s",
                anomalies.examples(HistoryChecker.Kind.GROUP_SKIPPED)).isZero();
        assertThat(anomalies.total()).as("anomalies; problems %s", problems).isZero();
        assertThat(history.acks()).as("records acknowledged").isNotEmpty();
    }

    /** Lets every consumer reach its partition's high watermark and the group, its churn stopped, commit them all. */
    private void awaitReaders(Workload workload, GroupWorkload group) {
        Map<Integer, Long> ends = new HashMap<>();
        for (int p = 0; p < PARTITIONS; p++) {
            GatewayClient.ReadAnswer latest = gateway.read(TOPIC, p, 0, 1, Duration.ZERO);
            ends.put(p, latest.ok() ? latest.highWatermark() : -1);
        }
        if (!ChaosCluster.within(Duration.ofSeconds(60), () -> ends.entrySet().stream()
                .allMatch(end -> workload.consumerPosition(end.getKey()) >= end.getValue()))) {
            problems.add("the consumers did not reach the high watermarks " + ends + " within 60 s");
        }
        note("consumers at the high watermarks");
        group.stopChurn();
        if (!group.awaitCommitted(ends, GROUP_COMMIT_TIMEOUT)) {
            problems.add("the group did not commit the high watermarks " + ends + " within "
                    + GROUP_COMMIT_TIMEOUT.toSeconds() + " s (at " + group.committed() + ")");
        }
        note("readers at the high watermarks " + ends);
    }

    /** Waits until a partition's replicas hold the same batches (a follower may still fetch the last ones). */
    private void awaitIdenticalReplicas(PartitionState state) {
        boolean identical = ChaosCluster.within(Duration.ofSeconds(30), () -> state.replicas().stream()
                .map(node -> ReplicaFiles.read(replicaDir(node, state.partition()), false).batches())
                .distinct().count() == 1);
        if (!identical) {
            problems.add("the replicas " + state.replicas() + " of partition " + state.partition()
                    + " still differ after 30 s");
        }
    }

    private static boolean noneMoving(TopicMetadata topic) {
        return topic.partitions().stream()
                .allMatch(p -> p.addingReplicas().isEmpty() && p.removingReplicas().isEmpty());
    }

    /** The largest difference between two nodes' replica counts, over {@code nodes}. */
    private static int spread(TopicMetadata topic, Set<Integer> nodes) {
        Map<Integer, Integer> counts = replicaCounts(topic);
        nodes.forEach(node -> counts.putIfAbsent(node, 0));
        return counts.values().stream().mapToInt(Integer::intValue).max().orElse(0)
                - counts.values().stream().mapToInt(Integer::intValue).min().orElse(0);
    }

    private static Map<Integer, Integer> replicaCounts(TopicMetadata topic) {
        return topic.partitions().stream().flatMap(p -> p.replicas().stream())
                .collect(Collectors.toMap(node -> node, node -> 1, Integer::sum, TreeMap::new));
    }

    private TopicMetadata await(String what, Predicate<TopicMetadata> done) {
        TopicMetadata topic = Waits.await(what, PHASE_TIMEOUT, () -> {
            TopicMetadata now = describeOrNull();
            return now != null && done.test(now) ? now : null;
        });
        note(what);
        return topic;
    }

    private static TopicMetadata describe() {
        return cluster.coordinator().describeTopic(TOPIC);
    }

    /** The topic as the coordinator has it, or null while no coordinator answers (it is being restarted). */
    private static TopicMetadata describeOrNull() {
        try {
            return describe();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Node {@code node}'s decommission as the coordinator reports it. */
    private static DecommissionListing.Progress decommission(int node) {
        HttpResponse<String> answer;
        try {
            answer = http.send(HttpRequest.newBuilder(URI.create(cluster.coordinatorUrl() + "/internal/decommissions"))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return SluiceJson.mapper().readValue(answer.body(), DecommissionListing.class).nodes().stream()
                .filter(progress -> progress.nodeId() == node).findFirst()
                .orElseThrow(() -> new AssertionError("node " + node + " is not being decommissioned: "
                        + answer.body()));
    }

    private static void post(String path) throws IOException, InterruptedException {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(cluster.coordinatorUrl() + path))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as("POST %s: %s", path, answer.body()).isBetween(200, 299);
    }

    private static Path replicaDir(int node, int partition) {
        return cluster.dataDir(node).resolve(TOPIC + "-" + partition);
    }

    private void note(String event) {
        timeline.add(String.format(Locale.ROOT, "t+%6.2f s  %s", (System.nanoTime() - start) / 1e9, event));
    }
}

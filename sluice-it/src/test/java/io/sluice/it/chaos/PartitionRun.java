package io.sluice.it.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.internal.metadata.PartitionState;
import io.sluice.it.ReplicaFiles;
import io.sluice.testing.Links;
import io.sluice.testing.Waits;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * One network partition from topic to verdict (issue 47), against a cluster of three partition services whose links
 * the test holds ({@link Target}): a topic of one partition (replication factor 3), three producers writing acks=all
 * through the gateway and three kinds of readers through it (a consumer tailing by offset, an SSE stream of the
 * partition from offset 0, a consumer group of three polling members that each leave and join again every few
 * seconds), {@code WARM_UP} of writes, the partition until its effect has held for {@code HELD_AFTER_EFFECT} (at most
 * {@code PARTITION}), heal, writes until one sent after the heal has been acknowledged {@code WRITES_AFTER_RECOVERY}
 * earlier (at most {@code WRITES_AFTER_HEAL}), then a full ISR with identical replica files, the readers at the high
 * watermark, and the check by the chaos run's {@link HistoryChecker}: nothing acknowledged lost or moved, nothing a
 * reader read (so nothing served above the high watermark) gone from the final log, no offset below the group's
 * final commit that no member was given, no two leaders in one epoch, replicas identical, every SSE offset once and in
 * order. The coordinators' view of the partition, and which coordinators answer active, are sampled every 100 ms
 * throughout: two active in one sample fails the run, and so does a cut whose {@link Effect} the samples never show
 * while it lasts (links that held nothing would otherwise pass). How long writes were unavailable is measured and
 * printed, never asserted.
 */
final class PartitionRun {

    /** The partition services; every test topic is replicated to all of them. */
    static final int NODES = 3;
    /**
     * The longest a partition lasts: three session timeouts, so that whatever the cluster does about it, it does. A cut
     * whose effect shows sooner ends {@code HELD_AFTER_EFFECT} after it; a cut with no effect to show lasts this long.
     */
    static final Duration PARTITION = Duration.ofSeconds(12);
    /**
     * How long a cut goes on once its effect shows: a session timeout, in which the side that was cut off (a leader
     * that never heard of its successor, or that lost its followers) keeps being written to and must acknowledge
     * nothing it may not.
     */
    private static final Duration HELD_AFTER_EFFECT = Duration.ofSeconds(4);
    private static final Duration WARM_UP = Duration.ofSeconds(2);
    /** The longest writes go on after the heal. */
    private static final Duration WRITES_AFTER_HEAL = Duration.ofSeconds(12);
    /** How long writes go on after the first acknowledgement of a record sent after the heal. */
    private static final Duration WRITES_AFTER_RECOVERY = Duration.ofSeconds(3);
    private static final Duration HEAL_TIMEOUT = Duration.ofSeconds(90);
    private static final int PRODUCERS = 3;
    private static final int GROUP_MEMBERS = 3;
    /** Beyond a group member's default session timeout (45 s) and an auto-commit interval (5 s). */
    private static final Duration GROUP_COMMIT_TIMEOUT = Duration.ofSeconds(90);

    /** What a cut must do to the partition, as the coordinator's view shows it while the cut lasts. */
    enum Effect {
        /** The coordinator moves leadership away from the cut-off leader: another leader, at a higher leader epoch. */
        LEADER_CHANGE,
        /** The leader, cut off from its followers, shrinks the ISR (and, below min.insync.replicas, refuses acks=all). */
        ISR_SHRINK,
        /**
         * Nothing the coordinator's view of the partition shows: a cut between the gateway and the coordinator, or
         * of a coordinator from Redis, which its own test checks another way.
         */
        NONE;

        boolean seenIn(PartitionState initial, PartitionState now) {
            return switch (this) {
                case LEADER_CHANGE -> now.leaderEpoch() > initial.leaderEpoch() && now.leader() != initial.leader();
                case ISR_SHRINK -> now.isr().size() < initial.isr().size();
                case NONE -> true;
            };
        }
    }

    /** The cluster a run partitions, as the run sees it. */
    interface Target {

        GatewayClient gateway();

        URI gatewayUrl();

        Links links();

        /** The active coordinator's view of the topic's partition 0; null while no coordinator answers. */
        PartitionState state(String topic);

        /** A partition service's data directory. */
        Path dataDir(int node);

        /**
         * The coordinators that answer active now, asked in an order that makes two names mean two were active at
         * one moment; empty where the cluster has one coordinator.
         */
        List<String> activeCoordinators();
    }

    private final Target target;
    private final GatewayClient gateway;
    private final String topic;
    private final int minInsyncReplicas;
    private final History history = new History();
    private final EpochLedger ledger = new EpochLedger();
    private final List<String> problems = new ArrayList<>();
    private final List<String> timeline = new ArrayList<>();
    private final List<String> twoActive = new ArrayList<>();
    private long coordinatorSamples;
    private long start;
    private String lastState = "";
    private PartitionState initial;
    /** The effect the cut must have, looked for while {@code cutLasts}. */
    private Effect expected = Effect.NONE;
    private boolean cutLasts;
    private long effectSeenAt;

    PartitionRun(Target target, String topic, int minInsyncReplicas) {
        this.target = target;
        this.gateway = target.gateway();
        this.topic = topic;
        this.minInsyncReplicas = minInsyncReplicas;
    }

    /** Runs the partition that {@code partitionAround} (given the leader) makes, which must have {@code effect}. */
    void execute(Effect effect, Consumer<Integer> partitionAround) {
        expected = effect;
        gateway.createTopic(topic, 1, NODES, Map.of("min.insync.replicas", Integer.toString(minInsyncReplicas)));
        initial = Waits.await(topic + " with a leader and a full ISR", Duration.ofMinutes(1), () -> {
            PartitionState state = state();
            return state != null && state.hasLeader() && state.isr().size() == NODES ? state : null;
        });
        int leader = initial.leader();
        start = System.nanoTime();
        long cutAt;
        long healedAt;
        long stoppedAt;
        Workload workload = Workload.start(gateway, topic, 1, PRODUCERS, topic.hashCode(), history);
        SseReader sse = SseReader.start(target.gatewayUrl(), topic, 0, history);
        // Every member churns: with one partition, a member that stayed would keep it for good.
        GroupWorkload group = GroupWorkload.start(gateway, topic, topic + "-readers", GROUP_MEMBERS, false,
                topic.hashCode(), history);
        try {
            observe(WARM_UP, () -> false);
            cutAt = System.nanoTime();
            partitionAround.accept(leader);
            note("partitioned: " + target.links().describe());
            cutLasts = true;
            observe(PARTITION, () -> effectSeenAt != 0 && expected != Effect.NONE
                    && System.nanoTime() - effectSeenAt >= HELD_AFTER_EFFECT.toNanos());
            cutLasts = false;
            snapshotReplicas("before heal");
            healedAt = System.nanoTime();
            target.links().healAll();
            note("healed");
            long heal = healedAt;
            observe(WRITES_AFTER_HEAL, () -> history.acks().stream()
                    .anyMatch(ack -> ack.sentNanos() - heal > 0
                            && System.nanoTime() - ack.ackedNanos() >= WRITES_AFTER_RECOVERY.toNanos()));
            workload.stopProducers();
            stoppedAt = System.nanoTime();
            awaitHealed();
            awaitConsumer(workload);
            awaitReaders(sse, group);
        } finally {
            workload.close();
            sse.close();
            group.close();
        }
        problems.addAll(workload.threadFailures());
        history.groupCommitted(group.committed());
        for (int node = 1; node <= NODES; node++) {
            snapshotReplica(node, "end");
        }
        PartitionState last = state();
        HistoryChecker.FinalPartition finalPartition = HistoryChecker.FinalPartition.readBack(gateway, topic, 0,
                last, node -> replicaDir(node), problems);
        HistoryChecker.Anomalies anomalies = HistoryChecker.check(history, List.of(finalPartition),
                ledger.conflicts(), problems);

        report(leader, last, cutAt, healedAt, stoppedAt, anomalies, finalPartition, sse, group);
        assertThat(effectSeenAt).as("the cut's effect (%s) while it lasted; timeline: %s", expected, timeline)
                .isNotZero();
        assertThat(anomalies.count(HistoryChecker.Kind.LOST_ACKNOWLEDGED)).as("acknowledged records lost: %s",
                anomalies.examples(HistoryChecker.Kind.LOST_ACKNOWLEDGED)).isZero();
        assertThat(anomalies.count(HistoryChecker.Kind.SEEN_THEN_VANISHED))
                .as("records served to a consumer, then gone: %s",
                        anomalies.examples(HistoryChecker.Kind.SEEN_THEN_VANISHED)).isZero();
        assertThat(anomalies.count(HistoryChecker.Kind.GROUP_SKIPPED)).as("offsets the group skipped: %s",
                anomalies.examples(HistoryChecker.Kind.GROUP_SKIPPED)).isZero();
        assertThat(sse.irregular()).as("SSE records out of order, skipped or repeated").isEmpty();
        assertThat(anomalies.total()).as("anomalies: %s", describe(anomalies)).isZero();
        assertThat(twoActive).as("samples in which two coordinators answered active").isEmpty();
        assertThat(history.acks()).as("records acknowledged").isNotEmpty();
    }

    private void report(int leader, PartitionState last, long cutAt, long healedAt, long stoppedAt,
                        HistoryChecker.Anomalies anomalies, HistoryChecker.FinalPartition finalPartition,
                        SseReader sse, GroupWorkload group) {
        // A record answered with an error that is in the log all the same: its outcome was unknown to the client.
        long failedButStored = finalPartition.log().stream()
                .filter(record -> history.failure(record.value()) != null).count();
        List<History.Ack> acks = history.acks();
        long during = acks.stream().filter(ack -> ack.sentNanos() - cutAt >= 0 && healedAt - ack.sentNanos() > 0)
                .count();
        // The longest stretch without an acknowledgement from the cut to the end of the writes.
        List<Long> times = new ArrayList<>();
        times.add(cutAt);
        acks.stream().map(History.Ack::ackedNanos).filter(t -> t - cutAt > 0 && stoppedAt - t > 0).sorted()
                .forEach(times::add);
        times.add(stoppedAt);
        long longestGap = 0;
        long gapStart = cutAt;
        for (int i = 1; i < times.size(); i++) {
            long gap = times.get(i) - times.get(i - 1);
            if (gap > longestGap) {
                longestGap = gap;
                gapStart = times.get(i - 1);
            }
        }
        // From the heal to the first acknowledgement of any request, and of a request sent after the heal.
        String afterHeal = acks.stream().filter(ack -> ack.ackedNanos() - healedAt > 0)
                .mapToLong(History.Ack::ackedNanos).min()
                .stream().mapToObj(t -> String.format(Locale.ROOT, "%.2f s", (t - healedAt) / 1e9)).findFirst()
                .orElse("none before the writes stopped");
        String sentAfterHeal = acks.stream().filter(ack -> ack.sentNanos() - healedAt > 0)
                .mapToLong(History.Ack::ackedNanos).min()
                .stream().mapToObj(t -> String.format(Locale.ROOT, "%.2f s", (t - healedAt) / 1e9)).findFirst()
                .orElse("none before the writes stopped");
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "[partitions] %s: leader %d, partition %.1f s, min.insync.replicas "
                        + "%d%n", topic, leader, (healedAt - cutAt) / 1e9, minInsyncReplicas));
        timeline.forEach(line -> text.append("  ").append(line).append(System.lineSeparator()));
        text.append(String.format(Locale.ROOT, "  records: %d sent, %d acknowledged (%d of them sent during the "
                        + "partition), failed by code %s, %d of the failed in the final log%n",
                history.sentCount(), acks.size(), during, history.errorsByCode(), failedButStored));
        text.append(String.format(Locale.ROOT, "  writes unavailable: longest stretch without an acknowledgement "
                        + "%.2f s, from t+%.2f s (cut at t+%.2f s, healed at t+%.2f s)%n", longestGap / 1e9,
                seconds(gapStart), seconds(cutAt), seconds(healedAt)));
        text.append(String.format(Locale.ROOT, "  after the heal: first acknowledgement %s later; first of a "
                + "request sent after the heal %s later%n", afterHeal, sentAfterHeal));
        List<History.GroupRead> groupReads = history.groupReads();
        long groupOffsets = groupReads.stream().mapToLong(History.GroupRead::offset).distinct().count();
        long owners = groupReads.stream().map(History.GroupRead::member).distinct().count();
        text.append(String.format(Locale.ROOT, "  readers: SSE %d records over %d streams (%d irregular); group "
                        + "%s: %d joins (%d after a removal), %d offsets given to %d members in turn, %d again at a "
                        + "hand-off, committed %s%n", sse.position(), sse.streamsOpened(), sse.irregular().size(),
                group.group(), group.joins(), group.rejoinsAfterRemoval(), groupOffsets, owners,
                groupReads.size() - groupOffsets, history.groupCommitted()));
        text.append(String.format(Locale.ROOT, "  final: leader %d, epoch %d, isr %s; high watermark %d; "
                        + "%d reads by the consumer and the SSE stream; anomalies %s%n", last.leader(),
                last.leaderEpoch(), last.isr(),
                history.seen().stream().mapToLong(History.Seen::offset).max().orElse(-1) + 1,
                history.seen().size(), describe(anomalies)));
        if (!target.activeCoordinators().isEmpty() || !twoActive.isEmpty()) {
            text.append(String.format(Locale.ROOT, "  coordinators: %d samples, %d with two active %s%n",
                    coordinatorSamples, twoActive.size(), twoActive.stream().limit(5).toList()));
        }
        problems.forEach(problem -> text.append("  problem: ").append(problem).append(System.lineSeparator()));
        System.out.print(text);
    }

    private static String describe(HistoryChecker.Anomalies anomalies) {
        if (anomalies.total() == 0) {
            return "none";
        }
        StringBuilder text = new StringBuilder();
        for (HistoryChecker.Kind kind : HistoryChecker.Kind.values()) {
            if (anomalies.count(kind) > 0) {
                text.append(kind).append(' ').append(anomalies.count(kind)).append(' ')
                        .append(anomalies.examples(kind)).append("; ");
            }
        }
        return text.toString();
    }

    /**
     * Samples the coordinator's view of the partition every 100 ms, noting each change, for {@code duration} or until
     * {@code enough} holds.
     */
    private void observe(Duration duration, BooleanSupplier enough) {
        long end = System.nanoTime() + duration.toNanos();
        while (end - System.nanoTime() > 0 && !enough.getAsBoolean()) {
            PartitionState state = state();
            List<String> active = target.activeCoordinators();
            coordinatorSamples++;
            if (cutLasts && effectSeenAt == 0
                    && (expected == Effect.NONE || state != null && expected.seenIn(initial, state))) {
                effectSeenAt = System.nanoTime();
                note("the cut's effect (" + expected + ") shows");
            }
            String now = (state == null ? "coordinator did not answer"
                    : "leader " + state.leader() + " epoch " + state.leaderEpoch() + " isr " + state.isr())
                    + (active.isEmpty() ? "" : "; active: " + String.join(", ", active));
            if (active.size() > 1) {
                twoActive.add(String.format(Locale.ROOT, "t+%.2f s %s", seconds(System.nanoTime()), active));
            }
            if (!now.equals(lastState)) {
                note(now);
                lastState = now;
            }
            Waits.sleep(Duration.ofMillis(100));
        }
    }

    private void note(String event) {
        timeline.add(String.format(Locale.ROOT, "t+%5.2f s  %s", seconds(System.nanoTime()), event));
    }

    private double seconds(long nanos) {
        return (nanos - start) / 1e9;
    }

    private PartitionState state() {
        return target.state(topic);
    }

    /** A full ISR and identical replica files; else a problem (the check still runs). */
    private void awaitHealed() {
        long healing = System.nanoTime();
        if (!ChaosCluster.within(HEAL_TIMEOUT, () -> {
            PartitionState state = state();
            return state != null && state.hasLeader() && state.isr().size() == NODES;
        })) {
            problems.add("no full ISR within " + HEAL_TIMEOUT.toSeconds() + " s of the writes' end: " + state());
            return;
        }
        note("full ISR again: " + state().isr());
        boolean identical = ChaosCluster.within(Duration.ofSeconds(30), () -> {
            List<ReplicaFiles.StoredBatch> first = ReplicaFiles.read(replicaDir(1), false).batches();
            for (int node = 2; node <= NODES; node++) {
                if (!first.equals(ReplicaFiles.read(replicaDir(node), false).batches())) {
                    return false;
                }
            }
            return true;
        });
        note(identical ? String.format(Locale.ROOT, "replica files identical, %.2f s after the writes stopped",
                (System.nanoTime() - healing) / 1e9) : "replica files still differ after 30 s");
    }

    /** Lets the consumer reach the high watermark, so that it has read everything committed. */
    private void awaitConsumer(Workload workload) {
        GatewayClient.ReadAnswer latest = gateway.read(topic, 0, 0, 1, Duration.ZERO);
        long highWatermark = latest.ok() ? latest.highWatermark() : -1;
        if (!ChaosCluster.within(Duration.ofSeconds(30), () -> workload.consumerPosition(0) >= highWatermark)) {
            problems.add("the consumer did not reach the high watermark " + highWatermark + " within 30 s (at "
                    + workload.consumerPosition(0) + ")");
        }
    }

    /**
     * Lets the SSE stream reach the high watermark, and the group, its churn stopped, commit it; else a problem
     * (the check still runs).
     */
    private void awaitReaders(SseReader sse, GroupWorkload group) {
        long waiting = System.nanoTime();
        GatewayClient.ReadAnswer latest = gateway.read(topic, 0, 0, 1, Duration.ZERO);
        long highWatermark = latest.ok() ? latest.highWatermark() : -1;
        if (!ChaosCluster.within(Duration.ofSeconds(30), () -> sse.position() >= highWatermark)) {
            problems.add("the SSE stream did not reach the high watermark " + highWatermark + " within 30 s (at "
                    + sse.position() + ")");
        }
        group.stopChurn();
        // A member whose leave was lost in the partition (its gateway could not reach the coordinator) keeps the
        // partition until its session timeout, 45 s by default, as a Kafka consumer whose LeaveGroup is lost does:
        // a partition is never handed on while its owner may still read it. So the wait outlasts that.
        if (!group.awaitCommitted(Map.of(0, highWatermark), GROUP_COMMIT_TIMEOUT)) {
            problems.add("the group did not commit the high watermark " + highWatermark + " within "
                    + GROUP_COMMIT_TIMEOUT.toSeconds() + " s (at " + group.committed() + ")");
        }
        note(String.format(Locale.ROOT, "SSE stream at and group committed the high watermark %d, %.2f s after "
                + "the consumer reached it", highWatermark, (System.nanoTime() - waiting) / 1e9));
    }

    private void snapshotReplicas(String when) {
        for (int node = 1; node <= NODES; node++) {
            snapshotReplica(node, when);
        }
    }

    private void snapshotReplica(int node, String when) {
        ledger.observe(0, node, ReplicaFiles.read(replicaDir(node), false).batches(), when);
    }

    private Path replicaDir(int node) {
        return target.dataDir(node).resolve(topic + "-0");
    }
}

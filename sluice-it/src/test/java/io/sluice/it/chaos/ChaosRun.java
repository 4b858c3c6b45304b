package io.sluice.it.chaos;

import io.sluice.internal.metadata.PartitionState;
import io.sluice.it.ReplicaFiles;
import io.sluice.it.chaos.GatewayClient.ReadAnswer;
import io.sluice.protocol.TopicPartition;
import io.sluice.testing.Waits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * One chaos run from start to report: a topic, the workload, faults until the time is up, then healing and the
 * check. The order of the end matters: faults stop, writes go on for a while (a cluster that heals must take them),
 * producers and transaction writers stop, the cluster must reach a full ISR with identical replicas, consumers read up
 * to the high watermark, every transaction is decided (each leader's last stable offset at its high watermark), and
 * only then is everything read back and judged.
 */
final class ChaosRun {

    static final String TOPIC = "chaos";
    static final int PARTITIONS = 3;
    /** The smallest segment size topics allow: segments roll during a run, so recovery points move. */
    private static final String SEGMENT_BYTES = Integer.toString(1024 * 1024);
    private static final Duration WARM_UP = Duration.ofSeconds(5);
    private static final Duration WRITES_AFTER_FAULTS = Duration.ofSeconds(10);
    private static final Duration HEAL_TIMEOUT = Duration.ofSeconds(90);
    /** Members of the consumer group: one stays, the others leave and join again all through the run. */
    private static final int GROUP_MEMBERS = 3;
    /** Writers of transactions ({@link TransactionWorkload}), beside the producers. */
    private static final int TRANSACTION_WRITERS = 2;
    /**
     * How long every transaction may take to be decided once the writers stopped: past the transactions' timeouts
     * (20 s), so an open transaction left by a lost answer is aborted by the coordinator within it.
     */
    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(60);

    private final ChaosCluster cluster;
    private final ChaosSettings settings;
    private final List<String> problems = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    /** Every partition's high watermark when the share group was last awaited. */
    private Map<Integer, Long> shareEnds = Map.of();

    ChaosRun(ChaosCluster cluster, ChaosSettings settings) {
        this.cluster = cluster;
        this.settings = settings;
    }

    ChaosReport run() {
        Instant startedAt = Instant.now();
        long start = System.nanoTime();
        History history = new History();
        TransactionHistory transactions = new TransactionHistory();
        EpochLedger ledger = new EpochLedger();
        System.out.printf("[chaos] seed %d, faults for %s (replay with -Dsluice.chaos.seed=%d)%n", settings.seed(),
                settings.duration(), settings.seed());
        try (GatewayClient gateway = new GatewayClient(cluster.gatewayUrl())) {
            gateway.createTopic(TOPIC, PARTITIONS, 3, Map.of("min.insync.replicas", "2",
                    "segment.bytes", SEGMENT_BYTES));
            gateway.createTopic(StreamsWorkload.OUTPUT, StreamsWorkload.OUTPUT_PARTITIONS, 3,
                    Map.of("min.insync.replicas", "2", "segment.bytes", SEGMENT_BYTES));
            TransactionWorkload.TOPICS.forEach((topic, partitions) -> gateway.createTopic(topic, partitions, 3,
                    Map.of("min.insync.replicas", "2", "segment.bytes", SEGMENT_BYTES)));
            for (String topic : allTopics()) {
                if (!ChaosCluster.within(Duration.ofSeconds(60), () -> cluster.isFullyReplicated(topic))) {
                    throw new AssertionError("topic " + topic + " not fully replicated within 60 s");
                }
            }
            FaultInjector faults = new FaultInjector(cluster, TOPIC, PARTITIONS, settings.seed(), ledger, start);
            long faultStart;
            long faultEnd;
            Workload workload = Workload.start(gateway, TOPIC, PARTITIONS, settings.producers(), settings.seed(),
                    history);
            GroupWorkload group = GroupWorkload.start(gateway, TOPIC, GroupWorkload.GROUP, GROUP_MEMBERS,
                    true, settings.seed(), history);
            TransactionWorkload txns = TransactionWorkload.start(gateway, cluster.gatewayUrl(), TRANSACTION_WRITERS,
                    settings.seed(), transactions, topic -> cluster.topic(topic).partitions().stream()
                            .map(PartitionState::leader).toList(), cluster::nodeUrl);
            KafkaWorkload kafka = KafkaWorkload.start(cluster.kafkaBootstrap(), TOPIC, PARTITIONS, history);
            ShareWorkload share = ShareWorkload.start(cluster.kafkaBootstrap(), TOPIC, history);
            StreamsWorkload streams = StreamsWorkload.start(cluster.kafkaBootstrap(), TOPIC,
                    StreamsWorkload.protocolOf(settings.seed()));
            KafkaTransactionWriter kafkaTxns = KafkaTransactionWriter.start(cluster.kafkaBootstrap(),
                    txns.partitions(), settings.seed(), transactions);
            CoordinatorWatch coordinators = CoordinatorWatch.start(cluster, start);
            try {
                Waits.sleep(WARM_UP);
                faultStart = System.nanoTime();
                faults.run(settings.duration());
                faultEnd = System.nanoTime();
                cluster.restoreProcesses();
                Waits.sleep(WRITES_AFTER_FAULTS);
                int acksBefore = history.acks().size();
                workload.stopProducers();
                txns.stopWriters();
                kafkaTxns.stop();
                kafka.stopProducing();
                notes.add(String.format("%d records acknowledged during the %d s of writes after the last fault",
                        history.acks().stream().filter(ack -> ack.sentNanos() - faultEnd >= 0).count(),
                        WRITES_AFTER_FAULTS.toSeconds()));
                if (history.acks().size() == acksBefore && acksBefore == 0) {
                    problems.add("no record was acknowledged at all");
                }
                heal();
                awaitConsumers(workload, gateway);
                awaitGroup(group, gateway);
                awaitKafkaGroups(gateway);
                awaitShareGroup(share, gateway);
                history.streamsOutput(awaitStreams(streams, gateway));
                txns.awaitStable(SETTLE_TIMEOUT).forEach(unsettled -> problems.add("transactions not settled "
                        + SETTLE_TIMEOUT.toSeconds() + " s after the writers stopped (last stable offset below the "
                        + "high watermark, or the reader behind it): " + unsettled));
            } finally {
                coordinators.close();
                workload.close();
                group.close();
                txns.close();
                kafkaTxns.close();
                kafka.close();
                share.close();
                streams.close();
            }
            problems.addAll(workload.threadFailures());
            problems.addAll(txns.threadFailures());
            problems.addAll(kafka.threadFailures());
            problems.addAll(kafkaTxns.threadFailures());
            problems.addAll(share.threadFailures());
            for (String kafkaGroup : new TreeMap<>(KafkaWorkload.GROUPS).keySet()) {
                history.kafkaGroupCommitted(kafkaGroup, gateway.committedOffsets(kafkaGroup));
            }
            notes.add(kafkaNote(history, kafka));
            notes.add(share.note(shareEnds));
            notes.add(streams.note(history.streamsOutput() == null ? 0 : history.streamsOutput().size()));
            notes.add(txns.streamsOpened() + " read_committed event streams opened for " + txns.partitions().size()
                    + " partitions (each reconnection after a break opens one more)");
            history.groupCommitted(group.committed());
            notes.add(groupNote(history, group));

            List<HistoryChecker.FinalPartition> partitions = new ArrayList<>();
            for (int partition = 0; partition < PARTITIONS; partition++) {
                partitions.add(finalPartition(gateway, partition));
            }
            for (int node : cluster.nodeIds()) {
                faults.snapshot(node, "end");
            }
            List<ReadCommittedChecker.CommittedLog> committedLogs = new ArrayList<>();
            for (TopicPartition tp : txns.partitions()) {
                committedLogs.add(ReadCommittedChecker.CommittedLog.readBack(gateway, tp.topic(), tp.partition(),
                        problems));
            }
            problems.addAll(0, faults.problems());
            HistoryChecker.Anomalies anomalies = HistoryChecker.check(history, partitions, ledger.conflicts(),
                    problems);
            ReadCommittedChecker.check(transactions, committedLogs, anomalies);
            coordinators.addTo(anomalies);
            notes.add(coordinators.summary());
            return new ChaosReport(settings, commit(), startedAt, Duration.ofNanos(faultEnd - faultStart),
                    Duration.ofNanos(System.nanoTime() - start), faults.faults(), faults.kills(), history, transactions,
                    anomalies, notes);
        }
    }

    private static List<String> allTopics() {
        List<String> topics = new ArrayList<>(List.of(TOPIC, StreamsWorkload.OUTPUT));
        topics.addAll(new TreeMap<>(TransactionWorkload.TOPICS).keySet());
        return topics;
    }

    /**
     * Every node alive, nothing moving, every ISR full (of every topic), every replica's files of {@link #TOPIC} the
     * same: else a problem (the check still runs).
     */
    private void heal() {
        long healing = System.nanoTime();
        if (!ChaosCluster.within(HEAL_TIMEOUT, () -> allTopics().stream()
                .allMatch(topic -> cluster.isShapeSettled(topic) && cluster.isFullyReplicated(topic)))) {
            problems.add("after the faults stopped the cluster did not reach a full ISR on every partition within "
                    + HEAL_TIMEOUT.toSeconds() + " s: " + allTopics().stream().map(topic -> topic + " "
                    + cluster.topic(topic).partitions()).toList());
            return;
        }
        boolean identical = ChaosCluster.within(Duration.ofSeconds(30), () -> {
            for (int partition = 0; partition < PARTITIONS; partition++) {
                List<ReplicaFiles.StoredBatch> first = null;
                for (int node : cluster.topic(TOPIC).partition(partition).replicas()) {
                    List<ReplicaFiles.StoredBatch> batches = ReplicaFiles.read(replicaDir(node, partition), false)
                            .batches();
                    if (first == null) {
                        first = batches;
                    } else if (!first.equals(batches)) {
                        return false;
                    }
                }
            }
            return true;
        });
        notes.add(String.format("healed (full ISR%s) %.1f s after the writes stopped", identical
                ? ", identical replica files" : "; replica files still differ after 30 s", (System.nanoTime()
                - healing) / 1e9));
    }

    /** Lets each consumer reach its partition's high watermark, so that it has read everything committed. */
    private void awaitConsumers(Workload workload, GatewayClient gateway) {
        for (int partition = 0; partition < PARTITIONS; partition++) {
            int p = partition;
            ReadAnswer latest = gateway.read(TOPIC, p, 0, 1, Duration.ZERO);
            long highWatermark = latest.ok() ? latest.highWatermark() : -1;
            if (!ChaosCluster.within(Duration.ofSeconds(30), () -> workload.consumerPosition(p) >= highWatermark)) {
                notes.add("the consumer of partition " + p + " did not reach the high watermark " + highWatermark
                        + " within 30 s (at " + workload.consumerPosition(p) + ")");
            }
        }
    }

    /**
     * Stops the group's churn and lets it read up to every partition's high watermark and commit it; the members then
     * leave (committing their cursors) when the run closes them.
     */
    private void awaitGroup(GroupWorkload group, GatewayClient gateway) {
        group.stopChurn();
        Map<Integer, Long> ends = highWatermarks(gateway);
        if (!group.awaitCommitted(ends, Duration.ofSeconds(90))) {
            notes.add("the consumer group did not commit the high watermarks " + ends + " within 90 s (at "
                    + group.committed() + ")");
        }
    }

    /**
     * Lets the Streams application commit every partition's high watermark, closes it (its transactions end), and reads
     * its output back read_committed (null when it could not be read: a problem of the run).
     */
    private List<String> awaitStreams(StreamsWorkload streams, GatewayClient gateway) {
        Map<Integer, Long> ends = highWatermarks(gateway);
        if (!StreamsWorkload.awaitCommitted(gateway, ends, Duration.ofSeconds(90))) {
            problems.add("the Kafka Streams application did not commit the high watermarks " + ends
                    + " within 90 s (at " + gateway.committedOffsets(StreamsWorkload.APPLICATION_ID) + ")");
        }
        streams.close();
        return streams.readOutput(Duration.ofSeconds(60), problems);
    }

    /**
     * Lets the share group's consumers end every record below every partition's high watermark; the group's start
     * offsets must reach them.
     */
    private void awaitShareGroup(ShareWorkload share, GatewayClient gateway) {
        Map<Integer, Long> ends = highWatermarks(gateway);
        Map<Integer, Long> starts = share.awaitEnded(ends, Duration.ofSeconds(90));
        if (!ends.entrySet().stream().allMatch(end -> starts.getOrDefault(end.getKey(), -1L) >= end.getValue())) {
            problems.add("the share group's start offsets " + starts + " did not reach the high watermarks " + ends
                    + " within 90 s: records neither accepted nor archived");
        }
        shareEnds = ends;
    }

    /** Each partition's high watermark now, by partition (0 for one that cannot be read). */
    private static Map<Integer, Long> highWatermarks(GatewayClient gateway) {
        Map<Integer, Long> ends = new TreeMap<>();
        for (int partition = 0; partition < PARTITIONS; partition++) {
            ReadAnswer latest = gateway.read(TOPIC, partition, 0, 1, Duration.ZERO);
            ends.put(partition, latest.ok() ? latest.highWatermark() : 0);
        }
        return ends;
    }

    /** Lets each Kafka consumer read up to every partition's high watermark and commit it. */
    private void awaitKafkaGroups(GatewayClient gateway) {
        Map<Integer, Long> ends = highWatermarks(gateway);
        for (String group : new TreeMap<>(KafkaWorkload.GROUPS).keySet()) {
            if (!KafkaWorkload.awaitCommitted(gateway, group, ends, Duration.ofSeconds(90))) {
                notes.add("the Kafka consumer group " + group + " did not commit the high watermarks " + ends
                        + " within 90 s (at " + gateway.committedOffsets(group) + ")");
            }
        }
    }

    /** The Kafka clients' figures: records sent and acknowledged, records given to each consumer, its errors. */
    private static String kafkaNote(History history, KafkaWorkload kafka) {
        long acknowledged = history.acks().stream().filter(ack -> ack.value().startsWith("kafka-")).count();
        StringBuilder note = new StringBuilder(String.format("Kafka clients: the idempotent producer sent %d records,"
                + " %d acknowledged", kafka.produced(), acknowledged));
        new TreeMap<>(KafkaWorkload.GROUPS).forEach((group, protocol) -> {
            List<History.GroupRead> reads = history.kafkaGroupReads(group);
            long distinct = reads.stream().map(read -> read.partition() + "/" + read.offset()).distinct().count();
            note.append(String.format("; the consumer of group %s (group.protocol=%s) was given %d records (%d again"
                    + " after a failed commit), its polls and commits met %s, final committed offsets %s", group,
                    protocol, distinct, reads.size() - distinct, kafka.consumerErrors(group),
                    history.kafkaGroupCommitted(group)));
        });
        return note.toString();
    }

    /** The group's figures: joins, removals, records given, repeats. */
    private static String groupNote(History history, GroupWorkload group) {
        List<History.GroupRead> reads = history.groupReads();
        long distinct = reads.stream().map(read -> read.partition() + "/" + read.offset()).distinct().count();
        return String.format("consumer group %s: %d joins (%d after a removal), %d records given to members, %d of "
                + "them again at a hand-off; final committed offsets %s", group.group(), group.joins(),
                group.rejoinsAfterRemoval(), distinct, reads.size() - distinct, history.groupCommitted());
    }

    /** The committed log through the gateway, from offset 0 to the high watermark, and every replica's files. */
    private HistoryChecker.FinalPartition finalPartition(GatewayClient gateway, int partition) {
        return HistoryChecker.FinalPartition.readBack(gateway, TOPIC, partition, cluster.topic(TOPIC).partition(partition),
                node -> replicaDir(node, partition), problems);
    }

    private Path replicaDir(int node, int partition) {
        return cluster.dataDir(node).resolve(TOPIC + "-" + partition);
    }

    /** The checkout's commit, marked when the working tree has changes. */
    private static String commit() {
        try {
            String head = git("rev-parse", "--short=12", "HEAD");
            return git("status", "--porcelain").isBlank() ? head : head + " (with uncommitted changes)";
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static String git(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            process.waitFor(10, TimeUnit.SECONDS);
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}

package io.sluice.it.chaos;

import io.sluice.internal.metadata.PartitionState;
import io.sluice.it.ReplicaFiles;
import io.sluice.it.ReplicaFiles.StoredRecord;
import io.sluice.it.chaos.GatewayClient.ReadRecord;
import io.sluice.it.share.ShareHistory;
import io.sluice.it.share.ShareHistoryChecker;
import io.sluice.testing.Waits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

/**
 * Judges a chaos run after the faults stopped and the cluster healed: the history the clients kept against the
 * partitions' final logs, read through the gateway, and against every replica's files. Each anomaly is a broken
 * promise; none is explained by the faults themselves, because at most one node was ever down:
 *
 * <ul>
 *   <li>{@link Kind#LOST_ACKNOWLEDGED}: acknowledged with acks=all, absent from the final log;</li>
 *   <li>{@link Kind#DUPLICATED}: one value at two or more offsets of the final log (values are never sent twice);</li>
 *   <li>{@link Kind#AT_TWO_OFFSETS}: acknowledged, or read by a consumer, at one offset and found at another;</li>
 *   <li>{@link Kind#SEEN_THEN_VANISHED}: read by a consumer (so committed), absent from the final log;</li>
 *   <li>{@link Kind#CONFLICTING_ACKS}: two different records acknowledged at the same offset;</li>
 *   <li>{@link Kind#WRITTEN_DESPITE_REFUSAL}: answered with a code that promises nothing was written
 *       ({@link History#NOTHING_WRITTEN}), yet in the final log;</li>
 *   <li>{@link Kind#REPLICA_DIVERGENCE}: below the high watermark, a replica holds another record than the log
 *       consumers read, or an in-sync replica lacks one;</li>
 *   <li>{@link Kind#TWO_LEADERS_ONE_EPOCH}: two different batches under one leader epoch over the same offsets
 *       ({@link EpochLedger});</li>
 *   <li>{@link Kind#GROUP_SKIPPED}: below the consumer group's final committed offset of a partition, an offset of the
 *       final log that no member of the group was given (records a member was given join the checks above as reads);
 *       the group's duplicates are counted in the report, not judged: at least once allows them at hand-offs;</li>
 *   <li>{@code SHARE_*}: the share group's promises over the records of the final logs, judged by
 *       {@link ShareHistoryChecker} (its kinds, prefixed): each record ends accepted or archived at the delivery
 *       limit, is accepted at most once, never held by two consumers at once (two deliveries with one delivery
 *       count), never delivered again after it was accepted, never delivered more often than the limit (records the
 *       group was given also join the checks above as reads, with their values);</li>
 *   <li>{@link Kind#STREAMS_NOT_ONCE}: a record of the final log that the exactly_once_v2 Streams application's
 *       output, read back read_committed, holds other than exactly once; {@link Kind#STREAMS_UNKNOWN_OUTPUT}: a value
 *       in that output that no record of the final log holds;</li>
 *   <li>{@link Kind#NOT_HEALED}: a fault could not be carried out, the cluster did not serve again afterwards, or a
 *       client thread of the run died (the caller's problems).</li>
 *   <li>{@link Kind#TWO_ACTIVE_COORDINATORS}: a sample in which both coordinators answered active
 *       ({@link CoordinatorWatch}, added by the caller).</li>
 * </ul>
 *
 * <p>Transactions and read_committed readers, on topics of their own, are judged by {@link ReadCommittedChecker}
 * into the same {@link Anomalies}.
 */
final class HistoryChecker {

    enum Kind {
        LOST_ACKNOWLEDGED, DUPLICATED, AT_TWO_OFFSETS, SEEN_THEN_VANISHED, CONFLICTING_ACKS, WRITTEN_DESPITE_REFUSAL,
        REPLICA_DIVERGENCE, TWO_LEADERS_ONE_EPOCH, GROUP_SKIPPED, NOT_HEALED, TWO_ACTIVE_COORDINATORS,
        /** {@link ShareHistoryChecker}'s kinds, over the share group's records. */
        SHARE_NOT_ENDED, SHARE_ACCEPTED_TWICE, SHARE_OVER_DELIVERY_LIMIT, SHARE_DELIVERED_AFTER_ACKNOWLEDGED,
        SHARE_DELIVERED_TWICE, SHARE_UNKNOWN_RECORD,
        /** The Kafka Streams application's copy of the topic ({@link StreamsWorkload}). */
        STREAMS_NOT_ONCE, STREAMS_UNKNOWN_OUTPUT,
        /** The read_committed rules of {@link ReadCommittedChecker}, over the transactional topics. */
        READ_ABORTED, COMMITTED_NOT_ONCE, PARTLY_VISIBLE, READ_COMMITTED_VANISHED, READ_COMMITTED_OUT_OF_ORDER,
        READ_COMMITTED_SKIPPED, LSO_ABOVE_HW
    }

    /** Anomalies by kind: how many, and the first few described. */
    static final class Anomalies {

        private static final int EXAMPLES = 8;

        private final Map<Kind, Long> counts = new EnumMap<>(Kind.class);
        private final Map<Kind, List<String>> examples = new EnumMap<>(Kind.class);

        void add(Kind kind, String description) {
            counts.merge(kind, 1L, Long::sum);
            List<String> list = examples.computeIfAbsent(kind, k -> new ArrayList<>());
            if (list.size() < EXAMPLES) {
                list.add(description);
            }
        }

        long count(Kind kind) {
            return counts.getOrDefault(kind, 0L);
        }

        long total() {
            return counts.values().stream().mapToLong(Long::longValue).sum();
        }

        List<String> examples(Kind kind) {
            return examples.getOrDefault(kind, List.of());
        }
    }

    /** The final state of one partition: what consumers read through the gateway, and each replica's files. */
    record FinalPartition(int partition, List<ReadRecord> log, long highWatermark, PartitionState state,
                          Map<Integer, ReplicaFiles.Contents> replicas) {

        /**
         * Reads the committed log of {@code topic}'s {@code partition} through the gateway, from offset 0 to the high
         * watermark, and the files of each replica in {@code state} ({@code replicaDir}: node to the replica's
         * directory); a partition that cannot be read back is a problem added to {@code problems}.
         */
        static FinalPartition readBack(GatewayClient gateway, String topic, int partition, PartitionState state,
                                       IntFunction<Path> replicaDir, List<String> problems) {
            List<ReadRecord> log = new ArrayList<>();
            long offset = 0;
            long highWatermark = -1;
            int failures = 0;
            while (true) {
                GatewayClient.ReadAnswer answer = gateway.read(topic, partition, offset, 5000, Duration.ZERO);
                if (!answer.ok()) {
                    if (++failures > 50) {
                        problems.add("partition " + partition + " could not be read back at offset " + offset + ": "
                                + answer.errorCode());
                        break;
                    }
                    Waits.sleep(Duration.ofMillis(200));
                    continue;
                }
                highWatermark = answer.highWatermark();
                log.addAll(answer.records());
                if (answer.records().isEmpty() || answer.nextOffset() >= answer.highWatermark()) {
                    break;
                }
                offset = answer.nextOffset();
            }
            Map<Integer, ReplicaFiles.Contents> replicas = new LinkedHashMap<>();
            for (int node : state.replicas()) {
                replicas.put(node, ReplicaFiles.read(replicaDir.apply(node), true));
            }
            return new FinalPartition(partition, log, highWatermark, state, replicas);
        }
    }

    private record Location(int partition, long offset) {

        @Override
        public String toString() {
            return partition + "/" + offset;
        }
    }

    private HistoryChecker() {
    }

    static Anomalies check(History history, List<FinalPartition> partitions, List<EpochLedger.Conflict> conflicts,
                           List<String> problems) {
        Anomalies anomalies = new Anomalies();
        Map<String, List<Location>> stored = new HashMap<>();
        for (FinalPartition partition : partitions) {
            for (ReadRecord record : partition.log()) {
                stored.computeIfAbsent(record.value(), v -> new ArrayList<>(1))
                        .add(new Location(partition.partition(), record.offset()));
            }
        }
        Map<Location, Integer> epochs = leaderEpochs(partitions);
        Map<String, Location> ackedAt = new HashMap<>();
        for (History.Ack ack : history.acks()) {
            ackedAt.put(ack.value(), new Location(ack.partition(), ack.offset()));
        }
        stored.forEach((value, locations) -> {
            if (locations.size() > 1) {
                String outcome = ackedAt.containsKey(value) ? "acknowledged at " + ackedAt.get(value)
                        : "answered " + history.failure(value);
                anomalies.add(Kind.DUPLICATED, value(value) + " at " + locations.stream()
                        .map(at -> at + " (leader epoch " + epochs.get(at) + ")").toList() + ", " + outcome);
            }
        });

        Set<String> misplaced = new HashSet<>();
        Map<Location, String> acked = new HashMap<>();
        for (History.Ack ack : history.acks()) {
            Location at = new Location(ack.partition(), ack.offset());
            String other = acked.putIfAbsent(at, ack.value());
            if (other != null && !other.equals(ack.value())) {
                anomalies.add(Kind.CONFLICTING_ACKS, "offset " + at + " acknowledged for " + value(other) + " and for "
                        + value(ack.value()));
            }
            List<Location> locations = stored.get(ack.value());
            if (locations == null) {
                anomalies.add(Kind.LOST_ACKNOWLEDGED, value(ack.value()) + " acknowledged at " + at);
            } else if (!locations.contains(at) && misplaced.add(ack.value())) {
                anomalies.add(Kind.AT_TWO_OFFSETS, value(ack.value()) + " acknowledged at " + at + ", stored at "
                        + locations);
            }
        }

        Set<String> vanished = new HashSet<>();
        List<History.Seen> reads = new ArrayList<>(history.seen());
        history.groupReads().forEach(read -> reads.add(new History.Seen(read.partition(), read.offset(), read.value(),
                0)));
        history.kafkaGroupReads().forEach(read -> reads.add(new History.Seen(read.partition(), read.offset(),
                read.value(), 0)));
        for (History.Seen seen : reads) {
            Location at = new Location(seen.partition(), seen.offset());
            List<Location> locations = stored.get(seen.value());
            if (locations == null) {
                if (vanished.add(seen.value())) {
                    anomalies.add(Kind.SEEN_THEN_VANISHED, value(seen.value()) + " read at " + at);
                }
            } else if (!locations.contains(at) && misplaced.add(seen.value())) {
                anomalies.add(Kind.AT_TWO_OFFSETS, value(seen.value()) + " read at " + at + ", stored at " + locations);
            }
        }

        for (History.Refusal refusal : history.refusals()) {
            List<Location> locations = stored.get(refusal.value());
            if (locations != null) {
                anomalies.add(Kind.WRITTEN_DESPITE_REFUSAL, value(refusal.value()) + " answered "
                        + refusal.errorCode() + ", stored at " + locations);
            }
        }

        for (FinalPartition partition : partitions) {
            compareReplicas(partition, anomalies);
        }
        if (!history.groupReads().isEmpty() || history.groupCommitted() != null) {
            checkGroup("the consumer group", history.groupReads(), history.groupCommitted(), partitions, anomalies);
        }
        for (String group : history.kafkaGroups()) {
            if (history.kafkaGroupReads(group).isEmpty()) {
                anomalies.add(Kind.NOT_HEALED, "the Kafka consumer of " + group + " was given no record");
            }
            checkGroup("the Kafka consumer group " + group, history.kafkaGroupReads(group),
                    history.kafkaGroupCommitted(group), partitions, anomalies);
        }
        if (history.streamsRan() && history.streamsOutput() != null) {
            checkStreams(history.streamsOutput(), partitions, anomalies);
        }
        if (history.shareGroup() != null) {
            checkShareGroup(history.shareGroup(), history.shareDeliveryLimit(), partitions, anomalies);
        }
        conflicts.forEach(conflict -> anomalies.add(Kind.TWO_LEADERS_ONE_EPOCH, conflict.toString()));
        problems.forEach(problem -> anomalies.add(Kind.NOT_HEALED, problem));
        return anomalies;
    }

    /**
     * A consumer group's promise (the HTTP members' group, the Kafka consumer's): every offset of the final log below
     * the group's final committed offset was given to some member, and nothing was committed past the log.
     */
    private static void checkGroup(String group, List<History.GroupRead> reads, Map<Integer, Long> committed,
                                   List<FinalPartition> partitions, Anomalies anomalies) {
        if (committed == null) {
            anomalies.add(Kind.NOT_HEALED, group + "'s committed offsets could not be read at the end");
            return;
        }
        Set<Location> given = new HashSet<>();
        reads.forEach(read -> given.add(new Location(read.partition(), read.offset())));
        for (FinalPartition partition : partitions) {
            long upTo = committed.getOrDefault(partition.partition(), 0L);
            if (upTo > partition.highWatermark()) {
                anomalies.add(Kind.GROUP_SKIPPED, group + ", partition " + partition.partition() + ": committed offset "
                        + upTo + " is past the high watermark " + partition.highWatermark());
            }
            for (ReadRecord record : partition.log()) {
                if (record.offset() < upTo && !given.contains(new Location(partition.partition(), record.offset()))) {
                    anomalies.add(Kind.GROUP_SKIPPED, value(record.value()) + " at " + partition.partition() + "/"
                            + record.offset() + ", below " + group + "'s committed offset " + upTo
                            + ", reached no member");
                }
            }
        }
    }

    /**
     * The share group's promises ({@link ShareHistoryChecker}) over every record below each final high watermark; a
     * group given nothing did not run at all.
     */
    static void checkShareGroup(ShareHistory share, int deliveryLimit, List<FinalPartition> partitions,
                                Anomalies anomalies) {
        if (share.deliveries().isEmpty()) {
            anomalies.add(Kind.NOT_HEALED, "the share group's consumers were given no record");
        }
        Map<Integer, Long> ends = new HashMap<>();
        partitions.forEach(partition -> ends.put(partition.partition(), partition.highWatermark()));
        ShareHistoryChecker.check(share, ends, deliveryLimit).anomalies().forEach(anomaly -> anomalies.add(
                Kind.valueOf("SHARE_" + anomaly.kind().name()), "the share group, " + anomaly.partition() + "/"
                        + anomaly.offset() + ": " + anomaly.detail()));
    }

    /** Exactly once: every value of the final logs once in the Streams application's output, and nothing else. */
    static void checkStreams(List<String> output, List<FinalPartition> partitions, Anomalies anomalies) {
        Map<String, Integer> copies = new HashMap<>();
        output.forEach(value -> copies.merge(value, 1, Integer::sum));
        Set<String> input = new HashSet<>();
        for (FinalPartition partition : partitions) {
            for (ReadRecord record : partition.log()) {
                input.add(record.value());
                int times = copies.getOrDefault(record.value(), 0);
                if (times != 1) {
                    anomalies.add(Kind.STREAMS_NOT_ONCE, value(record.value()) + " at " + partition.partition() + "/"
                            + record.offset() + " copied " + times + " times");
                }
            }
        }
        copies.keySet().stream().filter(value -> !input.contains(value)).sorted().forEach(value ->
                anomalies.add(Kind.STREAMS_UNKNOWN_OUTPUT, value(value) + " in the output, in no input record"));
    }

    /** The leader epoch of each stored record, from the current leader's files. */
    private static Map<Location, Integer> leaderEpochs(List<FinalPartition> partitions) {
        Map<Location, Integer> epochs = new HashMap<>();
        for (FinalPartition partition : partitions) {
            ReplicaFiles.Contents leader = partition.replicas().get(partition.state().leader());
            if (leader != null) {
                for (StoredRecord record : leader.records()) {
                    epochs.put(new Location(partition.partition(), record.offset()), record.leaderEpoch());
                }
            }
        }
        return epochs;
    }

    /**
     * Below the high watermark every replica must hold exactly what consumers read; an in-sync replica must hold all
     * of it. (A replica out of the ISR may be shorter; what it has must still match.)
     */
    private static void compareReplicas(FinalPartition partition, Anomalies anomalies) {
        Map<Long, String> committed = partition.log().stream()
                .collect(Collectors.toMap(ReadRecord::offset, ReadRecord::value, (a, b) -> a));
        partition.replicas().forEach((node, contents) -> {
            Map<Long, StoredRecord> held = new HashMap<>();
            for (StoredRecord record : contents.records()) {
                if (record.offset() < partition.highWatermark()) {
                    held.put(record.offset(), record);
                }
            }
            long differing = 0;
            long missing = 0;
            long firstDifference = -1;
            for (Map.Entry<Long, String> entry : committed.entrySet()) {
                StoredRecord record = held.get(entry.getKey());
                if (record == null) {
                    missing++;
                } else if (!record.value().equals(entry.getValue())) {
                    differing++;
                    if (firstDifference < 0 || entry.getKey() < firstDifference) {
                        firstDifference = entry.getKey();
                    }
                }
            }
            long extra = held.keySet().stream().filter(offset -> !committed.containsKey(offset)).count();
            boolean inSync = partition.state().isr().contains(node);
            if (differing > 0 || extra > 0 || (inSync && missing > 0)) {
                anomalies.add(Kind.REPLICA_DIVERGENCE, String.format("partition %d on node %d (%s): below the high "
                                + "watermark %d, %d records differ from the committed log (first at offset %d), %d "
                                + "missing, %d not in it", partition.partition(), node,
                        inSync ? "in sync" : "out of sync", partition.highWatermark(), differing, firstDifference,
                        missing, extra));
            }
        });
    }

    /** A value's identity without its padding. */
    static String value(String value) {
        int end = value.indexOf("-x");
        return end < 0 ? value : value.substring(0, end);
    }
}

package io.sluice.partition.simulation;

import io.sluice.log.FetchIsolation;
import io.sluice.log.LogReadResult;
import io.sluice.log.PartitionLog;
import io.sluice.protocol.record.BufferBatchIterator;
import io.sluice.protocol.record.EndTxnMarker;
import io.sluice.protocol.record.Record;
import io.sluice.protocol.record.RecordBatch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the simulated clients were told, and what the leaders exposed, checked against each other as the run goes
 * and once at its end. Every value is written once (a failed produce is never sent again with the same value), so:
 * <ul>
 *   <li>an offset below a leader's high watermark (readable by consumers) holds one value forever — a committed
 *       record that changes or vanishes was lost;</li>
 *   <li>a value sits at one offset (a transaction marker, which repeats, is exempt);</li>
 *   <li>an acknowledged value is, at the end, at its acknowledged offset in the leader's log;</li>
 *   <li>one leader epoch has one acknowledging leader;</li>
 *   <li>at the end, all in-sync replicas hold the same records.</li>
 * </ul>
 */
final class HistoryChecker {

    private final Map<Integer, Map<Long, String>> committed = new HashMap<>();
    private final Map<String, Long> offsetOfValue = new HashMap<>();
    private final Map<String, Ack> acked = new HashMap<>();
    private final Map<String, Integer> ackingLeader = new HashMap<>();
    private final Map<String, Long> checkedUpTo = new HashMap<>();
    private final List<String> anomalies = new ArrayList<>();

    List<String> anomalies() {
        return anomalies;
    }

    int ackedCount() {
        return acked.size();
    }

    /** A produce of {@code value} was acknowledged (acks=all) at {@code offset} by {@code node} in {@code epoch}. */
    void acked(int partition, String value, long offset, int epoch, int node) {
        Integer other = ackingLeader.putIfAbsent(partition + "@" + epoch, node);
        if (other != null && other != node) {
            anomalies.add("partition " + partition + ": nodes " + other + " and " + node + " both acknowledged writes "
                    + "in leader epoch " + epoch);
        }
        acked.put(value, new Ack(partition, offset));
        String there = committed.computeIfAbsent(partition, p -> new HashMap<>()).get(offset);
        if (there != null && !there.equals(value)) {
            anomalies.add("partition " + partition + ": " + value + " acknowledged at offset " + offset + ", where "
                    + there + " was committed");
        }
    }

    /**
     * Reads what {@code log} (a leader, in {@code epoch}) exposes below its high watermark that this replica's
     * leadership has not shown yet, and checks it against everything committed before.
     */
    void observeLeader(String replica, int partition, int epoch, PartitionLog log) {
        String key = replica + "/" + partition + "@" + epoch;
        long highWatermark = log.highWatermark();
        long from = checkedUpTo.getOrDefault(key, log.logStartOffset());
        if (highWatermark <= from) {
            return;
        }
        for (Entry entry : records(log, from, highWatermark)) {
            committed(partition, entry, replica + " at leader epoch " + epoch);
        }
        checkedUpTo.put(key, highWatermark);
    }

    /**
     * The end of a run, all faults healed: the leader's whole log is committed and holds every acknowledged value of
     * the partition at its offset, and each in-sync follower holds exactly the leader's records.
     */
    void checkFinal(int partition, PartitionLog leader, Map<Integer, PartitionLog> followers) {
        List<Entry> leaderRecords = records(leader, leader.logStartOffset(), leader.logEndOffset());
        if (leader.highWatermark() != leader.logEndOffset()) {
            anomalies.add("partition " + partition + ": after healing, the leader's high watermark "
                    + leader.highWatermark() + " is below its log end " + leader.logEndOffset());
        }
        Map<Long, String> leaderValues = new HashMap<>();
        for (Entry entry : leaderRecords) {
            leaderValues.put(entry.offset(), entry.value());
            if (entry.offset() < leader.highWatermark()) {
                committed(partition, entry, "the final leader");
            }
        }
        acked.forEach((value, ack) -> {
            if (ack.partition() == partition && !value.equals(leaderValues.get(ack.offset()))) {
                anomalies.add("partition " + partition + ": acknowledged " + value + " at offset " + ack.offset()
                        + " is lost; the final leader has " + leaderValues.get(ack.offset()) + " there");
            }
        });
        List<String> expected = leaderRecords.stream().map(Entry::toString).toList();
        followers.forEach((node, log) -> {
            List<String> actual = records(log, log.logStartOffset(), log.logEndOffset()).stream()
                    .map(Entry::toString).toList();
            if (!actual.equals(expected)) {
                anomalies.add("partition " + partition + ": in-sync replica " + node + " holds " + actual.size()
                        + " records that differ from the leader's " + expected.size() + firstDifference(expected, actual));
            }
        });
    }

    private void committed(int partition, Entry entry, String source) {
        long offset = entry.offset();
        String value = entry.value();
        String before = committed.computeIfAbsent(partition, p -> new HashMap<>()).putIfAbsent(offset, value);
        if (before != null && !before.equals(value)) {
            anomalies.add("partition " + partition + ": offset " + offset + " was committed as " + before
                    + ", and " + source + " later exposes " + value + " there");
        }
        Long elsewhere = entry.control() ? null : offsetOfValue.putIfAbsent(partition + ":" + value, offset);
        if (elsewhere != null && elsewhere != offset) {
            anomalies.add("partition " + partition + ": " + value + " is committed at offsets " + elsewhere + " and "
                    + offset);
        }
    }

    private static String firstDifference(List<String> expected, List<String> actual) {
        for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
            if (!Objects.equals(expected.get(i), actual.get(i))) {
                return "; first difference: leader " + expected.get(i) + ", replica " + actual.get(i);
            }
        }
        return "";
    }

    /** The records of {@code log} in [{@code from}, {@code to}), transaction markers included. */
    static List<Entry> records(PartitionLog log, long from, long to) {
        List<Entry> records = new ArrayList<>();
        long offset = from;
        while (offset < to) {
            LogReadResult read = log.read(offset, 1 << 20, FetchIsolation.LOG_END, true);
            ByteBuffer batches;
            try {
                batches = read.records().load();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (!batches.hasRemaining()) {
                break;
            }
            for (RecordBatch batch : BufferBatchIterator.batches(batches)) {
                for (Record record : batch.records()) {
                    if (record.offset() >= offset && record.offset() < to) {
                        records.add(batch.isControlBatch()
                                ? new Entry(record.offset(), (EndTxnMarker.of(batch).commit() ? "commit" : "abort")
                                        + " marker of producer " + batch.producerId(), true)
                                : new Entry(record.offset(), value(record), false));
                    }
                }
                offset = Math.max(offset, batch.lastOffset() + 1);
            }
        }
        return records;
    }

    static String value(Record record) {
        return new String(record.value(), StandardCharsets.UTF_8);
    }

    private record Ack(int partition, long offset) {
    }

    /** A record as the checker compares it: its offset and value, or for a transaction marker what it ends. */
    record Entry(long offset, String value, boolean control) {

        @Override
        public String toString() {
            return offset + "=" + value;
        }
    }
}

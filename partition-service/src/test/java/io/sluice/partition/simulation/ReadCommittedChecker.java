package io.sluice.partition.simulation;

import io.sluice.internal.partition.AbortedBatches;
import io.sluice.internal.partition.FetchResponseCodec.AbortedTransaction;
import io.sluice.internal.partition.FetchResponseCodec.FetchedPartition;
import io.sluice.log.FetchIsolation;
import io.sluice.log.LogReadResult;
import io.sluice.log.PartitionLog;
import io.sluice.protocol.SluiceException;
import io.sluice.protocol.record.BufferBatchIterator;
import io.sluice.protocol.record.Record;
import io.sluice.protocol.record.RecordBatch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;

/**
 * What read_committed readers saw of the simulated transactions, checked on every read as the run goes and on every
 * replica at its end:
 * <ol>
 *   <li>no record of an aborted transaction is returned by a read_committed read;</li>
 *   <li>no committed record is lost: at the end, every record of a transaction whose commit markers were all
 *       acknowledged is visible read_committed on every replica exactly once, at the offset its write was
 *       acknowledged at;</li>
 *   <li>no replica's last stable offset exceeds its high watermark, and a read_committed read returns nothing at or
 *       above the last stable offset it reports;</li>
 *   <li>no record of a transaction still undecided (its producer has not ended it) is visible read_committed.</li>
 * </ol>
 * Also: an offset read_committed holds one value for every reader, and a value sits at one offset.
 *
 * <p>The reads are the real ones: a leader's consumer fetch ({@code FetchService}, read_committed) and a replica's
 * {@link PartitionLog#read} with {@link FetchIsolation#TXN_COMMITTED}. The checker adds only the consumer's half of
 * read_committed, as Kafka's consumer (and the gateway) does it: the transactional batches of the aborted
 * transactions a read names are dropped, from each one's first offset to its producer's abort marker.
 */
final class ReadCommittedChecker {

    private static final int MAX_ANOMALIES = 50;

    private final List<String> anomalies;
    private final Map<String, Txn> txnOfValue = new HashMap<>();
    private final List<Txn> txns = new ArrayList<>();
    private final Map<Integer, Map<Long, String>> visibleAt = new HashMap<>();
    private final Map<String, Long> offsetOfValue = new HashMap<>();
    private final Map<String, Long> positions = new HashMap<>();
    private long reads;
    private long recordsSeen;

    /** Adds what it finds to {@code anomalies}, the run's list. */
    ReadCommittedChecker(List<String> anomalies) {
        this.anomalies = anomalies;
    }

    /** Read_committed reads checked so far, and the records they returned (both for the run's summary). */
    long reads() {
        return reads;
    }

    long recordsSeen() {
        return recordsSeen;
    }

    List<Txn> txns() {
        return txns;
    }

    /** Where a transaction is, as its producer and the coordinator know it. */
    enum Outcome {
        OPEN, COMMITTING, ABORTING, COMMITTED, ABORTED;

        boolean decided() {
            return this != OPEN;
        }

        boolean commit() {
            return this == COMMITTING || this == COMMITTED;
        }
    }

    /** A transaction: its producer, its partitions and the values it wrote (a value maps to its acked offset). */
    static final class Txn {
        final String id;
        final long producerId;
        final short producerEpoch;
        final SortedSet<Integer> partitions;
        final Map<String, Write> writes = new LinkedHashMap<>();
        Outcome outcome = Outcome.OPEN;

        Txn(String id, long producerId, short producerEpoch, SortedSet<Integer> partitions) {
            this.id = id;
            this.producerId = producerId;
            this.producerEpoch = producerEpoch;
            this.partitions = partitions;
        }

        @Override
        public String toString() {
            return "transaction " + id + " (producer " + producerId + " epoch " + producerEpoch + ", " + outcome + ")";
        }
    }

    /** A value written to {@code partition}; {@code offset} is where its write was acknowledged, or -1. */
    record Write(int partition, long offset) {
    }

    Txn begin(String id, long producerId, short producerEpoch, SortedSet<Integer> partitions) {
        Txn txn = new Txn(id, producerId, producerEpoch, partitions);
        txns.add(txn);
        return txn;
    }

    /** {@code values} are being sent to {@code partition} in one batch of {@code txn}. */
    void sending(Txn txn, int partition, List<String> values) {
        for (String value : values) {
            txn.writes.put(value, new Write(partition, -1));
            txnOfValue.put(value, txn);
        }
    }

    /** The batch of {@code values} was acknowledged (acks=all) at {@code baseOffset}. */
    void acked(Txn txn, int partition, List<String> values, long baseOffset) {
        for (int i = 0; i < values.size(); i++) {
            txn.writes.put(values.get(i), new Write(partition, baseOffset + i));
        }
    }

    /** The producer ended {@code txn}: the coordinator now writes its markers. */
    void decided(Txn txn, boolean commit) {
        txn.outcome = commit ? Outcome.COMMITTING : Outcome.ABORTING;
    }

    /** Every marker of {@code txn} was acknowledged. */
    void completed(Txn txn) {
        txn.outcome = txn.outcome.commit() ? Outcome.COMMITTED : Outcome.ABORTED;
    }

    /** A leader's answer to a read_committed consumer fetch from {@code fetchOffset}; the offset to fetch next. */
    long checkFetch(String reader, long fetchOffset, FetchedPartition fetched) {
        int partition = fetched.partition().partition();
        return checkRead(reader, partition, fetchOffset, fetched.highWatermark(), fetched.lastStableOffset(),
                fetched.abortedTransactions(), fetched.records()).nextOffset();
    }

    /**
     * Reads what {@code log} (any replica) shows read_committed that this reader has not read yet, and checks its
     * offsets; {@code replica} names the incarnation, so a restarted node reads from its log start again.
     */
    void observeReplica(String replica, int partition, PartitionLog log) {
        long highWatermark = log.highWatermark();
        long lastStable = log.lastStableOffset();
        if (lastStable > highWatermark) {
            anomaly("partition " + partition + " on " + replica + ": last stable offset " + lastStable
                    + " is above the high watermark " + highWatermark);
        }
        String key = replica + "/" + partition;
        long from = positions.getOrDefault(key, log.logStartOffset());
        try {
            for (int i = 0; i < 4 && from < lastStable; i++) {
                long next = read(replica, partition, log, from).nextOffset();
                if (next == from) {
                    break;
                }
                from = next;
            }
        } catch (SluiceException e) {
            from = log.logStartOffset(); // the log was truncated or moved its start: read it again
        }
        positions.put(key, from);
    }

    /**
     * The end of a run, all faults healed and every transaction ended: {@code replica}'s whole log read
     * read_committed holds each record of every committed transaction exactly once, at its acknowledged offset.
     */
    void checkFinal(String replica, int partition, PartitionLog log) {
        Map<String, List<Long>> seen = new HashMap<>();
        long from = log.logStartOffset();
        long lastStable = log.lastStableOffset();
        while (from < lastStable) {
            Read read = read(replica + " (final)", partition, log, from);
            read.visible().forEach((offset, value) -> seen.computeIfAbsent(value, v -> new ArrayList<>()).add(offset));
            if (read.nextOffset() == from) {
                break;
            }
            from = read.nextOffset();
        }
        for (Txn txn : txns) {
            if (txn.outcome != Outcome.COMMITTED) {
                continue;
            }
            txn.writes.forEach((value, write) -> {
                if (write.partition() != partition) {
                    return;
                }
                List<Long> offsets = seen.getOrDefault(value, List.of());
                if (offsets.size() != 1 || offsets.getFirst() != write.offset()) {
                    anomaly("partition " + partition + " on " + replica + ": committed record " + value + " of " + txn
                            + ", acknowledged at offset " + write.offset() + ", is visible read_committed at "
                            + offsets + " (last stable offset " + lastStable + ", high watermark "
                            + log.highWatermark() + ")");
                }
            });
        }
    }

    /** After healing, every transaction has ended and the coordinator has written all its markers. */
    void checkAllCompleted() {
        for (Txn txn : txns) {
            if (txn.outcome != Outcome.COMMITTED && txn.outcome != Outcome.ABORTED) {
                anomaly(txn + " did not complete after the faults ended");
            }
        }
    }

    private Read read(String reader, int partition, PartitionLog log, long from) {
        LogReadResult result = log.read(from, 1 << 16, FetchIsolation.TXN_COMMITTED, true);
        List<AbortedTransaction> aborted = result.abortedTxns().stream()
                .map(txn -> new AbortedTransaction(txn.producerId(), txn.firstOffset())).toList();
        ByteBuffer batches;
        try {
            batches = result.records().load();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return checkRead(reader, partition, from, result.offsets().highWatermark(), result.lastStableOffset(),
                aborted, batches);
    }

    /** Drops the aborted transactions' batches as a consumer does, and checks every record that remains. */
    private Read checkRead(String reader, int partition, long fetchOffset, long highWatermark, long lastStable,
                           List<AbortedTransaction> aborted, ByteBuffer batches) {
        reads++;
        String where = "partition " + partition + " read_committed by " + reader + " from offset " + fetchOffset;
        if (lastStable > highWatermark) {
            anomaly(where + ": the read reports last stable offset " + lastStable + " above high watermark "
                    + highWatermark);
        }
        AbortedBatches abortedBatches = AbortedBatches.of(aborted);
        Map<Long, String> visible = new LinkedHashMap<>();
        long next = fetchOffset;
        for (RecordBatch batch : BufferBatchIterator.batches(batches.duplicate())) {
            next = Math.max(next, batch.lastOffset() + 1);
            if (abortedBatches.aborted(batch) || batch.isControlBatch()) {
                continue;
            }
            for (Record record : batch.records()) {
                if (record.offset() >= fetchOffset) {
                    visible.put(record.offset(), HistoryChecker.value(record));
                }
            }
        }
        visible.forEach((offset, value) -> check(where, partition, offset, value, lastStable));
        return new Read(next, visible);
    }

    private void check(String where, int partition, long offset, String value, long lastStable) {
        recordsSeen++;
        if (offset >= lastStable) {
            anomaly(where + ": " + value + " at offset " + offset + " is at or above the last stable offset "
                    + lastStable);
        }
        Txn txn = txnOfValue.get(value);
        if (txn != null && !txn.outcome.decided()) {
            anomaly(where + ": " + value + " at offset " + offset + " of " + txn + " is visible before its producer"
                    + " ended it");
        } else if (txn != null && !txn.outcome.commit()) {
            anomaly(where + ": " + value + " at offset " + offset + " of aborted " + txn + " is visible");
        }
        String before = visibleAt.computeIfAbsent(partition, p -> new HashMap<>()).putIfAbsent(offset, value);
        if (before != null && !before.equals(value)) {
            anomaly(where + ": offset " + offset + " holds " + value + ", where an earlier read_committed read saw "
                    + before);
        }
        Long elsewhere = offsetOfValue.putIfAbsent(partition + ":" + value, offset);
        if (elsewhere != null && elsewhere != offset) {
            anomaly(where + ": " + value + " is visible at offsets " + elsewhere + " and " + offset);
        }
    }

    private void anomaly(String anomaly) {
        if (anomalies.size() < MAX_ANOMALIES) {
            anomalies.add(anomaly);
        }
    }

    /** The records a read left visible (offset to value), and where the reader continues. */
    private record Read(long nextOffset, Map<Long, String> visible) {
    }
}

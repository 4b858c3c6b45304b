package io.sluice.internal.partition;

import io.sluice.internal.partition.FetchResponseCodec.AbortedTransaction;
import io.sluice.protocol.record.EndTxnMarker;
import io.sluice.protocol.record.RecordBatch;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Which batches of a read_committed read belong to aborted transactions, as a Kafka consumer decides it: a
 * transaction named by the leader (its producer, its first offset) is aborted from its first offset until its
 * producer's abort marker; a transactional batch of that producer in between is left out. Fed every batch of one read
 * in offset order, control batches included. One per read; not thread-safe. The gateway's read_committed reads use
 * it, and the replication simulation's read_committed checker reads as they do.
 */
public final class AbortedBatches {

    private static final AbortedBatches NONE = new AbortedBatches(List.of());

    private final PriorityQueue<AbortedTransaction> ahead =
            new PriorityQueue<>(Comparator.comparingLong(AbortedTransaction::firstOffset));
    private final Set<Long> abortedProducers = new HashSet<>();

    private AbortedBatches(List<AbortedTransaction> aborted) {
        ahead.addAll(aborted);
    }

    /** The aborted transactions the leader named for a read ({@code FetchedPartition.abortedTransactions()}). */
    public static AbortedBatches of(List<AbortedTransaction> aborted) {
        return aborted.isEmpty() ? NONE : new AbortedBatches(aborted);
    }

    /** Whether {@code batch}, the next batch of the read, is an aborted transaction's. */
    public boolean aborted(RecordBatch batch) {
        if (this == NONE) {
            return false;
        }
        while (!ahead.isEmpty() && ahead.peek().firstOffset() <= batch.lastOffset()) {
            abortedProducers.add(ahead.poll().producerId());
        }
        if (batch.isControlBatch()) {
            if (!EndTxnMarker.of(batch).commit()) {
                abortedProducers.remove(batch.producerId());
            }
            return false;
        }
        return batch.isTransactional() && abortedProducers.contains(batch.producerId());
    }
}

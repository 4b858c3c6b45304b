package io.sluice.log;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * What one partition remembers of one producer id (Kafka's ProducerStateEntry): the producer epoch it last wrote in
 * and its last {@value #NUM_BATCHES_TO_RETAIN} batches in that epoch, oldest first, plus when this replica last saw a
 * batch of it (its own clock, for {@code producer.id.expiration.ms}). A batch of a newer epoch forgets the older
 * epoch's batches. For a transactional producer also the first offset of its open transaction here (none: -1) and
 * the epoch of the transaction coordinator whose marker it last got. Mutable; owned by a {@link ProducerStateManager}
 * under the log's writer lock.
 */
final class ProducerStateEntry {

    /** As Kafka: a producer has at most five batches in flight per partition, so five cover every retry. */
    static final int NUM_BATCHES_TO_RETAIN = 5;

    private final long producerId;
    private short producerEpoch;
    private final Deque<BatchMetadata> batches = new ArrayDeque<>(NUM_BATCHES_TO_RETAIN);
    private long lastSeenMs;
    private long currentTxnFirstOffset = -1;
    private int coordinatorEpoch = -1;

    ProducerStateEntry(long producerId, short producerEpoch, long lastSeenMs) {
        this.producerId = producerId;
        this.producerEpoch = producerEpoch;
        this.lastSeenMs = lastSeenMs;
    }

    long producerId() {
        return producerId;
    }

    short producerEpoch() {
        return producerEpoch;
    }

    long lastSeenMs() {
        return lastSeenMs;
    }

    /** The first offset of this producer's open transaction on the partition, or -1 without one. */
    long currentTxnFirstOffset() {
        return currentTxnFirstOffset;
    }

    void currentTxnFirstOffset(long offset) {
        currentTxnFirstOffset = offset;
    }

    /** The epoch of the transaction coordinator that wrote this producer's last marker here, or -1. */
    int coordinatorEpoch() {
        return coordinatorEpoch;
    }

    /**
     * A marker of epoch {@code epoch} from coordinator epoch {@code coordinatorEpoch} was written: a newer producer
     * epoch forgets the older one's batches, as a batch of it would.
     */
    void markerWritten(short epoch, int coordinatorEpoch, long seenMs) {
        if (epoch != producerEpoch) {
            producerEpoch = epoch;
            batches.clear();
        }
        this.coordinatorEpoch = coordinatorEpoch;
        lastSeenMs = Math.max(lastSeenMs, seenMs);
    }

    /** The retained batches, oldest first. */
    List<BatchMetadata> batches() {
        return List.copyOf(batches);
    }

    /** The sequence of the last batch, or -1 (RecordBatch.NO_SEQUENCE) before any batch in this epoch. */
    int lastSeq() {
        return batches.isEmpty() ? -1 : batches.getLast().lastSeq();
    }

    /** The last offset of the last batch, or -1. */
    long lastOffset() {
        return batches.isEmpty() ? -1 : batches.getLast().lastOffset();
    }

    /** The retained batch with exactly this sequence range in {@code epoch}, if any: the batch sent again. */
    BatchMetadata findDuplicate(short epoch, int firstSeq, int lastSeq) {
        if (epoch != producerEpoch) {
            return null;
        }
        for (BatchMetadata batch : batches) {
            if (batch.firstSeq() == firstSeq && batch.lastSeq() == lastSeq) {
                return batch;
            }
        }
        return null;
    }

    /** Adds a written batch: a newer epoch starts over; the oldest of more than five batches is forgotten. */
    void addBatch(short epoch, BatchMetadata batch, long seenMs) {
        if (epoch != producerEpoch) {
            producerEpoch = epoch;
            batches.clear();
        }
        batches.addLast(batch);
        if (batches.size() > NUM_BATCHES_TO_RETAIN) {
            batches.removeFirst();
        }
        lastSeenMs = Math.max(lastSeenMs, seenMs);
    }

    /** An independent copy, for a snapshot or a model comparison. */
    /** What DescribeProducers says of this producer. */
    ProducerDescription describe() {
        long lastTimestamp = batches.isEmpty() ? -1 : batches.getLast().timestamp();
        return new ProducerDescription(producerId, producerEpoch, lastSeq(), lastTimestamp, coordinatorEpoch,
                currentTxnFirstOffset);
    }

    ProducerStateEntry copy() {
        ProducerStateEntry copy = new ProducerStateEntry(producerId, producerEpoch, lastSeenMs);
        copy.batches.addAll(batches);
        copy.currentTxnFirstOffset = currentTxnFirstOffset;
        copy.coordinatorEpoch = coordinatorEpoch;
        return copy;
    }

    @Override
    public String toString() {
        return "ProducerStateEntry[" + producerId + ", epoch " + producerEpoch + ", " + batches + ", seen "
                + lastSeenMs + (currentTxnFirstOffset >= 0 ? ", transaction from " + currentTxnFirstOffset : "")
                + (coordinatorEpoch >= 0 ? ", coordinator epoch " + coordinatorEpoch : "") + "]";
    }
}

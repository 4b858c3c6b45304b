package io.sluice.gateway.routing;

import io.sluice.protocol.record.RecordBatch;
import java.nio.ByteBuffer;

/**
 * One producer session for one partition, as Kafka's idempotent producer keeps it: a producer id, epoch 0, and the
 * next sequence. {@link #stamp} writes the session into encoded batches when they are sent, so sequences are
 * contiguous in the order the batches actually go out; a re-send carries the stamp it first got, so a leader that
 * already holds the batch answers the offsets it was first written at and appends nothing (see docs/storage.md,
 * "Idempotent producers").
 *
 * <p><b>After a failure.</b> A stamped batch that failed leaves the sequence after it unknown: it may have been
 * written (an unknown outcome) or not (a definite failure, which leaves a gap the leader would refuse as
 * OUT_OF_ORDER_SEQUENCE_NUMBER). {@link #failed} therefore ends the session: the next batch takes a fresh producer id
 * and starts at sequence 0, which every leader accepts — the simplest correct form of Kafka's epoch bump (KIP-360).
 * A failed batch that may have been written keeps its stamp for its own re-sends; one that certainly was not (refused
 * for its sequence, by a node no longer its leader, or never sent) is unstamped by the {@link LeaderQueue} and joins
 * the fresh session when sent again. Failures are rare (a failover, an overloaded ISR), and each
 * leaves one idle producer behind at the partition until {@code producer-id-expiration}.
 *
 * <p>Sequences never wrap: past 2^30 the session moves to a fresh producer id. Thread-safe; stamping is a few field
 * writes and a CRC per batch.
 */
public final class ProducerSession {

    private static final int ROTATE_AT = 1 << 30;
    private static final short EPOCH = 0;

    private final ProducerIds ids;

    // Guarded by this.
    private long producerId = ProducerIds.NONE;
    private int nextSequence;

    public ProducerSession(ProducerIds ids) {
        this.ids = ids;
    }

    /**
     * Stamps the batches between {@code batches}' position and limit (in place; the position does not move) with
     * this session's producer id and its next sequences, one per record.
     *
     * @return the producer id stamped, or {@link ProducerIds#NONE} when no producer id was at hand (the batches are
     *         left without a producer and are sent as a plain producer's)
     */
    public synchronized long stamp(ByteBuffer batches) {
        if (producerId == ProducerIds.NONE || nextSequence >= ROTATE_AT) {
            producerId = ids.next();
            nextSequence = 0;
            if (producerId == ProducerIds.NONE) {
                return ProducerIds.NONE;
            }
        }
        nextSequence = write(batches, producerId, EPOCH, nextSequence);
        return producerId;
    }

    /** A batch stamped with {@code producerId} failed: unless the session moved on already, its next batch starts anew. */
    public synchronized void failed(long producerId) {
        if (producerId != ProducerIds.NONE && this.producerId == producerId) {
            this.producerId = ProducerIds.NONE;
        }
    }

    /** Whether {@code batches} hold a batch without a producer (at their position), to be stamped when sent. */
    public static boolean needsStamp(ByteBuffer batches) {
        return batches.remaining() >= RecordBatch.HEADER_SIZE
                && RecordBatch.producerIdAt(batches) == RecordBatch.NO_PRODUCER_ID;
    }

    /** The producer id of the first batch at {@code batches}' position ({@link ProducerIds#NONE} without one). */
    public static long producerIdOf(ByteBuffer batches) {
        return RecordBatch.producerIdAt(batches);
    }

    /**
     * Takes the stamp off batches a leader refused on their first send for their sequence (nothing was written), so
     * that they are stamped again, by a fresh session, when re-sent.
     */
    public static void clear(ByteBuffer batches) {
        write(batches, RecordBatch.NO_PRODUCER_ID, RecordBatch.NO_PRODUCER_EPOCH, RecordBatch.NO_SEQUENCE);
    }

    private static int write(ByteBuffer batches, long producerId, short epoch, int firstSequence) {
        ByteBuffer view = batches.duplicate();
        int sequence = firstSequence;
        while (view.hasRemaining()) {
            RecordBatch batch = RecordBatch.readFrom(view);
            batch.setProducer(producerId, epoch, producerId == RecordBatch.NO_PRODUCER_ID ? RecordBatch.NO_SEQUENCE
                    : sequence);
            sequence += batch.recordCount();
            view.position(view.position() + batch.sizeInBytes());
        }
        return sequence;
    }
}

package io.sluice.protocol.record;

import java.nio.ByteBuffer;

/**
 * A transaction marker (Kafka's end-transaction control record): written by a partition's leader, at the transaction
 * coordinator's request, as the one record of a control batch of the transaction's producer id and epoch; it commits
 * or aborts every record that producer wrote to the partition since its previous marker. The layout is Kafka's, so
 * Kafka's consumers recognize it and skip it:
 *
 * <pre>
 *   key   = version int16 (0), type int16 (0 abort, 1 commit)
 *   value = version int16 (0), coordinator epoch int32
 * </pre>
 *
 * @param commit           commit (true) or abort
 * @param coordinatorEpoch the epoch of the transaction coordinator that decided it (a marker of an older coordinator
 *                         is refused)
 */
public record EndTxnMarker(boolean commit, int coordinatorEpoch) {

    private static final short ABORT = 0;
    private static final short COMMIT = 1;
    private static final short VERSION = 0;

    /**
     * The control batch carrying this marker for {@code producerId} in {@code producerEpoch}, at offset 0 (the leader
     * assigns its offset and leader epoch when it appends it).
     */
    public ByteBuffer toBatch(long producerId, short producerEpoch, long timestamp) {
        ByteBuffer key = ByteBuffer.allocate(4).putShort(VERSION).putShort(commit ? COMMIT : ABORT);
        ByteBuffer value = ByteBuffer.allocate(6).putShort(VERSION).putInt(coordinatorEpoch);
        return RecordBatchBuilder.of(CompressionType.NONE, 32)
                .producer(producerId, producerEpoch, RecordBatch.NO_SEQUENCE)
                .transactional(true)
                .control(true)
                .append(timestamp, key.array(), value.array())
                .build();
    }

    /**
     * The marker {@code batch} carries.
     *
     * @throws CorruptRecordException if it is not a control batch with one end-transaction record
     */
    public static EndTxnMarker of(RecordBatch batch) {
        if (!batch.isControlBatch() || batch.recordCount() != 1) {
            throw new CorruptRecordException("Batch at offset " + batch.baseOffset() + " is not a transaction marker");
        }
        Record record = batch.records().getFirst();
        if (record.key() == null || record.key().length < 4 || record.value() == null || record.value().length < 6) {
            throw new CorruptRecordException("Control record at offset " + record.offset() + " has no marker key and value");
        }
        short type = ByteBuffer.wrap(record.key()).getShort(2);
        if (type != ABORT && type != COMMIT) {
            throw new CorruptRecordException("Control record at offset " + record.offset() + " has type " + type
                    + ", not a transaction marker");
        }
        return new EndTxnMarker(type == COMMIT, ByteBuffer.wrap(record.value()).getInt(2));
    }
}

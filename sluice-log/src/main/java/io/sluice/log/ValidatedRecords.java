package io.sluice.log;

import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.record.BufferBatchIterator;
import io.sluice.protocol.record.CorruptRecordException;
import io.sluice.protocol.record.Record;
import io.sluice.protocol.record.RecordBatch;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The batches of one append request after validation, as views over the caller's buffer (so offsets and epochs set
 * on them land in the bytes that are written). Validation is all-or-nothing: it runs before anything is written,
 * and one bad batch fails the whole request.
 */
record ValidatedRecords(ByteBuffer buffer, List<RecordBatch> batches, int sizeInBytes, int recordCount) {

    /**
     * Checks a leader append: whole batches only, each within {@code max.message.bytes}, with a valid CRC, at least
     * one record and dense offset deltas (as producers write them), no control batch; the request within a segment.
     *
     * @throws io.sluice.protocol.SluiceException RECORD_TOO_LARGE, CORRUPT_RECORD or INVALID_RECORD
     */
    static ValidatedRecords forLeader(ByteBuffer records, LogConfig config) {
        return validate(records, config, true);
    }

    /** Checks a transaction marker the leader built (a control batch, which client appends may not carry). */
    static ValidatedRecords forMarker(ByteBuffer marker, LogConfig config) {
        return validate(marker, config, false);
    }

    /** Checks a follower append: whole batches, valid CRCs, the request within a segment (sizes are the leader's). */
    static ValidatedRecords forFollower(ByteBuffer records, LogConfig config) {
        return validate(records, config, false);
    }

    /**
     * Assigns offsets from {@code firstOffset} and the leader epoch by rewriting the batch headers in place (fields
     * outside the CRC); with a {@code logAppendTime} (not -1) also stamps each batch, which recomputes its CRC.
     */
    void assignOffsets(long firstOffset, int leaderEpoch, long logAppendTime) {
        long next = firstOffset;
        for (RecordBatch batch : batches) {
            batch.setBaseOffset(next);
            batch.setPartitionLeaderEpoch(leaderEpoch);
            if (logAppendTime != RecordBatch.NO_TIMESTAMP) {
                batch.setLogAppendTime(logAppendTime);
            }
            next = batch.nextOffset();
        }
    }

    /**
     * Checks that follower batches continue a log ending at {@code logEndOffset}: none starts below it, and each
     * starts at or after the end of the one before. A batch may start past that point, as in Kafka: a compacted
     * leader no longer has the offsets between (the cleaner removed them), and its read answers the next batch.
     */
    void ensureContinues(String partition, long logEndOffset) {
        long expected = logEndOffset;
        for (RecordBatch batch : batches) {
            if (batch.baseOffset() < expected) {
                throw new UnexpectedAppendOffsetException(partition, expected, batch.baseOffset());
            }
            expected = batch.nextOffset();
        }
    }

    long firstOffset() {
        return batches.getFirst().baseOffset();
    }

    long lastOffset() {
        return batches.getLast().lastOffset();
    }

    long maxTimestamp() {
        long max = RecordBatch.NO_TIMESTAMP;
        for (RecordBatch batch : batches) {
            max = Math.max(max, batch.maxTimestamp());
        }
        return max;
    }

    /** As Kafka: a compacted topic keeps the latest record per key, so a record without one has no place in it. */
    private static void requireKeys(RecordBatch batch) {
        for (Record record : batch.records()) {
            if (record.key() == null) {
                throw ErrorCode.INVALID_RECORD.exception("Compacted topic cannot accept a record without a key"
                        + " (cleanup.policy includes compact)");
            }
        }
    }

    private static ValidatedRecords validate(ByteBuffer records, LogConfig config, boolean leader) {
        ByteBuffer buffer = records.slice();
        List<RecordBatch> batches = new ArrayList<>();
        int recordCount = 0;
        BufferBatchIterator iterator = BufferBatchIterator.of(buffer);
        while (iterator.hasNext()) {
            RecordBatch batch = iterator.next();
            if (leader && batch.sizeInBytes() > config.maxMessageBytes()) {
                throw ErrorCode.RECORD_TOO_LARGE.exception("Record batch of " + batch.sizeInBytes()
                        + " bytes exceeds max.message.bytes " + config.maxMessageBytes());
            }
            batch.ensureValid();
            if (leader && (batch.recordCount() < 1 || batch.lastOffsetDelta() != batch.recordCount() - 1)) {
                throw ErrorCode.INVALID_RECORD.exception("Record batch has " + batch.recordCount()
                        + " records and lastOffsetDelta " + batch.lastOffsetDelta()
                        + "; a produced batch needs at least one record and consecutive offsets");
            }
            if (leader && batch.isControlBatch()) {
                throw ErrorCode.INVALID_RECORD.exception("A produce may not carry control batches: transaction markers"
                        + " are written by the transaction coordinator");
            }
            if (leader && config.compaction().policy().compacts()) {
                requireKeys(batch);
            }
            if (!leader && batch.lastOffsetDelta() < 0) {
                throw new CorruptRecordException("Record batch at offset " + batch.baseOffset()
                        + " has a negative lastOffsetDelta");
            }
            recordCount += batch.recordCount();
            batches.add(batch);
        }
        if (iterator.hasPartialTail()) {
            throw new CorruptRecordException("Append request has " + (buffer.remaining() - iterator.validBytes())
                    + " bytes after its last complete batch");
        }
        if (batches.isEmpty()) {
            throw ErrorCode.INVALID_RECORD.exception("Append request holds no record batch");
        }
        if (buffer.remaining() > config.segmentBytes()) {
            throw ErrorCode.RECORD_TOO_LARGE.exception("Append request of " + buffer.remaining()
                    + " bytes exceeds segment.bytes " + config.segmentBytes());
        }
        return new ValidatedRecords(buffer, List.copyOf(batches), buffer.remaining(), recordCount);
    }
}

package io.sluice.gateway.consume;

import java.nio.ByteBuffer;

/**
 * One raw read of a partition ({@value #MEDIA_TYPE}): the record batches the leader stores, byte for byte (Kafka's
 * record batch format, magic v2, back to back), only complete batches and only below the high watermark, and where
 * the next read starts. The first batch may begin before the offset asked for (a batch is never cut): a reader skips
 * the records below it, as Kafka consumers do. Control batches are passed on as stored.
 *
 * @param batches        a view of the fetched bytes, not a copy
 * @param nextOffset     where the next read starts: after the last batch, or the offset read from when none came
 * @param highWatermark  the partition's high watermark when it was read
 * @param logStartOffset the partition's log start offset when it was read
 * @param cursor         {@code nextOffset} as a {@link Cursor}
 */
record RawBatches(ByteBuffer batches, long nextOffset, long highWatermark, long logStartOffset, String cursor) {

    /** The media type of raw reads; v2 is the record batch format (magic byte) inside. */
    static final String MEDIA_TYPE = "application/vnd.sluice.record-batch.v2";
}

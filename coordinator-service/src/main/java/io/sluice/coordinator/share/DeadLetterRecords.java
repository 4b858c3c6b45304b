package io.sluice.coordinator.share;

import io.sluice.protocol.record.CompressionType;
import io.sluice.protocol.record.Header;
import io.sluice.protocol.record.Record;
import io.sluice.protocol.record.RecordBatchBuilder;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The dead-letter records of KIP-1191, as Kafka writes them, so that a tool reading Kafka's dead-letter topics reads
 * Sluice's: one record per archived record, timestamped when it is written, uncompressed, without producer id. Its
 * headers are the original record's headers (when the group copies records) followed by the context headers, all
 * values UTF-8 text:
 * <pre>
 *   __dlq.errors.topic           the source topic
 *   __dlq.errors.partition       the source partition, decimal
 *   __dlq.errors.offset          the record's offset in it, decimal
 *   __dlq.errors.group           the share group
 *   __dlq.errors.delivery.count  how many times the record was delivered, decimal
 *   __dlq.errors.message         why it was archived ({@link DeadLetterCause#message()})
 * </pre>
 * Its key and value are the original's when the group copies records, and absent otherwise. A copied record that can
 * no longer be read (deleted by retention, its topic deleted) is written with the context headers only, as Kafka does.
 * The dead-letter partition is the source partition modulo the dead-letter topic's partition count.
 *
 * <p>Pure and stateless.
 */
final class DeadLetterRecords {

    static final String HEADER_TOPIC = "__dlq.errors.topic";
    static final String HEADER_PARTITION = "__dlq.errors.partition";
    static final String HEADER_OFFSET = "__dlq.errors.offset";
    static final String HEADER_GROUP = "__dlq.errors.group";
    static final String HEADER_DELIVERY_COUNT = "__dlq.errors.delivery.count";
    static final String HEADER_MESSAGE = "__dlq.errors.message";

    private DeadLetterRecords() {
    }

    /** The dead-letter partition of {@code sourcePartition} in a topic of {@code partitions} partitions. */
    static int partition(int sourcePartition, int partitions) {
        if (sourcePartition < 0 || partitions < 1) {
            throw new IllegalArgumentException("partition " + sourcePartition + " of " + partitions);
        }
        return sourcePartition % partitions;
    }

    /** The context headers of the record at {@code offset} of {@code entry}'s run. */
    static List<Header> contextHeaders(DeadLetterEntry entry, long offset) {
        return List.of(Header.of(HEADER_TOPIC, entry.topic()),
                Header.of(HEADER_PARTITION, Integer.toString(entry.partition())),
                Header.of(HEADER_OFFSET, Long.toString(offset)),
                Header.of(HEADER_GROUP, entry.group()),
                Header.of(HEADER_DELIVERY_COUNT, Integer.toString(entry.deliveryCount())),
                Header.of(HEADER_MESSAGE, entry.cause().message()));
    }

    /**
     * The run's dead-letter records as batches of at most {@code maxBatchBytes} each (a single record larger than that
     * is a batch of its own, for the leader to refuse), in offset order.
     *
     * @param originals the source records by offset, when the group copies records (those missing get headers only);
     *                  ignored when it does not
     */
    static List<ByteBuffer> batches(DeadLetterEntry entry, Map<Long, Record> originals, long nowMs,
                                    int maxBatchBytes) {
        List<ByteBuffer> batches = new ArrayList<>();
        RecordBatchBuilder batch = null;
        for (long offset = entry.firstOffset(); offset <= entry.lastOffset(); offset++) {
            Record original = entry.copyRecord() ? originals.get(offset) : null;
            List<Header> headers = new ArrayList<>();
            byte[] key = null;
            byte[] value = null;
            if (original != null) {
                headers.addAll(original.headers());
                key = original.key();
                value = original.value();
            }
            headers.addAll(contextHeaders(entry, offset));
            int size = approximateSize(key, value, headers);
            if (batch != null && batch.estimatedSizeInBytes() + size > maxBatchBytes) {
                batches.add(batch.build());
                batch = null;
            }
            if (batch == null) {
                batch = RecordBatchBuilder.of(CompressionType.NONE);
            }
            batch.append(nowMs, key, value, headers);
        }
        batches.add(batch.build());
        return batches;
    }

    /** A record's bytes in a batch, near enough (varint lengths counted at their widest) to split batches by. */
    private static int approximateSize(byte[] key, byte[] value, List<Header> headers) {
        int size = 32 + (key == null ? 0 : key.length) + (value == null ? 0 : value.length);
        for (Header header : headers) {
            size += 10 + header.key().length() * 3 + (header.value() == null ? 0 : header.value().length);
        }
        return size;
    }
}

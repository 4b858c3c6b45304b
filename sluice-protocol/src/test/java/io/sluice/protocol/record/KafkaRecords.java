package io.sluice.protocol.record;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.protocol.record.BatchSpec.RecordSpec;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;

/**
 * The bridge to the oracle, {@code kafka-clients}: writes a {@link BatchSpec} with Kafka's own builder, turns Kafka's
 * decoded batches and records into Sluice's types, and compares a Sluice view with Kafka's view of the same bytes.
 */
final class KafkaRecords {

    private KafkaRecords() {
    }

    static org.apache.kafka.common.record.internal.CompressionType kafkaType(CompressionType type) {
        return org.apache.kafka.common.record.internal.CompressionType.forId(type.id());
    }

    /** The spec written by Kafka's MemoryRecordsBuilder (which refuses control records appended as data). */
    static ByteBuffer encode(BatchSpec spec) {
        boolean logAppendTime = spec.timestampType() == TimestampType.LOG_APPEND_TIME;
        MemoryRecordsBuilder builder = new MemoryRecordsBuilder(ByteBuffer.allocate(1024),
                org.apache.kafka.common.record.internal.RecordBatch.MAGIC_VALUE_V2,
                Compression.of(kafkaType(spec.compression())).build(),
                logAppendTime ? org.apache.kafka.common.record.TimestampType.LOG_APPEND_TIME
                        : org.apache.kafka.common.record.TimestampType.CREATE_TIME,
                spec.baseOffset(), spec.logAppendTime(), spec.producerId(), spec.producerEpoch(), spec.baseSequence(),
                spec.transactional(), false, spec.partitionLeaderEpoch(), Integer.MAX_VALUE);
        for (RecordSpec record : spec.records()) {
            builder.append(record.timestamp(), record.key(), record.value(), kafkaHeaders(record.headers()));
        }
        return builder.build().buffer();
    }

    static org.apache.kafka.common.header.Header[] kafkaHeaders(List<Header> headers) {
        return headers.stream().map(h -> new RecordHeader(h.key(), h.value()))
                .toArray(org.apache.kafka.common.header.Header[]::new);
    }

    /** Every batch Kafka finds in {@code bytes}, in order (the buffer is not consumed). */
    static List<org.apache.kafka.common.record.internal.MutableRecordBatch> kafkaBatches(ByteBuffer bytes) {
        List<org.apache.kafka.common.record.internal.MutableRecordBatch> batches = new ArrayList<>();
        MemoryRecords.readableRecords(bytes.duplicate()).batches().forEach(batches::add);
        return batches;
    }

    /** Kafka's single batch in {@code bytes}, after Kafka's own CRC and size check. */
    static org.apache.kafka.common.record.internal.MutableRecordBatch onlyKafkaBatch(ByteBuffer bytes) {
        List<org.apache.kafka.common.record.internal.MutableRecordBatch> batches = kafkaBatches(bytes);
        assertThat(batches).hasSize(1);
        batches.getFirst().ensureValid();
        return batches.getFirst();
    }

    /** Kafka's decoding of a batch's records, as Sluice records for comparison. */
    static List<Record> records(org.apache.kafka.common.record.internal.RecordBatch batch) {
        List<Record> records = new ArrayList<>();
        for (org.apache.kafka.common.record.internal.Record record : batch) {
            List<Header> headers = new ArrayList<>();
            for (org.apache.kafka.common.header.Header header : record.headers()) {
                headers.add(new Header(header.key(), header.value()));
            }
            records.add(new Record(record.offset(), record.timestamp(), record.sequence(), bytes(record.key()),
                    bytes(record.value()), headers));
        }
        return records;
    }

    private static byte[] bytes(ByteBuffer buffer) {
        if (buffer == null) {
            return null;
        }
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    /** Sluice's and Kafka's views of the same batch agree on every header field and every record. */
    static void assertSameBatch(RecordBatch sluice, org.apache.kafka.common.record.internal.RecordBatch kafka) {
        assertThat(sluice.baseOffset()).as("baseOffset").isEqualTo(kafka.baseOffset());
        assertThat(sluice.lastOffset()).as("lastOffset").isEqualTo(kafka.lastOffset());
        assertThat(sluice.nextOffset()).as("nextOffset").isEqualTo(kafka.nextOffset());
        assertThat(sluice.sizeInBytes()).as("sizeInBytes").isEqualTo(kafka.sizeInBytes());
        assertThat(sluice.partitionLeaderEpoch()).as("partitionLeaderEpoch").isEqualTo(kafka.partitionLeaderEpoch());
        assertThat(sluice.magic()).as("magic").isEqualTo(kafka.magic());
        assertThat(sluice.checksum()).as("checksum").isEqualTo(kafka.checksum());
        assertThat(sluice.isValid()).as("isValid").isEqualTo(kafka.isValid());
        assertThat(sluice.compressionType().id()).as("compression").isEqualTo((int) kafka.compressionType().id);
        assertThat(sluice.timestampType().name()).as("timestampType").isEqualTo(kafka.timestampType().name());
        assertThat(sluice.maxTimestamp()).as("maxTimestamp").isEqualTo(kafka.maxTimestamp());
        assertThat(sluice.baseTimestamp()).as("baseTimestamp")
                .isEqualTo(((org.apache.kafka.common.record.internal.DefaultRecordBatch) kafka).baseTimestamp());
        assertThat(sluice.producerId()).as("producerId").isEqualTo(kafka.producerId());
        assertThat(sluice.producerEpoch()).as("producerEpoch").isEqualTo(kafka.producerEpoch());
        assertThat(sluice.baseSequence()).as("baseSequence").isEqualTo(kafka.baseSequence());
        assertThat(sluice.lastSequence()).as("lastSequence").isEqualTo(kafka.lastSequence());
        assertThat(sluice.isTransactional()).as("transactional").isEqualTo(kafka.isTransactional());
        assertThat(sluice.isControlBatch()).as("control").isEqualTo(kafka.isControlBatch());
        assertThat(sluice.recordCount()).as("recordCount").isEqualTo(kafka.countOrNull());
        assertThat(sluice.records()).as("records").containsExactlyElementsOf(records(kafka));
    }
}

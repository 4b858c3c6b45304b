package io.sluice.protocol.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import io.sluice.protocol.record.BatchSpec.RecordSpec;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The encoder's own contract: single use, at least one record, sizes it reports, timestamps it accepts. */
class RecordBatchBuilderTest {

    @Test
    void aBatchNeedsAtLeastOneRecord() {
        assertThatIllegalStateException().isThrownBy(() -> RecordBatchBuilder.of(CompressionType.NONE).build());
    }

    @Test
    void aBuilderIsSingleUse() {
        RecordBatchBuilder builder = RecordBatchBuilder.of(CompressionType.NONE).append(1L, null, new byte[] {1});
        builder.build();

        assertThatIllegalStateException().isThrownBy(builder::build);
        assertThatIllegalStateException().isThrownBy(() -> builder.append(2L, null, new byte[] {2}));
    }

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void theEstimateIsTheUncompressedSizeOfTheBatch(CompressionType compression) {
        BatchSpec spec = BatchSpec.ofValues(compression, 20);
        RecordBatchBuilder builder = RecordBatchBuilder.of(compression);
        for (RecordSpec record : spec.records()) {
            builder.append(record.timestamp(), record.key(), record.value(), record.headers());
        }

        assertThat(builder.recordCount()).isEqualTo(20);
        assertThat(builder.estimatedSizeInBytes())
                .isEqualTo(BatchSpec.ofValues(CompressionType.NONE, 20).encode().remaining());
    }

    @Test
    void theBuiltBufferHoldsExactlyOneBatchFromPositionZero() {
        ByteBuffer batch = BatchSpec.ofValues(CompressionType.GZIP, 3).encode();

        assertThat(batch.position()).isZero();
        assertThat(batch.remaining()).isEqualTo(batch.getInt(RecordBatch.LENGTH_OFFSET) + RecordBatch.LOG_OVERHEAD);
    }

    /**
     * Kafka's MemoryRecordsBuilder refuses these too: with all timestamps below -1, maxTimestamp would stay at
     * NO_TIMESTAMP (-1), above every record's time, and a time index built from it would be wrong.
     */
    @ParameterizedTest
    @ValueSource(longs = {-2L, -1000L, Long.MIN_VALUE})
    void whenATimestampIsNegativeOtherThanNoTimestampShouldRefuse(long timestamp) {
        RecordBatchBuilder builder = RecordBatchBuilder.of(CompressionType.NONE);

        assertThatIllegalArgumentException().isThrownBy(() -> builder.append(timestamp, null, new byte[] {1}))
                .withMessageContaining(Long.toString(timestamp));
        assertThatIllegalArgumentException().isThrownBy(() -> KafkaRecords.encode(
                BatchSpec.simple(CompressionType.NONE, List.of(new RecordSpec(timestamp, null, new byte[] {1}, List.of())))));
    }

    @Test
    void noTimestampIsAcceptedAndMaxTimestampIgnoresIt() {
        ByteBuffer batch = RecordBatchBuilder.of(CompressionType.NONE)
                .append(RecordBatch.NO_TIMESTAMP, null, new byte[] {1})
                .append(5L, null, new byte[] {2})
                .append(RecordBatch.NO_TIMESTAMP, null, new byte[] {3})
                .build();

        RecordBatch read = RecordBatch.readFrom(batch);
        assertThat(read.maxTimestamp()).isEqualTo(5L);
        assertThat(read.baseTimestamp()).isEqualTo(RecordBatch.NO_TIMESTAMP);
        assertThat(read.records()).extracting(Record::timestamp).containsExactly(-1L, 5L, -1L);
    }
}

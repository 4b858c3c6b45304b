package io.sluice.protocol.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/** Whatever RecordBatchBuilder encodes, RecordBatch reads back unchanged: header fields, offsets, times, sequences. */
class RecordBatchRoundTripProperties {

    @Property(tries = 200)
    void encodedBatchReadsBackIdentically(@ForAll("batches") BatchSpec spec) {
        ByteBuffer encoded = spec.encode();

        RecordBatch batch = RecordBatch.readFrom(encoded);
        batch.ensureValid();

        assertThat(encoded.position()).as("readFrom leaves the position").isZero();
        BatchAssertions.assertHeaderMatches(batch, spec);
        assertThat(batch.sizeInBytes()).isEqualTo(encoded.remaining());
        assertThat(batch.records()).containsExactlyElementsOf(spec.expectedRecords());
    }

    @Property(tries = 100)
    void batchesBackToBackIterateInOrder(@ForAll @Size(min = 1, max = 6) List<@From("smallBatches") BatchSpec> specs) {
        List<BatchSpec> placed = new ArrayList<>();
        long nextOffset = 0;
        for (BatchSpec spec : specs) {
            placed.add(spec.withBaseOffset(nextOffset));
            nextOffset += spec.records().size();
        }
        ByteBuffer log = BatchAssertions.concat(placed.stream().map(BatchSpec::encode).toList());

        BufferBatchIterator batches = BufferBatchIterator.of(log);
        List<Record> read = new ArrayList<>();
        int index = 0;
        while (batches.hasNext()) {
            RecordBatch batch = batches.next();
            batch.ensureValid();
            BatchAssertions.assertHeaderMatches(batch, placed.get(index++));
            read.addAll(batch.records());
        }

        assertThat(index).isEqualTo(placed.size());
        assertThat(batches.validBytes()).isEqualTo(log.remaining());
        assertThat(batches.hasPartialTail()).isFalse();
        assertThat(read).containsExactlyElementsOf(placed.stream().flatMap(s -> s.expectedRecords().stream()).toList());
    }

    @Property(tries = 100)
    void inPlaceOffsetAndEpochKeepTheBatchValid(@ForAll("smallBatches") BatchSpec spec,
                                                @ForAll("offsets") long newBaseOffset, @ForAll int newEpoch) {
        RecordBatch batch = RecordBatch.readFrom(spec.encode());

        batch.setBaseOffset(newBaseOffset);
        batch.setPartitionLeaderEpoch(newEpoch);

        batch.ensureValid();
        assertThat(batch.baseOffset()).isEqualTo(newBaseOffset);
        assertThat(batch.partitionLeaderEpoch()).isEqualTo(newEpoch);
        assertThat(batch.records()).containsExactlyElementsOf(spec.withBaseOffset(newBaseOffset).expectedRecords());
    }

    @Property(tries = 100)
    void logAppendTimeStampsEveryRecord(@ForAll("smallBatches") BatchSpec spec, @ForAll("appendTimes") long appendTime) {
        RecordBatch batch = RecordBatch.readFrom(spec.encode());

        batch.setLogAppendTime(appendTime);

        batch.ensureValid();
        assertThat(batch.timestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);
        assertThat(batch.maxTimestamp()).isEqualTo(appendTime);
        assertThat(batch.records()).allSatisfy(record -> assertThat(record.timestamp()).isEqualTo(appendTime));
        assertThat(batch.compressionType()).isEqualTo(spec.compression());
        assertThat(batch.isTransactional()).isEqualTo(spec.transactional());
        assertThat(batch.isControlBatch()).isEqualTo(spec.control());
    }

    @Provide
    Arbitrary<BatchSpec> batches() {
        return BatchArbitraries.batches(40);
    }

    @Provide
    Arbitrary<BatchSpec> smallBatches() {
        return BatchArbitraries.batches(8);
    }

    @Provide
    Arbitrary<Long> offsets() {
        return BatchArbitraries.baseOffsets();
    }

    @Provide
    Arbitrary<Long> appendTimes() {
        return Arbitraries.longs().between(0, BatchArbitraries.MAX_TIMESTAMP);
    }
}

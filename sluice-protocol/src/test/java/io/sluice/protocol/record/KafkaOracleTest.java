package io.sluice.protocol.record;

import static io.sluice.protocol.record.BatchAssertions.assertHeaderMatches;
import static io.sluice.protocol.record.BatchAssertions.concat;
import static io.sluice.protocol.record.BatchAssertions.copy;
import static io.sluice.protocol.record.KafkaRecords.assertSameBatch;
import static io.sluice.protocol.record.KafkaRecords.kafkaBatches;
import static io.sluice.protocol.record.KafkaRecords.onlyKafkaBatch;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.EndTransactionMarker;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Byte-for-byte compatibility with Kafka's record batch v2, with {@code kafka-clients} as the oracle: Kafka reads
 * what Sluice writes, Sluice reads what Kafka writes, and both agree on every header field and record. Each codec
 * gets its own run over seeded random batches (seed printed on failure), so every codec is always covered.
 */
class KafkaOracleTest {

    private static final int BATCHES_PER_CODEC = 25;

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void kafkaReadsBatchesSluiceWrites(CompressionType compression) {
        forRandomBatches(compression, 1, BATCHES_PER_CODEC, (random, spec) -> {
            ByteBuffer encoded = spec.encode();

            MutableRecordBatch kafka = onlyKafkaBatch(encoded);

            assertThat(kafka.baseOffset()).isEqualTo(spec.baseOffset());
            assertThat(kafka.partitionLeaderEpoch()).isEqualTo(spec.partitionLeaderEpoch());
            assertThat(kafka.lastOffset()).isEqualTo(spec.baseOffset() + spec.records().size() - 1);
            assertThat(kafka.compressionType().id).isEqualTo((byte) compression.id());
            assertThat(kafka.timestampType().name()).isEqualTo(spec.timestampType().name());
            assertThat(kafka.maxTimestamp()).isEqualTo(spec.expectedMaxTimestamp());
            assertThat(kafka.producerId()).isEqualTo(spec.producerId());
            assertThat(kafka.producerEpoch()).isEqualTo(spec.producerEpoch());
            assertThat(kafka.baseSequence()).isEqualTo(spec.baseSequence());
            assertThat(kafka.isTransactional()).isEqualTo(spec.transactional());
            assertThat(kafka.isControlBatch()).isEqualTo(spec.control());
            assertThat(KafkaRecords.records(kafka)).containsExactlyElementsOf(spec.expectedRecords());
            assertSameBatch(RecordBatch.readFrom(encoded), kafka);
        });
    }

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void sluiceReadsBatchesKafkaWrites(CompressionType compression) {
        forRandomBatches(compression, 2, BATCHES_PER_CODEC, (random, spec) -> {
            BatchSpec kafkaSpec = withoutControl(spec);
            ByteBuffer encoded = KafkaRecords.encode(kafkaSpec);

            RecordBatch batch = RecordBatch.readFrom(encoded);
            batch.ensureValid();

            assertThat(batch.records()).containsExactlyElementsOf(kafkaSpec.expectedRecords());
            assertSameBatch(batch, onlyKafkaBatch(encoded));
        });
    }

    @Test
    void sluiceReadsKafkaTransactionMarkers() {
        for (ControlRecordType type : List.of(ControlRecordType.COMMIT, ControlRecordType.ABORT)) {
            EndTransactionMarker marker = new EndTransactionMarker(type, 17);
            ByteBuffer encoded = MemoryRecords.withEndTransactionMarker(500L, 1_700_000_000_000L, 3, 9_000L,
                    (short) 4, marker).buffer();

            RecordBatch batch = RecordBatch.readFrom(encoded);
            batch.ensureValid();

            assertThat(batch.isControlBatch()).isTrue();
            assertThat(batch.isTransactional()).isTrue();
            assertThat(batch.producerId()).isEqualTo(9_000L);
            assertThat(batch.records()).singleElement().satisfies(record -> {
                assertThat(record.offset()).isEqualTo(500L);
                assertThat(record.key()).isEqualTo(bytes(type.recordKey()));
                assertThat(record.value()).isEqualTo(bytes(marker.serializeValue()));
            });
            assertSameBatch(batch, onlyKafkaBatch(encoded));
        }
    }

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void batchesBackToBackIterateAsKafkaIteratesThem(CompressionType compression) {
        forRandomLogs(compression, 3, (random, specs) -> {
            ByteBuffer log = writeEitherSide(random, specs);

            assertSameIteration(log, specs.size());
        });
    }

    @Test
    void batchesOfEveryCodecMixedBackToBackIterateAsKafkaIteratesThem() {
        Random random = new Random(4);
        RandomBatches batches = new RandomBatches(4);
        for (int round = 0; round < 10; round++) {
            List<BatchSpec> specs = new ArrayList<>();
            long nextOffset = random.nextLong(1L << 40);
            for (int i = 0; i < 8; i++) {
                CompressionType compression = CompressionType.values()[random.nextInt(CompressionType.values().length)];
                BatchSpec spec = batches.kafkaWritable(compression).withBaseOffset(nextOffset);
                specs.add(spec);
                nextOffset += spec.records().size();
            }

            assertSameIteration(writeEitherSide(random, specs), specs.size());
        }
    }

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void aTornLastBatchEndsIterationWhereKafkaStops(CompressionType compression) {
        forRandomLogs(compression, 5, (random, specs) -> {
            ByteBuffer log = writeEitherSide(random, specs);
            int lastSize = KafkaRecords.kafkaBatches(log).getLast().sizeInBytes();
            ByteBuffer torn = log.slice(0, log.remaining() - 1 - random.nextInt(lastSize));

            BufferBatchIterator iterator = assertSameIteration(torn, specs.size() - 1);

            assertThat(iterator.hasPartialTail()).isTrue();
            assertThat(iterator.validBytes()).isEqualTo(MemoryRecords.readableRecords(torn.duplicate()).validBytes());
        });
    }

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void offsetAndEpochSetInPlaceMatchKafkasOwnRewriteAndPassItsCrcCheck(CompressionType compression) {
        forRandomBatches(compression, 6, BATCHES_PER_CODEC, (random, spec) -> {
            ByteBuffer sluiceBytes = random.nextBoolean() ? spec.encode() : KafkaRecords.encode(withoutControl(spec));
            ByteBuffer kafkaBytes = copy(sluiceBytes);
            long newBaseOffset = random.nextLong(1L << 50);
            int newEpoch = random.nextInt(Integer.MAX_VALUE);

            RecordBatch batch = RecordBatch.readFrom(sluiceBytes);
            batch.setBaseOffset(newBaseOffset);
            batch.setPartitionLeaderEpoch(newEpoch);
            MutableRecordBatch kafkaRewritten = onlyKafkaBatch(kafkaBytes);
            kafkaRewritten.setLastOffset(newBaseOffset + spec.records().size() - 1);
            kafkaRewritten.setPartitionLeaderEpoch(newEpoch);

            assertThat(sluiceBytes).isEqualTo(kafkaBytes);
            MutableRecordBatch kafka = onlyKafkaBatch(sluiceBytes);
            assertThat(kafka.baseOffset()).isEqualTo(newBaseOffset);
            assertThat(kafka.partitionLeaderEpoch()).isEqualTo(newEpoch);
            assertThat(KafkaRecords.records(kafka)).extracting(Record::offset)
                    .containsExactlyElementsOf(spec.withBaseOffset(newBaseOffset).expectedRecords().stream()
                            .map(Record::offset).toList());
        });
    }

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void logAppendTimeSetInPlaceIsReadByKafkaAsLogAppendTime(CompressionType compression) {
        forRandomBatches(compression, 7, BATCHES_PER_CODEC, (random, spec) -> {
            ByteBuffer sluiceBytes = random.nextBoolean() ? spec.encode() : KafkaRecords.encode(withoutControl(spec));
            ByteBuffer kafkaBytes = copy(sluiceBytes);
            long appendTime = random.nextLong(BatchArbitraries.MAX_TIMESTAMP);

            RecordBatch.readFrom(sluiceBytes).setLogAppendTime(appendTime);
            onlyKafkaBatch(kafkaBytes).setMaxTimestamp(org.apache.kafka.common.record.TimestampType.LOG_APPEND_TIME,
                    appendTime);

            assertThat(sluiceBytes).isEqualTo(kafkaBytes);
            MutableRecordBatch kafka = onlyKafkaBatch(sluiceBytes);
            assertThat(kafka.timestampType()).isEqualTo(org.apache.kafka.common.record.TimestampType.LOG_APPEND_TIME);
            assertThat(kafka.maxTimestamp()).isEqualTo(appendTime);
            assertThat(KafkaRecords.records(kafka)).hasSize(spec.records().size())
                    .allSatisfy(record -> assertThat(record.timestamp()).isEqualTo(appendTime));
        });
    }

    @Test
    void sluiceHeaderMatchesWhatItWasAskedToWriteWhenKafkaWroteIt() {
        RandomBatches batches = new RandomBatches(8);
        for (CompressionType compression : CompressionType.values()) {
            BatchSpec spec = batches.kafkaWritable(compression);
            RecordBatch batch = RecordBatch.readFrom(KafkaRecords.encode(spec));

            assertHeaderMatches(batch, spec);
        }
    }

    /** Runs {@code check} over {@code count} random batches of one codec; a failure names the seed and the batch. */
    private static void forRandomBatches(CompressionType compression, int test, int count,
                                         RandomCheck<BatchSpec> check) {
        long seed = seed(compression, test);
        Random random = new Random(seed);
        RandomBatches batches = new RandomBatches(seed);
        for (int i = 0; i < count; i++) {
            BatchSpec spec = batches.batch(compression);
            runNamed("seed " + seed + ", batch #" + i + ": " + spec, () -> check.accept(random, spec));
        }
    }

    /** Runs {@code check} over ten random logs of 2..6 batches of one codec with consecutive offsets. */
    private static void forRandomLogs(CompressionType compression, int test, RandomCheck<List<BatchSpec>> check) {
        long seed = seed(compression, test);
        Random random = new Random(seed);
        RandomBatches batches = new RandomBatches(seed);
        for (int round = 0; round < 10; round++) {
            List<BatchSpec> specs = new ArrayList<>();
            long nextOffset = random.nextLong(1L << 40);
            int count = 2 + random.nextInt(5);
            for (int i = 0; i < count; i++) {
                BatchSpec spec = batches.kafkaWritable(compression).withBaseOffset(nextOffset);
                specs.add(spec);
                nextOffset += spec.records().size();
            }
            runNamed("seed " + seed + ", log #" + round + ": " + specs, () -> check.accept(random, specs));
        }
    }

    /** Each batch written by Sluice or by Kafka at random, laid back to back. */
    private static ByteBuffer writeEitherSide(Random random, List<BatchSpec> specs) {
        return concat(specs.stream().map(spec -> random.nextBoolean() ? spec.encode() : KafkaRecords.encode(spec))
                .toList());
    }

    /** Sluice's iterator yields the same {@code expected} batches as Kafka's, each passing both CRC checks. */
    private static BufferBatchIterator assertSameIteration(ByteBuffer log, int expected) {
        List<MutableRecordBatch> kafka = kafkaBatches(log);
        BufferBatchIterator iterator = BufferBatchIterator.of(log);
        List<RecordBatch> sluice = new ArrayList<>();
        iterator.forEachRemaining(sluice::add);

        assertThat(sluice).hasSize(expected);
        assertThat(kafka).hasSize(expected);
        for (int i = 0; i < expected; i++) {
            kafka.get(i).ensureValid();
            sluice.get(i).ensureValid();
            assertSameBatch(sluice.get(i), kafka.get(i));
        }
        assertThat(sluice).extracting(RecordBatch::baseOffset).isSorted();
        return iterator;
    }

    private static BatchSpec withoutControl(BatchSpec spec) {
        return new BatchSpec(spec.compression(), spec.baseOffset(), spec.partitionLeaderEpoch(), spec.timestampType(),
                spec.logAppendTime(), spec.producerId(), spec.producerEpoch(), spec.baseSequence(), spec.transactional(),
                false, spec.records());
    }

    private static long seed(CompressionType compression, int test) {
        return 1000L * test + compression.ordinal();
    }

    private static void runNamed(String description, Runnable check) {
        try {
            check.run();
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError(description, e);
        }
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    @FunctionalInterface
    private interface RandomCheck<T> {
        void accept(Random random, T value);
    }

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void kafkaReadsABatchTheCleanerRewroteWithGapsAndADeleteHorizon(CompressionType compression) {
        long horizon = 1_700_000_123_456L;
        ByteBuffer encoded = RecordBatchBuilder.of(compression)
                .baseOffset(100).partitionLeaderEpoch(7).producer(42, (short) 1, 10)
                .deleteHorizon(horizon)
                .lastOffsetDelta(9)
                .appendWithOffsetDelta(2, 1_700_000_000_000L, "a".getBytes(), "1".getBytes(), List.of())
                .appendWithOffsetDelta(6, 1_700_000_000_500L, "b".getBytes(), null, List.of())
                .build();

        MutableRecordBatch kafka = onlyKafkaBatch(encoded);
        RecordBatch sluice = RecordBatch.readFrom(encoded);

        assertThat(kafka.baseOffset()).isEqualTo(100);
        assertThat(kafka.lastOffset()).isEqualTo(109);
        assertThat(kafka.deleteHorizonMs()).hasValue(horizon);
        assertThat(sluice.deleteHorizonMs()).isEqualTo(horizon);
        assertThat(kafka.maxTimestamp()).isEqualTo(1_700_000_000_500L);
        assertThat(KafkaRecords.records(kafka)).isEqualTo(sluice.records());
        assertThat(sluice.records()).extracting(Record::offset).containsExactly(102L, 106L);
        assertThat(sluice.records()).extracting(Record::timestamp)
                .containsExactly(1_700_000_000_000L, 1_700_000_000_500L);
        assertThat(sluice.records()).extracting(Record::sequence).containsExactly(12, 16);
    }
}

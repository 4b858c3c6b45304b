package io.sluice.protocol.record;

import static io.sluice.protocol.record.RawBatch.bytes;
import static io.sluice.protocol.record.RawBatch.recordBody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.sluice.protocol.ErrorCode;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Damaged batches are reported as {@link CorruptRecordException} and nothing else: no buffer exception, no codec
 * error, no OutOfMemoryError from a length the bytes cannot back, no endless loop. Timeouts here only guard
 * against hangs; they measure nothing.
 */
class RecordBatchCorruptionTest {

    private static final Duration HANG_GUARD = Duration.ofSeconds(30);

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void aFlippedBitFromMagicToTheEndFailsTheCrcCheck(CompressionType compression) {
        Random random = new Random(compression.ordinal());
        RandomBatches batches = new RandomBatches(compression.ordinal());
        for (int i = 0; i < 12; i++) {
            ByteBuffer original = batches.batch(compression).encode();
            for (int flip = 0; flip < 50; flip++) {
                ByteBuffer damaged = BatchAssertions.copy(original);
                int position = RecordBatch.MAGIC_OFFSET + random.nextInt(damaged.limit() - RecordBatch.MAGIC_OFFSET);
                flipBit(damaged, position, random.nextInt(8));

                assertCorrupt(() -> RecordBatch.readFrom(damaged).ensureValid());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void severalDamagedBytesFailTheCrcCheck(CompressionType compression) {
        Random random = new Random(100 + compression.ordinal());
        RandomBatches batches = new RandomBatches(100 + compression.ordinal());
        for (int i = 0; i < 120; i++) {
            ByteBuffer damaged = batches.batch(compression).encode();
            int damage = 2 + random.nextInt(8);
            for (int j = 0; j < damage; j++) {
                int position = RecordBatch.ATTRIBUTES_OFFSET + random.nextInt(damaged.limit() - RecordBatch.ATTRIBUTES_OFFSET);
                damaged.put(position, (byte) (damaged.get(position) ^ (1 + random.nextInt(255))));
            }

            assertCorrupt(() -> RecordBatch.readFrom(damaged).ensureValid());
        }
    }

    @Test
    void aFlippedBitInTheLengthIsCorruption() {
        ByteBuffer original = BatchSpec.ofValues(CompressionType.NONE, 5).encode();
        for (int bit = 0; bit < 32; bit++) {
            ByteBuffer damaged = BatchAssertions.copy(original);
            flipBit(damaged, RecordBatch.LENGTH_OFFSET + bit / 8, bit % 8);

            assertCorrupt(() -> RecordBatch.readFrom(damaged).ensureValid());
        }
    }

    /**
     * By design (docs/architecture.md, "Records on disk and on the wire"): a leader rewrites these two fields without
     * touching the CRC.
     */
    @Test
    void baseOffsetAndPartitionLeaderEpochAreOutsideTheCrc() {
        ByteBuffer batch = BatchSpec.ofValues(CompressionType.NONE, 3).encode();
        for (int position : new int[] {RecordBatch.BASE_OFFSET_OFFSET, RecordBatch.PARTITION_LEADER_EPOCH_OFFSET + 3}) {
            flipBit(batch, position, 6);

            assertThatCode(() -> RecordBatch.readFrom(batch).ensureValid()).doesNotThrowAnyException();
        }
    }

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void aBatchCutAtAnyLengthIsAPartialTailOrCorruptNeverAnotherFailure(CompressionType compression) {
        ByteBuffer first = BatchSpec.ofValues(compression, 3).encode();
        ByteBuffer second = new RandomBatches(7).batch(compression).encode();
        ByteBuffer log = BatchAssertions.concat(List.of(first, second));
        for (int cut = 0; cut < second.remaining(); cut++) {
            ByteBuffer alone = second.slice(0, cut);
            ByteBuffer afterComplete = log.slice(0, first.remaining() + cut);

            assertCorrupt(() -> RecordBatch.readFrom(alone));
            BufferBatchIterator iterator = BufferBatchIterator.of(alone);
            assertThat(iterator.hasNext()).isFalse();
            assertThat(iterator.hasPartialTail()).isEqualTo(cut > 0);
            BufferBatchIterator behind = BufferBatchIterator.of(afterComplete);
            assertThat(behind.next().baseOffset()).isZero();
            assertThat(behind.hasNext()).isFalse();
            assertThat(behind.validBytes()).isEqualTo(first.remaining());
            assertThat(behind.hasPartialTail()).isEqualTo(cut > 0);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {Integer.MIN_VALUE, -1, 0, 1, RecordBatch.HEADER_SIZE - RecordBatch.LOG_OVERHEAD - 1,
            Integer.MAX_VALUE, Integer.MAX_VALUE - RecordBatch.LOG_OVERHEAD + 1})
    void anImpossibleBatchLengthIsCorruptionEverywhere(int batchLength) {
        ByteBuffer batch = BatchSpec.ofValues(CompressionType.NONE, 2).encode();
        batch.putInt(RecordBatch.LENGTH_OFFSET, batchLength);

        assertCorrupt(() -> RecordBatch.readFrom(batch));
        assertCorrupt(() -> BufferBatchIterator.of(batch).hasNext());
        assertCorrupt(() -> BufferBatchIterator.of(batch.slice(0, RecordBatch.LOG_OVERHEAD)).hasNext());
    }

    @Test
    void aLengthPastTheBufferIsATornTailToTheIteratorButCorruptToReadFrom() {
        ByteBuffer batch = BatchSpec.ofValues(CompressionType.NONE, 2).encode();
        batch.putInt(RecordBatch.LENGTH_OFFSET, Integer.MAX_VALUE - RecordBatch.LOG_OVERHEAD);

        assertCorrupt(() -> RecordBatch.readFrom(batch));
        BufferBatchIterator iterator = BufferBatchIterator.of(batch);
        assertThat(iterator.hasNext()).isFalse();
        assertThat(iterator.hasPartialTail()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(bytes = {0, 1, 3, 4, -1, 0x7f})
    void aMagicOtherThan2IsCorruption(byte magic) {
        ByteBuffer batch = BatchSpec.ofValues(CompressionType.NONE, 2).encode();
        batch.put(RecordBatch.MAGIC_OFFSET, magic);

        assertCorrupt(() -> RecordBatch.readFrom(batch));
        assertCorrupt(() -> BufferBatchIterator.of(batch).hasNext());
        assertCorrupt(() -> BufferBatchIterator.of(batch.slice(0, RecordBatch.MAGIC_OFFSET + 1)).hasNext());
        assertThatThrownBy(() -> RecordBatch.readFrom(batch)).hasMessageContaining("magic " + magic);
    }

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void aRecordCountOf2Pow31Minus1IsCorruptionWithoutAllocatingForIt(CompressionType compression) {
        byte[] records = bytes().record(recordBody(0, utf8("k"), utf8("v"))).toByteArray();
        ByteBuffer inconsistent = RawBatch.of(compression, Integer.MAX_VALUE, 0, RawBatch.compress(compression, records));
        ByteBuffer consistent = RawBatch.of(compression, Integer.MAX_VALUE, records);

        assertCorrupt(() -> RecordBatch.readFrom(inconsistent).ensureValid());
        RecordBatch batch = RecordBatch.readFrom(consistent);
        batch.ensureValid(); // the header adds up; only decoding can tell
        assertCorrupt(batch::records);
    }

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void aNegativeRecordCountOrLastOffsetDeltaIsCorruption(CompressionType compression) {
        byte[] section = RawBatch.compress(compression, bytes().record(recordBody(0, null, utf8("v"))).toByteArray());

        assertCorrupt(() -> RecordBatch.readFrom(RawBatch.of(compression, -1, 0, section)).ensureValid());
        assertCorrupt(() -> RecordBatch.readFrom(RawBatch.of(compression, -1, 0, section)).records());
        assertCorrupt(() -> RecordBatch.readFrom(RawBatch.of(compression, 1, -1, section)).ensureValid());
        assertCorrupt(() -> RecordBatch.readFrom(RawBatch.of(compression, 3, 1, section)).ensureValid());
    }

    @ParameterizedTest
    @ValueSource(ints = {5, 6, 7})
    void anUnknownCompressionIdIsCorruption(int id) {
        ByteBuffer batch = BatchSpec.ofValues(CompressionType.NONE, 2).encode();
        batch.putShort(RecordBatch.ATTRIBUTES_OFFSET, (short) id);
        RawBatch.fixCrc(batch);

        assertCorrupt(() -> RecordBatch.readFrom(batch).ensureValid());
        assertCorrupt(() -> RecordBatch.readFrom(batch).records());
        assertCorrupt(() -> RecordBatch.readFrom(batch).compressionType());
    }

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void absurdLengthsAndCountsInsideARecordAreCorruption(CompressionType compression) {
        byte[] key = utf8("key");
        List<byte[]> badRecordSections = List.of(
                bytes().varint(Integer.MAX_VALUE).raw(0, 0, 0).toByteArray(),                    // record length
                bytes().varint(-7).raw(0, 0, 0).toByteArray(),                                   // negative record length
                bytes().varint(0).toByteArray(),                                                 // empty record
                bytes().record(bytes().raw(0).varlong(0).varint(0).varint(Integer.MAX_VALUE).raw(1, 2)).toByteArray(),
                bytes().record(bytes().raw(0).varlong(0).varint(0).bytes(key).varint(Integer.MAX_VALUE - 1)).toByteArray(),
                bytes().record(bytes().raw(0).varlong(0).varint(0).bytes(key).bytes(key).varint(Integer.MAX_VALUE)).toByteArray(),
                bytes().record(bytes().raw(0).varlong(0).varint(0).bytes(key).bytes(key).varint(-2)).toByteArray(),
                bytes().record(bytes().raw(0).varlong(0).varint(0).bytes(key).bytes(key).varint(1)
                        .varint(Integer.MAX_VALUE).raw(65)).toByteArray(),                       // header key length
                bytes().record(bytes().raw(0).varlong(0).varint(0).bytes(key).bytes(key).varint(1)
                        .bytes(null).bytes(key)).toByteArray(),                                 // null header key
                bytes().record(bytes().raw(0).varlong(0).varint(0).bytes(key).bytes(key).varint(1)
                        .bytes(new byte[] {(byte) 0xc3, 0x28}).bytes(key)).toByteArray(),        // header key not UTF-8
                bytes().raw(0x80, 0x80, 0x80, 0x80, 0x80, 0x01).raw(0, 0, 0, 0).toByteArray(),   // 6-byte varint length
                bytes().raw(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01).toByteArray(),
                bytes().record(bytes().raw(0).raw(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01)
                        .varint(0).bytes(key).bytes(key).varint(0)).toByteArray(),              // 11-byte varlong
                bytes().record(bytes().raw(0).varlong(0).raw(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01)
                        .bytes(key).bytes(key).varint(0)).toByteArray(),                        // 7-byte offset delta
                bytes().record(recordBody(0, key, key).raw(9, 9)).toByteArray(),                // bytes after the fields
                bytes().record(recordBody(0, key, key)).raw(1).toByteArray(),                   // bytes after the records
                bytes().record(bytes().raw(0).varlong(0).varint(0).bytes(key)).toByteArray());  // ends before value

        for (byte[] records : badRecordSections) {
            ByteBuffer batch = RawBatch.of(compression, 1, records);
            RecordBatch view = RecordBatch.readFrom(batch);
            view.ensureValid();

            assertCorrupt(view::records);
        }
    }

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void fewerRecordsThanTheCountSaysIsCorruption(CompressionType compression) {
        byte[] two = bytes().record(recordBody(0, null, utf8("a"))).record(recordBody(1, null, utf8("b"))).toByteArray();

        assertThat(RecordBatch.readFrom(RawBatch.of(compression, 2, two)).records()).hasSize(2);
        assertCorrupt(() -> RecordBatch.readFrom(RawBatch.of(compression, 3, two)).records());
        assertCorrupt(() -> RecordBatch.readFrom(RawBatch.of(compression, 1, two)).records());
    }

    @ParameterizedTest
    @EnumSource(value = CompressionType.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void aGarbageCompressedPayloadUnderAValidCrcIsCorruption(CompressionType compression) {
        Random random = new Random(200 + compression.ordinal());
        RandomBatches batches = new RandomBatches(200 + compression.ordinal());
        for (int i = 0; i < 160; i++) {
            BatchSpec spec = batches.batch(compression);
            byte[] section = RawBatch.section(spec.encode());
            byte[] garbage = switch (i % 4) {
                case 0 -> randomBytes(random, random.nextInt(2 * section.length + 1));
                case 1 -> damage(random, section);
                case 2 -> Arrays.copyOf(section, random.nextInt(section.length)); // stream cut short
                default -> keepFrameHeader(random, section);
            };
            ByteBuffer batch = RawBatch.of(compression, spec.records().size(), spec.records().size() - 1, garbage);
            RecordBatch view = RecordBatch.readFrom(batch);
            view.ensureValid();

            assertCorruptOrDecodes(view, decoded -> assertThat(decoded).hasSize(spec.records().size()));
        }
    }

    /** Codec frame headers (magic, flags, sizes, checksums) damaged bit by bit: corruption or, if the bit is inert, the records. */
    @ParameterizedTest
    @EnumSource(value = CompressionType.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void everyBitOfTheCodecFrameHeaderDamagedUnderAValidCrcIsCorruptionOrHarmless(CompressionType compression) {
        BatchSpec spec = BatchSpec.ofValues(compression, 5);
        byte[] section = RawBatch.section(spec.encode());
        for (int position = 0; position < Math.min(32, section.length); position++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] damaged = section.clone();
                damaged[position] ^= (byte) (1 << bit);
                RecordBatch batch = RecordBatch.readFrom(RawBatch.of(compression, 5, 4, damaged));

                assertCorruptOrDecodes(batch, decoded -> assertThat(decoded).hasSize(5));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = CompressionType.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void aWellFormedStreamOfGarbageRecordsIsCorruption(CompressionType compression) {
        Random random = new Random(300 + compression.ordinal());
        for (int i = 0; i < 100; i++) {
            byte[] records = randomBytes(random, 1 + random.nextInt(500));
            ByteBuffer batch = RawBatch.of(compression, 1 + random.nextInt(5), records);

            assertCorruptOrDecodes(RecordBatch.readFrom(batch), decoded -> { });
        }
    }

    /**
     * snappy-java's stream format: a 16-byte header, then chunks of [int32 length][snappy block whose varint
     * prefix claims the uncompressed size]. Lengths that the bytes present cannot back must not be allocated.
     */
    @ParameterizedTest
    @ValueSource(strings = {
            "-5 | 01 02 03",                          // negative chunk length
            "2147483647 | 01 02 03",                  // chunk longer than the batch
            "400000000 | 01 02 03",                   // still longer than the batch, within snappy-java's own limit
            "5 | ff ff ff ff 07",                     // block claims 2^31-1 uncompressed bytes
            "5 | f0 ff ff ff 0f",                     // block claims 2^32-16 bytes, negative as an int
            "5 | 80 94 eb dc 03",                     // block claims 10^9 bytes from 5
            "3 | 05 00 61",                           // block claims 5 bytes, holds a broken literal
            "0 | "                                    // empty block
    })
    void aSnappyChunkWithAnImpossibleLengthIsCorruption(String chunk) {
        String[] parts = chunk.split("\\|");
        ByteArrayOutputStream section = new ByteArrayOutputStream();
        section.writeBytes(new byte[] {(byte) 0x82, 'S', 'N', 'A', 'P', 'P', 'Y', 0, 0, 0, 0, 1, 0, 0, 0, 1});
        section.writeBytes(ByteBuffer.allocate(4).putInt(Integer.parseInt(parts[0].trim())).array());
        for (String hex : parts[1].trim().split(" ")) {
            if (!hex.isEmpty()) {
                section.write(Integer.parseInt(hex, 16));
            }
        }
        ByteBuffer batch = RawBatch.of(CompressionType.SNAPPY, 1, 0, section.toByteArray());

        assertCorrupt(() -> RecordBatch.readFrom(batch).records());
    }

    @Test
    void corruptionCarriesTheCorruptRecordErrorCodeAndNamesTheBatch() {
        ByteBuffer batch = BatchSpec.ofValues(CompressionType.NONE, 2).withBaseOffset(4242).encode();
        batch.put(batch.limit() - 1, (byte) (batch.get(batch.limit() - 1) ^ 1));

        assertThatThrownBy(() -> RecordBatch.readFrom(batch).ensureValid())
                .isInstanceOfSatisfying(CorruptRecordException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.CORRUPT_RECORD);
                    assertThat(e.retriable()).isFalse();
                })
                .hasMessageContaining("offset 4242")
                .hasMessageContaining("CRC");
    }

    /** Sanity for the hand-assembled batches above: well formed, they decode, and Kafka reads them too. */
    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void aWellFormedRawBatchDecodes(CompressionType compression) {
        byte[] records = bytes().record(recordBody(0, utf8("k"), utf8("v")))
                .record(bytes().raw(0).varlong(-5).varint(1).bytes(null).bytes(new byte[0]).varint(1)
                        .bytes(utf8("h")).bytes(null))
                .toByteArray();
        ByteBuffer batch = RawBatch.of(compression, 2, records);

        RecordBatch view = RecordBatch.readFrom(batch);
        view.ensureValid();

        assertThat(view.records()).containsExactly(
                new Record(100, 1_000, -1, utf8("k"), utf8("v"), List.of()),
                new Record(101, 995, -1, null, new byte[0], List.of(new Header("h", null))));
        KafkaRecords.assertSameBatch(view, KafkaRecords.onlyKafkaBatch(batch));
    }

    static void assertCorrupt(ThrowingCallable action) {
        assertTimeoutPreemptively(HANG_GUARD,
                () -> assertThatThrownBy(action).isExactlyInstanceOf(CorruptRecordException.class));
    }

    /** Garbage may, rarely, still decode into the right number of records; anything but that must be corruption. */
    private static void assertCorruptOrDecodes(RecordBatch batch, Consumer<List<Record>> whenDecoded) {
        assertTimeoutPreemptively(HANG_GUARD, () -> {
            List<Record> decoded;
            try {
                decoded = batch.records();
            } catch (CorruptRecordException expected) {
                return;
            }
            whenDecoded.accept(decoded);
        });
    }

    private static void flipBit(ByteBuffer buffer, int position, int bit) {
        buffer.put(position, (byte) (buffer.get(position) ^ (1 << bit)));
    }

    private static byte[] randomBytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private static byte[] damage(Random random, byte[] section) {
        byte[] damaged = section.clone();
        int count = 1 + random.nextInt(4);
        for (int i = 0; i < count && damaged.length > 0; i++) {
            damaged[random.nextInt(damaged.length)] ^= (byte) (1 + random.nextInt(255));
        }
        return damaged;
    }

    /** The codec's first bytes (its magic and frame header) intact, random bytes behind them. */
    private static byte[] keepFrameHeader(Random random, byte[] section) {
        byte[] damaged = section.clone();
        for (int i = Math.min(16, damaged.length); i < damaged.length; i++) {
            damaged[i] = (byte) random.nextInt(256);
        }
        return damaged;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}

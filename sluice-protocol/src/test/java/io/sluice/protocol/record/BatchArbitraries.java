package io.sluice.protocol.record;

import io.sluice.protocol.record.BatchSpec.RecordSpec;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * jqwik generators for record batches. Byte arrays are drawn as (length, seed, compressible) and filled from the
 * seed, so large values cost one shrinkable each instead of one per byte, still shrink by length, and give the
 * codecs both incompressible and repetitive input.
 */
final class BatchArbitraries {

    static final long MAX_TIMESTAMP = 1L << 42; // year 2109: room for deltas without overflow

    private BatchArbitraries() {
    }

    /** Batches of 1..{@code maxRecords} records, any compression, producer state, flags and timestamp type. */
    static Arbitrary<BatchSpec> batches(int maxRecords) {
        return batches(Arbitraries.of(CompressionType.class), maxRecords);
    }

    static Arbitrary<BatchSpec> batches(Arbitrary<CompressionType> compressions, int maxRecords) {
        Arbitrary<long[]> timestampTypeAndTime = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.just(new long[] {0, RecordBatch.NO_TIMESTAMP})),
                Tuple.of(1, Arbitraries.longs().between(0, MAX_TIMESTAMP).map(t -> new long[] {1, t})));
        Arbitrary<List<RecordSpec>> records = Arbitraries.longs().between(0, MAX_TIMESTAMP)
                .flatMap(base -> records(base).list().ofMinSize(1).ofMaxSize(maxRecords));
        return Combinators.combine(compressions, baseOffsets(), Arbitraries.integers().between(-1, Integer.MAX_VALUE),
                        timestampTypeAndTime, producers(), Arbitraries.of(true, false), Arbitraries.of(true, false),
                        records)
                .as((compression, baseOffset, epoch, time, producer, transactional, control, list) -> new BatchSpec(
                        compression, baseOffset, epoch,
                        time[0] == 0 ? TimestampType.CREATE_TIME : TimestampType.LOG_APPEND_TIME, time[1],
                        producer.id(), producer.epoch(), producer.baseSequence(), transactional, control, list));
    }

    static Arbitrary<Long> baseOffsets() {
        return Arbitraries.longs().between(0, Long.MAX_VALUE / 2);
    }

    /** No producer (all -1), or an idempotent producer whose sequences may wrap past Integer.MAX_VALUE. */
    static Arbitrary<Producer> producers() {
        Arbitrary<Producer> idempotent = Combinators.combine(
                        Arbitraries.longs().between(0, Long.MAX_VALUE),
                        Arbitraries.shorts().between((short) 0, Short.MAX_VALUE),
                        Arbitraries.integers().between(0, Integer.MAX_VALUE))
                .as(Producer::new);
        return Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just(Producer.NONE)), Tuple.of(2, idempotent));
    }

    record Producer(long id, short epoch, int baseSequence) {
        static final Producer NONE = new Producer(RecordBatch.NO_PRODUCER_ID, RecordBatch.NO_PRODUCER_EPOCH,
                RecordBatch.NO_SEQUENCE);
    }

    /** Records whose timestamps cluster around {@code base} (deltas of either sign), with a few outliers and -1. */
    static Arbitrary<RecordSpec> records(long base) {
        Arbitrary<Long> timestamps = Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.longs().between(-1_000_000, 1_000_000).map(d -> Math.max(0, base + d))),
                Tuple.of(1, Arbitraries.just(RecordBatch.NO_TIMESTAMP)),
                Tuple.of(1, Arbitraries.longs().between(0, MAX_TIMESTAMP)));
        return Combinators.combine(timestamps, nullableBytes(200, 70_000), nullableBytes(2_000, 70_000), headers())
                .as(RecordSpec::new);
    }

    /** Mostly none or a few small headers; sometimes many, with large and null values and non-ASCII keys. */
    static Arbitrary<List<Header>> headers() {
        Arbitrary<Header> small = Combinators.combine(headerKeys(12), nullableBytes(32, 32)).as(Header::new);
        Arbitrary<Header> large = Combinators.combine(headerKeys(300), nullableBytes(8_192, 8_192)).as(Header::new);
        return Arbitraries.frequencyOf(
                Tuple.of(6, small.list().ofMaxSize(3)),
                Tuple.of(1, large.list().ofMaxSize(60)));
    }

    /** Header keys of whole code points from all UTF-8 widths: ASCII, 2-byte, 3-byte (CJK) and 4-byte (emoji). */
    static Arbitrary<String> headerKeys(int maxCodePoints) {
        Arbitrary<Integer> codePoints = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.integers().between(0x00, 0x7f)),
                Tuple.of(2, Arbitraries.integers().between(0x80, 0x7ff)),
                Tuple.of(1, Arbitraries.integers().between(0x800, 0xd7ff)),
                Tuple.of(1, Arbitraries.integers().between(0x10000, 0x10ffff)));
        return codePoints.list().ofMaxSize(maxCodePoints).map(list -> {
            StringBuilder key = new StringBuilder();
            list.forEach(key::appendCodePoint);
            return key.toString();
        });
    }

    /** Null, empty or filled byte arrays: usually up to {@code usualMax} bytes, sometimes up to {@code rareMax}. */
    static Arbitrary<byte[]> nullableBytes(int usualMax, int rareMax) {
        return Arbitraries.frequencyOf(
                        Tuple.of(1, Arbitraries.just(new byte[0])),
                        Tuple.of(12, bytes(usualMax)),
                        Tuple.of(1, bytes(rareMax)))
                .injectNull(0.1);
    }

    static Arbitrary<byte[]> bytes(int maxLength) {
        return Combinators.combine(Arbitraries.integers().between(0, maxLength), Arbitraries.longs(),
                        Arbitraries.of(true, false))
                .as(BatchArbitraries::fill);
    }

    /** {@code length} bytes from {@code seed}: uniformly random, or a short random phrase repeated (compressible). */
    static byte[] fill(int length, long seed, boolean compressible) {
        Random random = new Random(seed);
        byte[] bytes = new byte[length];
        if (!compressible) {
            random.nextBytes(bytes);
            return bytes;
        }
        byte[] phrase = new byte[1 + random.nextInt(16)];
        random.nextBytes(phrase);
        for (int i = 0; i < length; i++) {
            bytes[i] = phrase[i % phrase.length];
        }
        return bytes;
    }
}

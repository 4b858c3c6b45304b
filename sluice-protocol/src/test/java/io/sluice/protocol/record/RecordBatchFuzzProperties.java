package io.sluice.protocol.record;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.Size;

/**
 * Fuzzing the decoder: whatever bytes arrive, walking them with {@link BufferBatchIterator} and decoding each batch
 * yields batches or a {@link CorruptRecordException}, never another exception, an error or a hang.
 */
class RecordBatchFuzzProperties {

    private static final Duration HANG_GUARD = Duration.ofSeconds(30);

    @Property(tries = 300)
    void anyBytesDecodeOrAreCorrupt(@ForAll @Size(max = 300) byte[] bytes) {
        decodeAll(ByteBuffer.wrap(bytes));
    }

    /** Random bytes behind a plausible header (magic 2, a length that fits), so decoding gets past the header. */
    @Property(tries = 300)
    void headerShapedGarbageDecodesOrIsCorrupt(@ForAll("compressions") CompressionType compression,
                                               @ForAll @Size(max = 400) byte[] body, @ForAll int recordCount,
                                               @ForAll boolean fixCrc) {
        ByteBuffer batch = RawBatch.of(compression, recordCount, Math.max(0, recordCount - 1), body);
        if (!fixCrc) {
            batch.putInt(RecordBatch.CRC_OFFSET, 0);
        }

        decodeAll(batch);
    }

    /** Valid batches with bytes overwritten, the CRC rewritten over the damage or not, the length cut or not. */
    @Property(tries = 300)
    void damagedBatchesDecodeOrAreCorrupt(@ForAll("batches") BatchSpec spec, @ForAll("damage") List<int[]> damage,
                                          @ForAll boolean fixCrc, @ForAll("cuts") int cut) {
        ByteBuffer encoded = spec.encode();
        for (int[] change : damage) {
            int position = Math.floorMod(change[0], encoded.limit());
            encoded.put(position, (byte) change[1]);
        }
        if (fixCrc && encoded.getInt(RecordBatch.LENGTH_OFFSET) + RecordBatch.LOG_OVERHEAD == encoded.limit()) {
            RawBatch.fixCrc(encoded);
        }

        decodeAll(encoded.slice(0, Math.max(0, encoded.limit() - cut)));
    }

    private static void decodeAll(ByteBuffer bytes) {
        assertTimeoutPreemptively(HANG_GUARD, () -> {
            try {
                for (RecordBatch batch : BufferBatchIterator.batches(bytes)) {
                    batch.records();
                    batch.ensureValid();
                }
            } catch (CorruptRecordException expected) {
                // the one acceptable failure
            }
        });
    }

    @Provide
    Arbitrary<CompressionType> compressions() {
        return Arbitraries.of(CompressionType.class);
    }

    @Provide
    Arbitrary<BatchSpec> batches() {
        return BatchArbitraries.batches(6);
    }

    @Provide
    Arbitrary<List<int[]>> damage() {
        Arbitrary<int[]> change = Combinators.combine(Arbitraries.integers().greaterOrEqual(0),
                Arbitraries.integers().between(0, 255)).as((position, value) -> new int[] {position, value});
        return change.list().ofMinSize(1).ofMaxSize(8);
    }

    @Provide
    Arbitrary<Integer> cuts() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.just(0)),
                Tuple.of(1, Arbitraries.integers().between(1, 100)));
    }
}

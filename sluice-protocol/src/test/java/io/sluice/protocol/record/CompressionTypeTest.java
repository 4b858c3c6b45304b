package io.sluice.protocol.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.xerial.snappy.SnappyOutputStream;

/** The codecs' stream framing: what one side compresses the other decompresses, at sizes around block limits. */
class CompressionTypeTest {

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 100, 32 * 1024, 32 * 1024 + 1, 64 * 1024 + 1, 1024 * 1024 + 7})
    void everyCodecDecompressesWhatItCompressed(int size) throws IOException {
        byte[] data = BatchArbitraries.fill(size, size, size % 2 == 0);
        for (CompressionType compression : CompressionType.values()) {
            assertThat(decompress(compression, RawBatch.compress(compression, data))).as(compression.name())
                    .isEqualTo(data);
        }
    }

    /** Kafka writes snappy with snappy-java's SnappyOutputStream; streams may also be concatenated. */
    @ParameterizedTest
    @ValueSource(ints = {1024, 32 * 1024, 100_000})
    void snappyReadsSnappyJavaStreamsWithManyChunksAndConcatenated(int blockSize) throws IOException {
        byte[] first = BatchArbitraries.fill(150_000, 1, true);
        byte[] second = BatchArbitraries.fill(70_000, 2, false);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : new byte[][] {first, second}) {
            try (SnappyOutputStream snappy = new SnappyOutputStream(new NonClosing(out), blockSize)) {
                snappy.write(part);
            }
        }

        byte[] expected = ByteBuffer.allocate(first.length + second.length).put(first).put(second).array();
        assertThat(decompress(CompressionType.SNAPPY, out.toByteArray())).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 5, 15})
    void aSnappyStreamWithoutItsHeaderIsRejected(int length) {
        byte[] truncatedHeader = Arrays.copyOf(RawBatch.compress(CompressionType.SNAPPY, new byte[] {1}), length);

        assertThatThrownBy(() -> decompress(CompressionType.SNAPPY, truncatedHeader)).isInstanceOf(IOException.class);
    }

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void idsAndConfigNamesMapBothWays(CompressionType compression) {
        assertThat(CompressionType.forId(compression.id())).isEqualTo(compression);
        assertThat(CompressionType.forConfigName(compression.configName())).isEqualTo(compression);
        assertThat(compression.configName())
                .isEqualTo(KafkaRecords.kafkaType(compression).name);
    }

    @ParameterizedTest
    @ValueSource(ints = {5, 6, 7, -1, 8})
    void unknownIdsAreCorruption(int id) {
        assertThatThrownBy(() -> CompressionType.forId(id)).isExactlyInstanceOf(CorruptRecordException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "producer", "LZ4", "brotli"})
    void unknownConfigNamesAreRefused(String name) {
        assertThatIllegalArgumentException().isThrownBy(() -> CompressionType.forConfigName(name));
    }

    private static byte[] decompress(CompressionType compression, byte[] compressed) throws IOException {
        try (InputStream in = compression.decompressing(new ByteArrayInputStream(compressed))) {
            return in.readAllBytes();
        }
    }

    /** Lets several compressed streams be closed onto one output. */
    private static final class NonClosing extends OutputStream {
        private final OutputStream out;

        NonClosing(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }
    }
}

package io.sluice.gateway.kafka.telemetry;

import static io.sluice.gateway.kafka.telemetry.OtlpPayloads.compressed;
import static io.sluice.gateway.kafka.telemetry.OtlpPayloads.counter;
import static io.sluice.gateway.kafka.telemetry.OtlpPayloads.gauge;
import static io.sluice.gateway.kafka.telemetry.OtlpPayloads.metricsData;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.gateway.kafka.telemetry.OtlpMetrics.Kind;
import io.sluice.gateway.kafka.telemetry.OtlpMetrics.Point;
import java.util.Arrays;
import java.util.Map;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.record.internal.CompressionType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class OtlpMetricsTest {

    private static final int LIMIT = 1 << 20;

    /** Every codec a client may pick decodes to the gauges and the monotonic sums (counters) it pushed. */
    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void aPushDecodesToItsGaugesAndCountersWhateverItsCompression(CompressionType type) {
        byte[] raw = metricsData(
                gauge("org.apache.kafka.producer.record.queue.time.avg", 1.5, Map.of("topic", "orders")),
                counter("org.apache.kafka.producer.record.send.total", 42, Map.of()));

        assertThat(OtlpMetrics.decode(compressed(raw, type), type.id, LIMIT)).containsExactly(
                new Point("org.apache.kafka.producer.record.queue.time.avg", Kind.GAUGE, Map.of("topic", "orders"),
                        1.5),
                new Point("org.apache.kafka.producer.record.send.total", Kind.COUNTER, Map.of(), 42));
    }

    @Test
    void bytesThatAreNoMetricsDataAreAnInvalidRecord() {
        byte[] garbage = {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01, 0x02};

        assertThatThrownBy(() -> OtlpMetrics.decode(garbage, CompressionType.NONE.id, LIMIT))
                .isInstanceOf(InvalidRecordException.class);
    }

    @Test
    void aCorruptCompressedFrameIsAnInvalidRecord() {
        byte[] frame = compressed(metricsData(gauge("a.b", 1, Map.of())), CompressionType.GZIP);
        byte[] truncated = Arrays.copyOf(frame, frame.length / 2);

        assertThatThrownBy(() -> OtlpMetrics.decode(truncated, CompressionType.GZIP.id, LIMIT))
                .isInstanceOf(InvalidRecordException.class);
    }

    /** A small push that expands past the limit is refused while it is read, not after it filled the heap. */
    @Test
    void aPushThatDecompressesPastTheLimitIsAnInvalidRecord() {
        byte[] bomb = compressed(new byte[4 * LIMIT], CompressionType.ZSTD);
        assertThat(bomb.length).isLessThan(LIMIT / 100);

        assertThatThrownBy(() -> OtlpMetrics.decode(bomb, CompressionType.ZSTD.id, LIMIT))
                .isInstanceOf(InvalidRecordException.class).hasMessageContaining("exceed");
    }
}

package io.sluice.gateway.kafka.telemetry;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.MetricsData;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.record.internal.CompressionType;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.utils.internals.BufferSupplier;

/**
 * The metrics a Kafka client pushes (KIP-714): an OpenTelemetry {@code MetricsData} protobuf message, compressed as
 * the push's {@code compression_type} says with the codecs and framing of Kafka's record batches (Kafka's clients
 * compress it with the same code). Decoded into {@link Point}s: each number data point of a gauge or a sum, with its
 * attributes; histograms and summaries, which Kafka's clients do not push, are skipped.
 *
 * <p>Anything that does not decode — a corrupt frame, bytes that are no {@code MetricsData}, more than
 * {@code maxDecodedBytes} once decompressed (a small push must not expand into the heap) — is
 * {@link InvalidRecordException}, Kafka's INVALID_RECORD. Stateless and thread-safe.
 */
final class OtlpMetrics {

    /** A metric's kind as Prometheus shows it: a sum that only grows is a counter, any other number a gauge. */
    enum Kind { GAUGE, COUNTER }

    /** One data point: the metric's name as pushed, its kind, the point's attributes and its value. */
    record Point(String name, Kind kind, Map<String, String> attributes, double value) {
    }

    private OtlpMetrics() {
    }

    /** The points of {@code payload}, compressed with the codec of Kafka's id {@code compressionType}. */
    static List<Point> decode(byte[] payload, byte compressionType, int maxDecodedBytes) {
        byte[] raw = decompress(payload, compressionType, maxDecodedBytes);
        MetricsData data;
        try {
            data = MetricsData.parseFrom(raw);
        } catch (InvalidProtocolBufferException e) {
            throw new InvalidRecordException("The pushed metrics are no OpenTelemetry MetricsData: " + e.getMessage());
        }
        List<Point> points = new ArrayList<>();
        for (ResourceMetrics resource : data.getResourceMetricsList()) {
            for (ScopeMetrics scope : resource.getScopeMetricsList()) {
                for (Metric metric : scope.getMetricsList()) {
                    switch (metric.getDataCase()) {
                        case GAUGE -> metric.getGauge().getDataPointsList()
                                .forEach(point -> points.add(point(metric.getName(), Kind.GAUGE, point)));
                        case SUM -> {
                            Kind kind = metric.getSum().getIsMonotonic() ? Kind.COUNTER : Kind.GAUGE;
                            metric.getSum().getDataPointsList()
                                    .forEach(point -> points.add(point(metric.getName(), kind, point)));
                        }
                        default -> {
                            // Histograms, exponential histograms and summaries: Kafka's clients push none.
                        }
                    }
                }
            }
        }
        return points;
    }

    private static Point point(String name, Kind kind, NumberDataPoint point) {
        Map<String, String> attributes = new TreeMap<>();
        for (KeyValue attribute : point.getAttributesList()) {
            attributes.put(attribute.getKey(), text(attribute.getValue()));
        }
        double value = point.getValueCase() == NumberDataPoint.ValueCase.AS_INT ? point.getAsInt() : point.getAsDouble();
        return new Point(name, kind, attributes, value);
    }

    private static String text(AnyValue value) {
        return switch (value.getValueCase()) {
            case STRING_VALUE -> value.getStringValue();
            case BOOL_VALUE -> Boolean.toString(value.getBoolValue());
            case INT_VALUE -> Long.toString(value.getIntValue());
            case DOUBLE_VALUE -> Double.toString(value.getDoubleValue());
            default -> value.toString().strip();
        };
    }

    private static byte[] decompress(byte[] payload, byte compressionType, int maxDecodedBytes) {
        CompressionType type;
        try {
            type = CompressionType.forId(compressionType);
        } catch (IllegalArgumentException e) {
            throw new InvalidRecordException("Unknown compression type " + compressionType);
        }
        if (type == CompressionType.NONE) {
            if (payload.length > maxDecodedBytes) {
                throw new InvalidRecordException("The pushed metrics exceed " + maxDecodedBytes + " bytes");
            }
            return payload;
        }
        try (InputStream in = Compression.of(type).build().wrapForInput(ByteBuffer.wrap(payload),
                RecordBatch.CURRENT_MAGIC_VALUE, BufferSupplier.NO_CACHING)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] chunk = new byte[8192];
            for (int read; (read = in.read(chunk)) >= 0; ) {
                if (out.size() + read > maxDecodedBytes) {
                    throw new InvalidRecordException("The pushed metrics exceed " + maxDecodedBytes
                            + " bytes once decompressed");
                }
                out.write(chunk, 0, read);
            }
            return out.toByteArray();
        } catch (IOException | RuntimeException e) {
            if (e instanceof InvalidRecordException invalid) {
                throw invalid;
            }
            throw new InvalidRecordException("The pushed metrics do not decompress as " + type.name + ": "
                    + e.getMessage());
        }
    }
}

package io.sluice.gateway.kafka.telemetry;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.MetricsData;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.CompressionType;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.utils.internals.ByteBufferOutputStream;

/** Tiny factories of what a Kafka client pushes: OTLP metrics, compressed as Kafka's clients compress them. */
final class OtlpPayloads {

    private OtlpPayloads() {
    }

    static Metric gauge(String name, double value, Map<String, String> attributes) {
        return Metric.newBuilder().setName(name)
                .setGauge(Gauge.newBuilder().addDataPoints(point(attributes).setAsDouble(value))).build();
    }

    static Metric counter(String name, long value, Map<String, String> attributes) {
        return Metric.newBuilder().setName(name)
                .setSum(Sum.newBuilder().setIsMonotonic(true)
                        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                        .addDataPoints(point(attributes).setAsInt(value))).build();
    }

    static byte[] metricsData(Metric... metrics) {
        return MetricsData.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
                .addScopeMetrics(ScopeMetrics.newBuilder().addAllMetrics(Arrays.asList(metrics)))).build()
                .toByteArray();
    }

    static byte[] compressed(byte[] raw, CompressionType type) {
        ByteBufferOutputStream buffer = new ByteBufferOutputStream(raw.length + 64);
        try (OutputStream out = Compression.of(type).build().wrapForOutput(buffer, RecordBatch.CURRENT_MAGIC_VALUE)) {
            out.write(raw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ByteBuffer written = buffer.buffer().flip();
        byte[] bytes = new byte[written.remaining()];
        written.get(bytes);
        return bytes;
    }

    private static NumberDataPoint.Builder point(Map<String, String> attributes) {
        NumberDataPoint.Builder point = NumberDataPoint.newBuilder();
        attributes.forEach((key, value) -> point.addAttributes(KeyValue.newBuilder().setKey(key)
                .setValue(AnyValue.newBuilder().setStringValue(value))));
        return point;
    }
}

package io.sluice.partition.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * {@code sluice.partition.kafka.requests}: the time from a Kafka request's start to its answer, by {@code api} and by
 * {@code path} ({@code direct}: answered here; {@code forwarded}: answered by a gateway). Thread-safe: each timer is
 * registered once.
 */
final class KafkaRequestTimers {

    private final MeterRegistry meters;
    private final Map<ApiKeys, Timer> direct = new EnumMap<>(ApiKeys.class);
    private final Map<ApiKeys, Timer> forwarded = new EnumMap<>(ApiKeys.class);

    KafkaRequestTimers(MeterRegistry meters) {
        this.meters = meters;
    }

    synchronized void record(ApiKeys api, boolean wasForwarded, long nanos) {
        (wasForwarded ? forwarded : direct).computeIfAbsent(api, key -> Timer.builder("sluice.partition.kafka.requests")
                        .description("Kafka requests of the node's own listener, answered here or by a gateway")
                        .tag("api", key.name).tag("path", wasForwarded ? "forwarded" : "direct")
                        .register(meters))
                .record(nanos, TimeUnit.NANOSECONDS);
    }
}

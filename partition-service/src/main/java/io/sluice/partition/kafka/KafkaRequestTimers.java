package io.sluice.partition.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * {@code sluice.partition.kafka.requests}: the time from a Kafka request's start to its answer, by {@code api} and by
 * {@code path} ({@code direct}: answered here; {@code forwarded}: answered by a gateway). Thread-safe, and without a
 * lock on the way of a request: each timer is registered once, then only looked up.
 */
final class KafkaRequestTimers {

    private final MeterRegistry meters;
    private final Map<ApiKeys, Timer> direct = new ConcurrentHashMap<>();
    private final Map<ApiKeys, Timer> forwarded = new ConcurrentHashMap<>();

    KafkaRequestTimers(MeterRegistry meters) {
        this.meters = meters;
    }

    void record(ApiKeys api, boolean wasForwarded, long nanos) {
        (wasForwarded ? forwarded : direct).computeIfAbsent(api, key -> Timer.builder("sluice.partition.kafka.requests")
                        .description("Kafka requests of the node's own listener, answered here or by a gateway")
                        .tag("api", key.name).tag("path", wasForwarded ? "forwarded" : "direct")
                        .register(meters))
                .record(nanos, TimeUnit.NANOSECONDS);
    }
}

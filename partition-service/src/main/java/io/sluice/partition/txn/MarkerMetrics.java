package io.sluice.partition.txn;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.protocol.TopicPartition;

/**
 * Transaction markers this node wrote as leader, per topic and outcome ({@code commit}, {@code abort}), and those it
 * refused or could not confirm, per topic and error code.
 */
final class MarkerMetrics {

    private final MeterRegistry registry;

    MarkerMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void written(TopicPartition tp, boolean commit) {
        Counter.builder("sluice.partition.txn.markers").description("Transaction markers written as leader")
                .tag("topic", tp.topic()).tag("result", commit ? "commit" : "abort")
                .register(registry).increment();
    }

    void failed(TopicPartition tp, String errorCode) {
        Counter.builder("sluice.partition.txn.marker.errors")
                .description("Transaction markers refused, or written but not confirmed committed")
                .tag("topic", tp.topic()).tag("error_code", errorCode)
                .register(registry).increment();
    }
}

package io.sluice.partition.produce;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.sluice.log.AppendResult;
import io.sluice.protocol.Acks;
import io.sluice.protocol.TopicPartition;
import java.util.concurrent.TimeUnit;

/** Records and bytes appended per topic, duplicate idempotent appends, and produce latency by acks. */
public final class ProduceMetrics {

    private final MeterRegistry registry;

    public ProduceMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void appended(TopicPartition tp, AppendResult result) {
        if (result.duplicate()) {
            Counter.builder("sluice.partition.duplicate.batches")
                    .description("Idempotent appends answered with their first write's offsets, nothing appended")
                    .tag("topic", tp.topic()).register(registry).increment();
            return;
        }
        Counter.builder("sluice.partition.records.in").description("Records appended as leader")
                .tag("topic", tp.topic()).register(registry).increment(result.recordCount());
        Counter.builder("sluice.partition.bytes.in").description("Bytes appended as leader").baseUnit("bytes")
                .tag("topic", tp.topic()).register(registry).increment(result.sizeInBytes());
    }

    void produceLatency(Acks acks, long nanos) {
        Timer.builder("sluice.partition.produce.latency").description("Produce latency per partition, by acks")
                .tag("acks", acks.name().toLowerCase())
                .publishPercentileHistogram()
                .register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }
}

package io.sluice.partition.stats;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import io.sluice.internal.partition.NodeStats;
import java.util.function.Function;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The node's throughput over the last minute, from the same counters Prometheus scrapes: records and bytes appended
 * as leader ({@code sluice.partition.records.in}, {@code .bytes.in}), and offsets and bytes read by consumers
 * ({@code sluice.partition.records.out}, {@code .bytes.out} with {@code kind=consumer}). The totals are sampled
 * every {@code sluice.partition.throughput-sample} (5 s); the rate spans the last minute of samples.
 */
@Component
class NodeThroughput {

    static final int SAMPLES = 13;

    private final MeterRegistry registry;
    private final RateWindow recordsIn = new RateWindow(SAMPLES);
    private final RateWindow bytesIn = new RateWindow(SAMPLES);
    private final RateWindow recordsOut = new RateWindow(SAMPLES);
    private final RateWindow bytesOut = new RateWindow(SAMPLES);

    NodeThroughput(MeterRegistry registry) {
        this.registry = registry;
        sample();
    }

    @Scheduled(fixedDelayString = "${sluice.partition.throughput-sample:5s}")
    public synchronized void sample() {
        long now = System.nanoTime();
        recordsIn.sample(total("sluice.partition.records.in", Function.identity()), now);
        bytesIn.sample(total("sluice.partition.bytes.in", Function.identity()), now);
        recordsOut.sample(total("sluice.partition.records.out", s -> s.tag("kind", "consumer")), now);
        bytesOut.sample(total("sluice.partition.bytes.out", s -> s.tag("kind", "consumer")), now);
    }

    synchronized NodeStats.Throughput current() {
        return new NodeStats.Throughput(recordsIn.perSecond(), bytesIn.perSecond(), recordsOut.perSecond(),
                bytesOut.perSecond());
    }

    private long total(String name, Function<Search, Search> which) {
        return (long) which.apply(registry.find(name)).counters().stream().mapToDouble(Counter::count).sum();
    }
}

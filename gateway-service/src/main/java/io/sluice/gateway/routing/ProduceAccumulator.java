package io.sluice.gateway.routing;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.gateway.GatewayProperties;
import io.sluice.internal.metadata.NodeInfo;
import io.sluice.internal.partition.PartitionBatches;
import io.sluice.internal.partition.PartitionDataApi;
import io.sluice.internal.partition.ProduceResponse;
import io.sluice.protocol.Acks;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Kafka's record accumulator for the gateway: client produce requests bound for the same leader node share internal
 * produce requests, so that many small concurrent produces cost a leader a few requests rather than one each. One
 * {@link LeaderQueue} per leader node does the work; this class finds it and holds the settings and metrics.
 *
 * <p>To its caller ({@link BatchRouter}) a call looks like its own {@link PartitionDataApi#produce}: its entries'
 * results in entry order, or the error that stopped the internal request that carried them. Each caller's
 * {@link PartitionBatches} stay separate entries of the internal request (never concatenated with another caller's
 * bytes), so a leader that refuses one entry — a corrupt batch, an unknown partition, a stale epoch — refuses only that
 * caller's records.
 *
 * <p>Metrics: {@code sluice.gateway.produce.internal.requests} (client requests carried by each internal produce
 * request; its count is the internal requests sent), {@code .internal.entries} (partition entries per internal
 * request), {@code .internal.bytes}, {@code sluice.gateway.produce.coalesced} (client requests that shared an internal
 * request), and per leader {@code node}: {@code sluice.gateway.produce.queue.requests} and {@code .queue.bytes} (what
 * waits), {@code sluice.gateway.produce.in.flight}, {@code .queue.rejected} (THROTTLED, queue full) and
 * {@code .queue.expired} (timed out before it was sent).
 *
 * <p>Thread-safe; one per gateway.
 */
@Component
class ProduceAccumulator {

    /**
     * @param maxInFlightPerLeader internal produce requests in flight to one leader
     * @param maxRequestBytes      batch bytes merged into one internal request (a larger client request goes alone)
     * @param maxQueuedRequests    client requests that may wait for one leader
     * @param maxQueuedBytes       batch bytes that may wait for one leader (one request always gets into an empty queue)
     * @param answerGrace          after a request's timeout, how long its answer may take to arrive — the same grace
     *                             {@code PartitionDataClient} gives an internal produce call
     */
    record Limits(int maxInFlightPerLeader, long maxRequestBytes, int maxQueuedRequests, long maxQueuedBytes,
                  Duration answerGrace) {

        Limits {
            if (maxInFlightPerLeader < 1 || maxRequestBytes < 1 || maxQueuedRequests < 1 || maxQueuedBytes < 1) {
                throw new IllegalArgumentException("sluice.gateway.produce.coalescing.* must all be positive: " + this);
            }
        }

        static Limits of(GatewayProperties properties) {
            GatewayProperties.Coalescing coalescing = properties.produce().coalescing();
            Duration callTimeout = properties.internalCalls().callTimeout();
            Duration grace = callTimeout.compareTo(Duration.ofSeconds(1)) < 0 ? callTimeout : Duration.ofSeconds(1);
            return new Limits(coalescing.maxInFlightPerLeader(), coalescing.maxRequestSize().toBytes(),
                    coalescing.maxQueuedRequests(), coalescing.maxQueuedBytes().toBytes(), grace);
        }
    }

    /** The meters every leader queue shares; gauges and per-node counters are the queue's own. */
    record Meters(MeterRegistry registry, Counter coalesced, DistributionSummary requests,
                  DistributionSummary entries, DistributionSummary bytes) {

        static Meters of(MeterRegistry registry) {
            return new Meters(registry,
                    Counter.builder("sluice.gateway.produce.coalesced")
                            .description("Client produce requests that shared an internal produce request with others")
                            .register(registry),
                    DistributionSummary.builder("sluice.gateway.produce.internal.requests")
                            .description("Client produce requests carried by each internal produce request")
                            .register(registry),
                    DistributionSummary.builder("sluice.gateway.produce.internal.entries")
                            .description("Partition entries in each internal produce request")
                            .register(registry),
                    DistributionSummary.builder("sluice.gateway.produce.internal.bytes").baseUnit("bytes")
                            .description("Record batch bytes in each internal produce request")
                            .register(registry));
        }
    }

    private final Map<Integer, LeaderQueue> queues = new ConcurrentHashMap<>();
    private final PartitionDataApi partitions;
    private final Limits limits;
    private final Meters meters;
    private final ProducerSessions sessions;
    private final Scheduler timers;
    private final LongSupplier nanoClock;

    @Autowired
    ProduceAccumulator(PartitionDataApi partitions, GatewayProperties properties, MeterRegistry meters,
                       ProducerSessions sessions) {
        this(partitions, Limits.of(properties), meters, sessions, Schedulers.parallel(), System::nanoTime);
    }

    /** With the scheduler that runs timeouts and the monotonic clock they are measured by (tests use virtual time). */
    ProduceAccumulator(PartitionDataApi partitions, Limits limits, MeterRegistry meters, ProducerSessions sessions,
                       Scheduler timers, LongSupplier nanoClock) {
        this.partitions = partitions;
        this.limits = limits;
        this.meters = Meters.of(meters);
        this.sessions = sessions;
        this.timers = timers;
        this.nanoClock = nanoClock;
    }

    /**
     * Appends {@code entries} at {@code leader}, alone or with other requests for it: their results in entry order.
     * {@code timeout} bounds acks=all waiting at the leader as for {@link PartitionDataApi#produce}; the answer comes
     * within it plus the answer grace, or fails with REQUEST_TIMED_OUT. Fails with THROTTLED when the leader's queue
     * is full (nothing was sent). Cancelling before the request was sent takes it out of the queue.
     */
    Mono<List<ProduceResponse.PartitionResult>> produce(NodeInfo leader, List<PartitionBatches> entries, Acks acks,
                                                       Duration timeout) {
        return queues.computeIfAbsent(leader.id(),
                        id -> new LeaderQueue(id, partitions, limits, meters, sessions, timers, nanoClock))
                .produce(leader, entries, acks, timeout);
    }
}

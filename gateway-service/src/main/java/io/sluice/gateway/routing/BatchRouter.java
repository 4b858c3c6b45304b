package io.sluice.gateway.routing;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.gateway.cluster.ClusterView;
import io.sluice.internal.metadata.MetadataView;
import io.sluice.internal.metadata.NodeInfo;
import io.sluice.internal.partition.PartitionBatches;
import io.sluice.internal.partition.ProduceResponse;
import io.sluice.protocol.Acks;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import io.sluice.protocol.TopicPartition;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Sends already-encoded record batches to partition leaders: one request per leader node, in parallel, each batch at
 * the leader epoch the metadata names, through the {@link ProduceAccumulator}, which lets concurrent requests for the
 * same leader share internal produce requests. It knows nothing of JSON or records, so any front (the REST API, a
 * Kafka-protocol listener) hands it batches.
 *
 * <p>Which failed partitions are sent again, after newer metadata and until the request's timeout, is the
 * {@link Rerouting} policy's ({@link Rerouting.Call#produce}): failures that mean the metadata was stale (NOT_LEADER, a fenced or unknown leader epoch,
 * no leader or an unreachable one — all known to have written nothing) always; other errors (NOT_ENOUGH_REPLICAS,
 * REQUEST_TIMED_OUT whose outcome is unknown, …) are the partition's outcome — except for idempotent batches (with a
 * producer id and sequences, see {@link #sendIdempotent}), which are re-sent after any retriable error within the
 * deadline: a leader that already holds a batch answers its first offsets and appends nothing, so an unknown outcome
 * (NOT_LEADER_AFTER_APPEND, NOT_ENOUGH_REPLICAS_AFTER_APPEND, a lost answer) is safe to retry.
 *
 * <p>Batches without a producer of their own are stamped with the gateway's {@link ProducerSession} of their
 * partition when the {@link LeaderQueue} sends them (not for acks=0), so they are re-sent after an unknown outcome too,
 * within the deadline, under the same stamp; one that certainly was not written on its first send is stamped afresh
 * when sent again. One refused for its sequence on its first send (the session was out of step: a leader that lost
 * acknowledged acks=1 records, a re-created topic, an expired producer) is sent again at once, without waiting for
 * metadata. Once an attempt's outcome was unknown, the partition's answer
 * stays unknown unless a re-send succeeds.
 *
 * <p>Metrics: {@code sluice.gateway.produce.retries} (partitions sent again).
 */
@Service
public class BatchRouter {

    private static final Logger LOG = LoggerFactory.getLogger(BatchRouter.class);

    private final Rerouting rerouting;
    private final ProduceAccumulator accumulator;
    private final Counter retries;

    BatchRouter(Rerouting rerouting, ProduceAccumulator accumulator, MeterRegistry meters) {
        this.rerouting = rerouting;
        this.accumulator = accumulator;
        this.retries = meters.counter("sluice.gateway.produce.retries");
    }

    /** Each partition's batches of {@code topic} written (or not), by partition. */
    public Mono<Map<Integer, PartitionOutcome>> send(String topic, Map<Integer, ByteBuffer> batches, Acks acks,
                                                     Duration timeout) {
        return Mono.defer(() -> send(topic, batches, acks, rerouting.after(timeout), false, new HashMap<>()));
    }

    /**
     * As {@link #send}, for batches of an idempotent producer (every batch with a producer id and sequence): any
     * retriable failure is retried within the timeout, outcome unknown or not, with the same batches.
     */
    public Mono<Map<Integer, PartitionOutcome>> sendIdempotent(String topic, Map<Integer, ByteBuffer> batches,
                                                               Acks acks, Duration timeout) {
        return Mono.defer(() -> send(topic, batches, acks, rerouting.after(timeout), acks != Acks.NONE,
                new HashMap<>()));
    }

    /** Sends what is still pending, per leader, and again what the policy re-routes, until the deadline. */
    private Mono<Map<Integer, PartitionOutcome>> send(String topic, Map<Integer, ByteBuffer> pending, Acks acks,
                                                      Rerouting.Deadline deadline, boolean idempotent,
                                                      Map<Integer, PartitionOutcome> done) {
        MetadataView view = rerouting.view();
        Map<NodeInfo, List<Integer>> byLeader = new LinkedHashMap<>();
        Map<Integer, PartitionOutcome> attempt = new HashMap<>();
        for (int partition : pending.keySet()) {
            try {
                byLeader.computeIfAbsent(ClusterView.leader(view, new TopicPartition(topic, partition)),
                        n -> new ArrayList<>()).add(partition);
            } catch (SluiceException e) {
                attempt.put(partition, PartitionOutcome.failure(e));
            }
        }
        Duration left = deadline.left();
        return Flux.fromIterable(byLeader.entrySet())
                .flatMap(entry -> sendTo(view, topic, entry.getKey(), entry.getValue(), pending, acks, left))
                .doOnNext(attempt::putAll)
                .then(Mono.defer(() -> {
                    Map<Integer, ByteBuffer> retry = new LinkedHashMap<>();
                    boolean rerouted = false;
                    for (Map.Entry<Integer, PartitionOutcome> result : attempt.entrySet()) {
                        // Until the deadline a failure the policy re-routes is retried; its error stays the answer if
                        // time runs out.
                        int partition = result.getKey();
                        PartitionOutcome outcome = result.getValue();
                        PartitionOutcome before = done.get(partition);
                        done.merge(partition, outcome, BatchRouter::settled);
                        if (outcome.error() == null || deadline.passed()) {
                            continue;
                        }
                        ErrorCode code = outcome.error().errorCode();
                        ByteBuffer batches = pending.get(partition);
                        if (code.refusesSequence() && ProducerSession.needsStamp(batches)
                                && (before == null || before.error() == null
                                        || !before.error().errorCode().refusesSequence())) {
                            // Refused on its first send and unstamped by the LeaderQueue: nothing was written, and
                            // the batch goes again at once in the partition's fresh session — once: a fresh session
                            // starts at sequence 0, which a leader refuses no second time.
                            retry.put(partition, batches);
                        } else if (Rerouting.Call.produce(idempotent, ProducerSession.producerIdOf(batches) >= 0)
                                .triesAgainAfter(code)) {
                            retry.put(partition, batches);
                            rerouted = true;
                        }
                    }
                    if (retry.isEmpty()) {
                        return Mono.just(done);
                    }
                    retries.increment(retry.size());
                    if (LOG.isDebugEnabled()) {
                        LOG.debug("Produce to {} partitions {} at metadata version {} failed ({}); sending again",
                                topic, retry.keySet(), view.version(), attempt);
                    }
                    Mono<MetadataView> pause = rerouted ? rerouting.awaitNewer(view, deadline) : Mono.empty();
                    return pause.then(Mono.defer(() -> send(topic, retry, acks, deadline, idempotent, done)));
                }));
    }

    /**
     * A partition's outcome after one more attempt: once an attempt's outcome was unknown, a later failure of a
     * re-send (which may say "nothing written" of the re-send alone) leaves the answer unknown.
     */
    private static PartitionOutcome settled(PartitionOutcome before, PartitionOutcome now) {
        boolean unknownBefore = before.error() != null && before.error().errorCode().outcomeUnknown();
        return now.error() != null && unknownBefore && !now.error().errorCode().outcomeUnknown() ? before : now;
    }

    private Mono<Map<Integer, PartitionOutcome>> sendTo(MetadataView view, String topic, NodeInfo leader,
                                                        List<Integer> partitionIds, Map<Integer, ByteBuffer> pending,
                                                        Acks acks, Duration timeout) {
        List<PartitionBatches> request = new ArrayList<>();
        for (int partition : partitionIds) {
            int epoch = view.topic(topic).orElseThrow().partition(partition).leaderEpoch();
            request.add(new PartitionBatches(new TopicPartition(topic, partition), epoch,
                    pending.get(partition).duplicate()));
        }
        return accumulator.produce(leader, request, acks, timeout)
                .map(results -> {
                    // One result per entry, in entry order.
                    Map<Integer, PartitionOutcome> outcomes = new HashMap<>();
                    for (ProduceResponse.PartitionResult result : results) {
                        outcomes.put(result.partition(), new PartitionOutcome(result, result.errorCode() == null
                                ? null : new SluiceException(result.errorCode(), result.message())));
                    }
                    return outcomes;
                })
                .onErrorResume(SluiceException.class, e -> {
                    Map<Integer, PartitionOutcome> outcomes = new HashMap<>();
                    partitionIds.forEach(p -> outcomes.put(p, PartitionOutcome.failure(e)));
                    return Mono.just(outcomes);
                });
    }
}

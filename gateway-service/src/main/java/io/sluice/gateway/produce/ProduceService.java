package io.sluice.gateway.produce;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.sluice.gateway.admin.TopicAutoCreator;
import io.sluice.gateway.cluster.ClusterView;
import io.sluice.gateway.routing.PartitionClient;
import io.sluice.metadata.MetadataView;
import io.sluice.metadata.NodeInfo;
import io.sluice.metadata.TopicMetadata;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import io.sluice.protocol.TopicPartition;
import io.sluice.protocol.config.TopicConfig;
import io.sluice.protocol.record.CompressionType;
import io.sluice.protocol.record.RecordBatch;
import io.sluice.protocol.record.RecordBatchBuilder;
import io.sluice.protocol.wire.PartitionBatches;
import io.sluice.protocol.wire.ProduceRequestCodec;
import io.sluice.protocol.wire.ProduceResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Produces records to a topic as a Kafka producer would: every record is checked before anything is sent (a request
 * with a bad record appends nothing); records are partitioned (explicit, murmur2 of the key, or sticky), encoded into
 * one v2 batch per partition (compressed as the topic's {@code compression.type} says), and sent to each partition's
 * leader in parallel, one request per leader node.
 *
 * <p>Routing failures that are known to have written nothing (NOT_LEADER, stale or unknown leader epoch, no leader,
 * node unreachable) are retried within the request's timeout, each retry waiting for newer metadata rather than
 * looping blindly. Other errors (NOT_ENOUGH_REPLICAS, REQUEST_TIMED_OUT whose outcome is unknown, …) are reported per
 * record.
 */
@Service
public class ProduceService {

    private static final Set<ErrorCode> REROUTE = EnumSet.of(ErrorCode.NOT_LEADER, ErrorCode.LEADER_NOT_AVAILABLE,
            ErrorCode.FENCED_LEADER_EPOCH, ErrorCode.UNKNOWN_LEADER_EPOCH);

    private final ClusterView cluster;
    private final PartitionClient partitions;
    private final Partitioner partitioner;
    private final TopicAutoCreator autoCreator;
    private final MeterRegistry meters;

    public ProduceService(ClusterView cluster, PartitionClient partitions, Partitioner partitioner,
                          TopicAutoCreator autoCreator, MeterRegistry meters) {
        this.cluster = cluster;
        this.partitions = partitions;
        this.partitioner = partitioner;
        this.autoCreator = autoCreator;
        this.meters = meters;
    }

    /** Results in record order. */
    public Mono<List<RecordResult>> produce(String topicName, List<ProduceRecord> records, String acks, Duration timeout) {
        long started = System.nanoTime();
        return autoCreator.topic(topicName).flatMap(topic -> {
            List<Integer> assigned = assign(topic, records);
            Map<Integer, PartitionBatch> batches = encode(topic, records, assigned);
            long deadline = System.nanoTime() + timeout.toNanos();
            return send(topic.name(), batches, acks, deadline, new HashMap<>())
                    .map(outcomes -> results(records, assigned, batches, outcomes, acks));
        }).doOnNext(results -> record(topicName, records, results, started));
    }

    /** Completes when the topic exists (or was auto-created); UNKNOWN_TOPIC or INVALID_TOPIC_NAME otherwise. */
    public Mono<Void> topic(String topicName) {
        return autoCreator.topic(topicName).then();
    }

    /**
     * Checks one record against the topic as {@link #produce} would (partition exists, fits max.message.bytes),
     * for callers that treat records independently (NDJSON streams).
     */
    public Mono<Void> validate(String topicName, ProduceRecord record, int index) {
        return autoCreator.topic(topicName).doOnNext(topic -> {
            assign(topic, List.of(record));
            encode(topic, List.of(record), List.of(record.partition() == null ? 0 : record.partition()));
        }).onErrorMap(SluiceException.class, e -> new SluiceException(e.errorCode(),
                e.getMessage().replace("Record 0", "Record " + index))).then();
    }

    private List<Integer> assign(TopicMetadata topic, List<ProduceRecord> records) {
        int count = topic.partitions().size();
        int sticky = -1;
        List<Integer> assigned = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            ProduceRecord record = records.get(i);
            if (record.partition() != null) {
                if (record.partition() < 0 || record.partition() >= count) {
                    throw ErrorCode.UNKNOWN_PARTITION.exception("Record " + i + " asks for partition " + record.partition()
                            + "; topic '" + topic.name() + "' has partitions 0.." + (count - 1));
                }
                assigned.add(record.partition());
            } else if (record.key() != null) {
                assigned.add(partitioner.forKey(record.key(), count));
            } else {
                if (sticky < 0) {
                    sticky = partitioner.nextSticky(topic.name(), count);
                }
                assigned.add(sticky);
            }
        }
        return assigned;
    }

    /**
     * One buffer of batches per partition, each batch within {@code max.message.bytes}; a record that does not fit
     * a batch of its own is refused (RECORD_TOO_LARGE) before anything is sent.
     */
    private static Map<Integer, PartitionBatch> encode(TopicMetadata topic, List<ProduceRecord> records,
                                                       List<Integer> assigned) {
        TopicConfig config = TopicConfig.of(topic.configs());
        CompressionType compression = switch (config.compressionType()) {
            case "producer", "uncompressed", "none" -> CompressionType.NONE;
            default -> CompressionType.forConfigName(config.compressionType());
        };
        int limit = config.maxMessageBytes();
        Map<Integer, List<Integer>> byPartition = new LinkedHashMap<>();
        for (int i = 0; i < records.size(); i++) {
            byPartition.computeIfAbsent(assigned.get(i), p -> new ArrayList<>()).add(i);
        }
        Map<Integer, PartitionBatch> encoded = new LinkedHashMap<>();
        for (Map.Entry<Integer, List<Integer>> entry : byPartition.entrySet()) {
            List<ByteBuffer> batches = new ArrayList<>();
            RecordBatchBuilder builder = null;
            for (int index : entry.getValue()) {
                ProduceRecord record = records.get(index);
                int size = RecordBatch.HEADER_SIZE + 64 + length(record.key()) + length(record.value())
                        + record.headers().stream().mapToInt(h -> h.key().length() * 4 + length(h.value()) + 10).sum();
                if (size > limit) {
                    throw ErrorCode.RECORD_TOO_LARGE.exception("Record " + index + " is about " + size
                            + " bytes; topic '" + topic.name() + "' accepts batches of at most " + limit + " bytes");
                }
                if (builder != null && builder.estimatedSizeInBytes() + size > limit) {
                    batches.add(builder.build());
                    builder = null;
                }
                if (builder == null) {
                    builder = RecordBatchBuilder.of(compression);
                }
                builder.append(record.timestamp(), record.key(), record.value(), record.headers());
            }
            batches.add(builder.build());
            encoded.put(entry.getKey(), new PartitionBatch(entry.getValue(), concat(batches)));
        }
        return encoded;
    }

    /** Sends what is still pending, per leader, retrying re-routable failures until the deadline. */
    private Mono<Map<Integer, Outcome>> send(String topic, Map<Integer, PartitionBatch> pending, String acks,
                                             long deadline, Map<Integer, Outcome> done) {
        MetadataView view = cluster.current();
        Map<NodeInfo, List<Integer>> byLeader = new LinkedHashMap<>();
        Map<Integer, Outcome> attempt = new HashMap<>();
        for (int partition : pending.keySet()) {
            try {
                byLeader.computeIfAbsent(ClusterView.leader(view, new TopicPartition(topic, partition)),
                        n -> new ArrayList<>()).add(partition);
            } catch (SluiceException e) {
                attempt.put(partition, Outcome.failure(e));
            }
        }
        Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
        return Flux.fromIterable(byLeader.entrySet())
                .flatMap(entry -> sendTo(view, topic, entry.getKey(), entry.getValue(), pending, acks, left))
                .doOnNext(attempt::putAll)
                .then(Mono.defer(() -> {
                    Map<Integer, PartitionBatch> retry = new LinkedHashMap<>();
                    attempt.forEach((partition, outcome) -> {
                        if (outcome.error() != null && REROUTE.contains(outcome.error().errorCode())
                                && System.nanoTime() < deadline) {
                            retry.put(partition, pending.get(partition));
                        } else {
                            done.put(partition, outcome);
                        }
                    });
                    if (retry.isEmpty()) {
                        return Mono.just(done);
                    }
                    attempt.forEach((partition, outcome) -> {
                        if (retry.containsKey(partition)) {
                            done.put(partition, outcome); // the last error, in case time runs out
                        }
                    });
                    meters.counter("sluice.gateway.produce.retries").increment(retry.size());
                    Duration wait = Duration.ofMillis(Math.min(500, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
                    return cluster.awaitNewerThan(view.version(), wait)
                            .then(Mono.defer(() -> send(topic, retry, acks, deadline, done)));
                }));
    }

    private Mono<Map<Integer, Outcome>> sendTo(MetadataView view, String topic, NodeInfo leader, List<Integer> partitionIds,
                                               Map<Integer, PartitionBatch> pending, String acks, Duration timeout) {
        List<PartitionBatches> request = new ArrayList<>();
        for (int partition : partitionIds) {
            int epoch = view.topic(topic).orElseThrow().partition(partition).leaderEpoch();
            request.add(new PartitionBatches(new TopicPartition(topic, partition), epoch,
                    pending.get(partition).batches().duplicate()));
        }
        return partitions.produce(leader, ProduceRequestCodec.encode(request), acks, timeout)
                .map(response -> {
                    Map<Integer, Outcome> outcomes = new HashMap<>();
                    for (ProduceResponse.PartitionResult result : response.partitions()) {
                        outcomes.put(result.partition(), result.errorCode() == null
                                ? new Outcome(result, null)
                                : Outcome.failure(new SluiceException(ErrorCode.forName(result.errorCode()), result.message())));
                    }
                    return outcomes;
                })
                .onErrorResume(SluiceException.class, e -> {
                    Map<Integer, Outcome> outcomes = new HashMap<>();
                    partitionIds.forEach(p -> outcomes.put(p, Outcome.failure(e)));
                    return Mono.just(outcomes);
                });
    }

    private static List<RecordResult> results(List<ProduceRecord> records, List<Integer> assigned,
                                              Map<Integer, PartitionBatch> batches, Map<Integer, Outcome> outcomes,
                                              String acks) {
        RecordResult[] results = new RecordResult[records.size()];
        for (Map.Entry<Integer, PartitionBatch> entry : batches.entrySet()) {
            int partition = entry.getKey();
            Outcome outcome = outcomes.get(partition);
            List<Integer> indexes = entry.getValue().recordIndexes();
            for (int k = 0; k < indexes.size(); k++) {
                int index = indexes.get(k);
                if (outcome == null || outcome.error() != null) {
                    SluiceException error = outcome == null
                            ? ErrorCode.REQUEST_TIMED_OUT.exception("No answer for partition " + partition)
                            : outcome.error();
                    results[index] = RecordResult.failed(partition, error);
                } else if ("0".equals(acks) || outcome.result().baseOffset() == null) {
                    results[index] = RecordResult.sent(partition);
                } else {
                    ProduceResponse.PartitionResult r = outcome.result();
                    long timestamp = r.logAppendTime() != null ? r.logAppendTime() : records.get(index).timestamp();
                    results[index] = RecordResult.written(partition, r.baseOffset() + k, timestamp);
                }
            }
        }
        return List.of(results);
    }

    private void record(String topic, List<ProduceRecord> records, List<RecordResult> results, long started) {
        long ok = results.stream().filter(RecordResult::ok).count();
        Counter.builder("sluice.gateway.records.in").tag("topic", topic).register(meters).increment(ok);
        long bytes = 0;
        for (int i = 0; i < records.size(); i++) {
            if (results.get(i).ok()) {
                bytes += length(records.get(i).key()) + length(records.get(i).value());
            }
        }
        Counter.builder("sluice.gateway.bytes.in").baseUnit("bytes").tag("topic", topic).register(meters).increment(bytes);
        Timer.builder("sluice.gateway.produce.latency").publishPercentileHistogram().register(meters)
                .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
    }


    private static int length(byte[] bytes) {
        return bytes == null ? 0 : bytes.length;
    }

    private static ByteBuffer concat(List<ByteBuffer> buffers) {
        if (buffers.size() == 1) {
            return buffers.getFirst();
        }
        ByteBuffer all = ByteBuffer.allocate(buffers.stream().mapToInt(ByteBuffer::remaining).sum());
        buffers.forEach(b -> all.put(b.duplicate()));
        return all.flip();
    }

    /** The records (by request index) going to one partition, and their encoded batches. */
    private record PartitionBatch(List<Integer> recordIndexes, ByteBuffer batches) {
    }

    private record Outcome(ProduceResponse.PartitionResult result, SluiceException error) {
        static Outcome failure(SluiceException e) {
            return new Outcome(null, e);
        }
    }
}

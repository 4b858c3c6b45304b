package io.sluice.gateway.kafka.fetch;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.gateway.GatewayProperties;
import io.sluice.gateway.cluster.ClusterView;
import io.sluice.gateway.kafka.KafkaApi;
import io.sluice.gateway.kafka.KafkaSession;
import io.sluice.gateway.kafka.KafkaTopics;
import io.sluice.gateway.kafka.TopicAccess;
import io.sluice.gateway.routing.PartitionReader;
import io.sluice.internal.acl.AclOperation;
import io.sluice.internal.metadata.MetadataView;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.internal.partition.FetchRequest;
import io.sluice.internal.partition.FetchResponseCodec.FetchedPartition;
import io.sluice.kafka.FetchSession;
import io.sluice.kafka.KafkaErrors;
import io.sluice.kafka.KafkaRequest;
import io.sluice.protocol.TopicPartition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.FetchResponseData.PartitionData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Fetch, for consumers: each partition's section is the leader's raw record batches from the fetch offset (the batch
 * holding the offset first, whose earlier records the client skips, as with Kafka), read through the
 * {@link PartitionReader} with the request's {@code max_wait_ms}, {@code min_bytes} and {@code max_bytes} and each
 * partition's {@code partition_max_bytes}. Each section carries the partition's last stable offset; a read_committed
 * fetch ({@code isolation_level} 1) ends there and names the aborted transactions among its records, which the client
 * drops (Kafka's read_committed).
 *
 * <p>Each connection keeps a fetch session (KIP-227, {@link FetchSession}): a full request opens it, and the
 * client's incremental requests name only what changed; every partition of the session is read, and an incremental
 * answer carries only the partitions with news. A partition whose {@code current_leader_epoch} is older than the gateway's metadata is
 * FENCED_LEADER_EPOCH (the client refreshes its metadata), a newer one UNKNOWN_LEADER_EPOCH (the gateway has not seen
 * the election yet; the client retries). A topic the principal may not READ is TOPIC_AUTHORIZATION_FAILED. Follower fetches are not served here: replicas fetch from one another.
 *
 * <p>Each connection reads ahead ({@link ReadAhead}): once a Fetch is answered with some partition below its high
 * watermark, its partitions are read again from where the answer ended, and the connection's next Fetch at exactly
 * those offsets is answered from that, checked like any other.
 */
@Component
class FetchApi implements KafkaApi {

    private static final int NO_EPOCH = -1;

    private final ClusterView cluster;
    private final PartitionReader reader;
    private final TopicAccess access;
    private final long maxWaitMs;
    private final ReadAhead.Budget readAheadBudget;
    private final Counter readAheadUsed;
    private final Counter readAheadMissed;

    FetchApi(ClusterView cluster, PartitionReader reader, TopicAccess access, GatewayProperties properties,
             MeterRegistry meters) {
        this.cluster = cluster;
        this.reader = reader;
        this.access = access;
        this.maxWaitMs = properties.consume().maxWait().toMillis();
        this.readAheadBudget = new ReadAhead.Budget(properties.kafka().readAhead().toBytes());
        this.readAheadUsed = Counter.builder("sluice.gateway.kafka.read.ahead").tag("outcome", "used")
                .description("Fetch sections answered from what was read ahead").register(meters);
        this.readAheadMissed = Counter.builder("sluice.gateway.kafka.read.ahead").tag("outcome", "read")
                .description("Fetch sections read when asked (nothing usable was read ahead)").register(meters);
    }

    @Override
    public ApiKeys key() {
        return ApiKeys.FETCH;
    }

    @Override
    public Mono<ApiMessage> handle(KafkaRequest request, KafkaSession session) {
        FetchRequestData data = ((org.apache.kafka.common.requests.FetchRequest) request.body()).data();
        if (data.replicaId() >= 0 || (data.replicaState() != null && data.replicaState().replicaId() >= 0)) {
            return Mono.just(new FetchResponseData().setErrorCode(Errors.NOT_LEADER_OR_FOLLOWER.code()));
        }
        boolean byId = request.version() >= 13;
        FetchSession fetchSession = session.state(FetchSession.class,
                () -> new FetchSession(() -> ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE)));
        FetchSession.Plan plan = fetchSession.plan(data, byId);
        if (plan.error() != Errors.NONE) {
            return Mono.just(new FetchResponseData().setErrorCode(plan.error().code()).setSessionId(0));
        }
        MetadataView view = cluster.current();
        // Per partition read, in the session's order: its answer when refused here, or null when it is fetched.
        Map<TopicPartition, PartitionData> refused = new LinkedHashMap<>();
        // The partitions of the plan, in its order, by their topics' names here.
        List<TopicPartition> requested = new ArrayList<>();
        List<FetchRequest.Partition> toFetch = new ArrayList<>();
        Map<String, Boolean> readable = new HashMap<>();
        for (FetchSession.Entry entry : plan.partitions()) {
            FetchSession.Key key = entry.key();
            Optional<TopicMetadata> metadata = byId ? KafkaTopics.byId(view, key.topicId()) : view.topic(key.topic());
            String name = metadata.map(TopicMetadata::name).orElse(key.topic() == null ? "" : key.topic());
            TopicPartition tp = new TopicPartition(name, key.partition());
            requested.add(tp);
            // Asked once per topic and request: each denial is one audit line.
            boolean allowed = readable.computeIfAbsent(name, topic ->
                    access.allowed(session, request, AclOperation.READ, topic));
            Errors error = allowed ? check(metadata, entry) : Errors.TOPIC_AUTHORIZATION_FAILED;
            if (error != Errors.NONE) {
                refused.put(tp, failed(key.partition(), error));
            } else {
                toFetch.add(new FetchRequest.Partition(name, key.partition(), entry.fetchOffset(),
                        entry.partitionMaxBytes()));
            }
        }
        long waitMs = Math.min(Math.max(0, data.maxWaitMs()), maxWaitMs);
        int minBytes = Math.max(1, data.minBytes());
        int maxBytes = Math.max(1, data.maxBytes());
        // Read-ahead serves read_uncommitted fetches only: a read_committed one is bounded by a last stable offset
        // that the read ahead would have had to track as well.
        boolean readCommitted = data.isolationLevel() == 1;
        ReadAhead ahead = session.state(ReadAhead.class, () -> new ReadAhead(readAheadBudget, System::nanoTime),
                ReadAhead::close);
        Mono<List<FetchedPartition>> fetched = toFetch.isEmpty() ? Mono.just(List.of())
                : readCommitted ? reader.fetchAll(toFetch, waitMs, minBytes, maxBytes, true)
                : fetch(ahead, toFetch, waitMs, minBytes, maxBytes);
        return fetched.map(sections -> {
            if (!readCommitted) {
                ahead.start(toFetch, sections, next -> reader.fetchAll(next, 0, 1, maxBytes));
            }
            Map<TopicPartition, PartitionData> answers = new LinkedHashMap<>(refused);
            for (FetchedPartition section : sections) {
                answers.put(section.partition(), answer(section));
            }
            return fetchSession.respond(plan, requested.stream().map(answers::get).toList(), byId);
        });
    }

    /**
     * The sections of {@code toFetch}, in its order: those read ahead at the asked offsets that have records, and the
     * others read now — without waiting when what was read ahead already holds {@code minBytes}.
     */
    private Mono<List<FetchedPartition>> fetch(ReadAhead ahead, List<FetchRequest.Partition> toFetch, long waitMs,
                                               int minBytes, int maxBytes) {
        Map<TopicPartition, Mono<FetchedPartition>> readAhead = ahead.take(toFetch);
        if (readAhead.isEmpty()) {
            readAheadMissed.increment(toFetch.size());
            return reader.fetchAll(toFetch, waitMs, minBytes, maxBytes);
        }
        return Flux.fromIterable(readAhead.values()).flatMapSequential(section -> section).collectList()
                .flatMap(ready -> {
                    ReadAhead.Plan plan = ReadAhead.plan(toFetch, ready, minBytes);
                    Map<TopicPartition, FetchedPartition> have = new HashMap<>(plan.answered());
                    readAheadUsed.increment(have.size());
                    readAheadMissed.increment(plan.toRead().size());
                    List<FetchRequest.Partition> rest = plan.toRead();
                    Mono<List<FetchedPartition>> others = rest.isEmpty() ? Mono.just(List.of())
                            : plan.bytes() >= minBytes ? reader.fetchAll(rest, 0, 1, maxBytes)
                            : reader.fetchAll(rest, waitMs, (int) (minBytes - plan.bytes()), maxBytes);
                    return others.map(read -> {
                        read.forEach(section -> have.put(section.partition(), section));
                        List<FetchedPartition> ordered = new ArrayList<>(toFetch.size());
                        for (FetchRequest.Partition partition : toFetch) {
                            ordered.add(have.get(topicPartition(partition)));
                        }
                        return PartitionReader.withinBytes(ordered, maxBytes);
                    });
                });
    }

    private static TopicPartition topicPartition(FetchRequest.Partition partition) {
        return new TopicPartition(partition.topic(), partition.partition());
    }

    private static Errors check(Optional<TopicMetadata> topic, FetchSession.Entry entry) {
        if (topic.isEmpty()) {
            return entry.key().topic() == null ? Errors.UNKNOWN_TOPIC_ID : Errors.UNKNOWN_TOPIC_OR_PARTITION;
        }
        int partition = entry.key().partition();
        if (partition < 0 || partition >= topic.get().partitions().size()) {
            return Errors.UNKNOWN_TOPIC_OR_PARTITION;
        }
        int epoch = topic.get().partition(partition).leaderEpoch();
        if (entry.currentLeaderEpoch() != NO_EPOCH && entry.currentLeaderEpoch() < epoch) {
            return Errors.FENCED_LEADER_EPOCH;
        }
        if (entry.currentLeaderEpoch() > epoch) {
            return Errors.UNKNOWN_LEADER_EPOCH;
        }
        return Errors.NONE;
    }

    private static PartitionData answer(FetchedPartition section) {
        PartitionData data = new PartitionData()
                .setPartitionIndex(section.partition().partition())
                .setHighWatermark(section.highWatermark())
                .setLastStableOffset(section.lastStableOffset())
                .setLogStartOffset(section.logStartOffset())
                .setPreferredReadReplica(-1)
                .setRecords(MemoryRecords.readableRecords(section.records()));
        if (!section.abortedTransactions().isEmpty()) {
            data.setAbortedTransactions(section.abortedTransactions().stream()
                    .map(txn -> new FetchResponseData.AbortedTransaction().setProducerId(txn.producerId())
                            .setFirstOffset(txn.firstOffset()))
                    .toList());
        }
        if (section.error() != null) {
            data.setErrorCode(KafkaErrors.ofRead(section.error()).code()).setRecords(MemoryRecords.EMPTY);
        }
        return data;
    }

    private static PartitionData failed(int partition, Errors error) {
        return new PartitionData().setPartitionIndex(partition).setErrorCode(error.code()).setHighWatermark(-1)
                .setLastStableOffset(-1).setLogStartOffset(-1).setPreferredReadReplica(-1)
                .setRecords(MemoryRecords.EMPTY);
    }
}

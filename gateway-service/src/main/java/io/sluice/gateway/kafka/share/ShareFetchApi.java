package io.sluice.gateway.kafka.share;

import io.sluice.gateway.GatewayProperties;
import io.sluice.gateway.cluster.ClusterView;
import io.sluice.gateway.kafka.GroupAccess;
import io.sluice.gateway.kafka.KafkaApi;
import io.sluice.gateway.kafka.KafkaSession;
import io.sluice.gateway.kafka.KafkaTopics;
import io.sluice.gateway.kafka.TopicAccess;
import io.sluice.internal.acl.AclOperation;
import io.sluice.internal.metadata.MetadataView;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.kafka.KafkaErrors;
import io.sluice.kafka.KafkaRequest;
import io.sluice.protocol.TopicPartition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.message.ShareFetchRequestData;
import org.apache.kafka.common.message.ShareFetchResponseData;
import org.apache.kafka.common.message.ShareFetchResponseData.PartitionData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.requests.ShareFetchRequest;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * ShareFetch (KIP-932): a share consumer's piggy-backed acknowledgements, then records of its share session's
 * partitions locked for it ({@link ShareReads}). The session ({@link ShareSessions}) is this connection's; epoch -1
 * closes it after its acknowledgements and fetches nothing, as does a request with {@code is_renew_ack}; what the
 * member still holds in a closed session's partitions is released ({@link ShareSessionReleases}).
 *
 * <p>The take: partitions in turn from a random one, each asked for what room {@code max_records} leaves (Sluice
 * always limits by records, whatever the {@code share_acquire_mode}; {@code batch_size} is not used: one answer holds
 * all records taken). When nothing is taken the request waits up to its {@code max_wait_ms} (capped by the gateway's
 * consume max-wait) on the partitions' logs for new records, at most {@link #RECHECK} at a time (records released by
 * others wake no log read); {@code min_bytes} is met by any record. Each partition's section is the leader's raw
 * batches holding the records and the acquired ranges with their delivery counts.
 *
 * <p>Needs READ on the group (GROUP_AUTHORIZATION_FAILED for the whole request) and on each topic
 * (TOPIC_AUTHORIZATION_FAILED for its partitions); a topic id this gateway does not know is UNKNOWN_TOPIC_ID.
 */
@Component
class ShareFetchApi implements KafkaApi {

    /** The longest a waiting take waits on the logs before it asks the coordinator again. */
    static final Duration RECHECK = Duration.ofMillis(500);
    /** The lock duration told to clients when the answer has no record to tell it by (the coordinator's default). */
    static final int DEFAULT_LOCK_MS = 30_000;

    /** The partition errors of a ShareFetch that Kafka's share consumer retries by itself (its ShareFetchCollector). */
    private static final Set<Errors> CONSUMER_RETRIES = Set.of(Errors.NOT_LEADER_OR_FOLLOWER,
            Errors.REPLICA_NOT_AVAILABLE, Errors.KAFKA_STORAGE_ERROR, Errors.FENCED_LEADER_EPOCH,
            Errors.OFFSET_NOT_AVAILABLE, Errors.UNKNOWN_TOPIC_OR_PARTITION, Errors.UNKNOWN_TOPIC_ID,
            Errors.INCONSISTENT_TOPIC_ID, Errors.UNKNOWN_LEADER_EPOCH);

    private final ClusterView cluster;
    private final ShareReads reads;
    private final ShareAckBatches acks;
    private final GroupAccess groupAccess;
    private final TopicAccess topicAccess;
    private final ShareSessionReleases releases;
    private final long maxWaitMs;

    ShareFetchApi(ClusterView cluster, ShareReads reads, ShareAckBatches acks, GroupAccess groupAccess,
                  TopicAccess topicAccess, GatewayProperties properties, ShareSessionReleases releases) {
        this.releases = releases;
        this.cluster = cluster;
        this.reads = reads;
        this.acks = acks;
        this.groupAccess = groupAccess;
        this.topicAccess = topicAccess;
        this.maxWaitMs = properties.consume().maxWait().toMillis();
    }

    @Override
    public ApiKeys key() {
        return ApiKeys.SHARE_FETCH;
    }

    @Override
    public Mono<ApiMessage> handle(KafkaRequest request, KafkaSession session) {
        ShareFetchRequestData data = ((ShareFetchRequest) request.body()).data();
        String group = data.groupId();
        String member = data.memberId();
        if (group == null || group.isBlank() || member == null || member.isBlank()) {
            return Mono.just(failed(Errors.INVALID_REQUEST, "A share fetch names its group and member"));
        }
        if (!groupAccess.allowed(session, request, AclOperation.READ, group)) {
            return Mono.just(failed(Errors.GROUP_AUTHORIZATION_FAILED, "The principal may not READ the group"));
        }
        MetadataView view = cluster.current();
        List<ShareSessions.SharePartitionId> named = new ArrayList<>();
        Map<ShareSessions.SharePartitionId, List<ShareAckBatches.Batch>> acknowledged = new LinkedHashMap<>();
        for (ShareFetchRequestData.FetchTopic topic : data.topics()) {
            for (ShareFetchRequestData.FetchPartition partition : topic.partitions()) {
                var id = new ShareSessions.SharePartitionId(topic.topicId(), partition.partitionIndex());
                named.add(id);
                if (!partition.acknowledgementBatches().isEmpty()) {
                    acknowledged.put(id, partition.acknowledgementBatches().stream()
                            .map(b -> new ShareAckBatches.Batch(b.firstOffset(), b.lastOffset(), b.acknowledgeTypes()))
                            .toList());
                }
            }
        }
        List<ShareSessions.SharePartitionId> forgotten = new ArrayList<>();
        data.forgottenTopicsData().forEach(topic -> topic.partitions()
                .forEach(p -> forgotten.add(new ShareSessions.SharePartitionId(topic.topicId(), p))));
        if (data.shareSessionEpoch() == 0 && !acknowledged.isEmpty()) {
            // As Kafka: a request that opens a session has acknowledged nothing in it yet.
            return Mono.just(failed(Errors.INVALID_REQUEST, "A share fetch that opens a session (epoch 0) carries no"
                    + " acknowledgements"));
        }
        ShareSessions.Opened opened = releases.sessions(session).fetch(group, member, data.shareSessionEpoch(), named,
                forgotten);
        if (opened.error() != Errors.NONE) {
            return Mono.just(failed(opened.error(), "Share session epoch " + data.shareSessionEpoch()
                    + " does not fit this connection's share session of member " + member));
        }
        Answers answers = new Answers();
        Map<ShareSessions.SharePartitionId, TopicPartition> readable = new LinkedHashMap<>();
        for (ShareSessions.SharePartitionId id : union(opened.partitions(), acknowledged.keySet())) {
            Optional<TopicMetadata> topic = KafkaTopics.byId(view, id.topicId());
            Errors error = topic.isEmpty() ? Errors.UNKNOWN_TOPIC_ID
                    : id.partition() < 0 || id.partition() >= topic.get().partitions().size()
                    ? Errors.UNKNOWN_TOPIC_OR_PARTITION
                    : !topicAccess.allowed(session, request, AclOperation.READ, topic.get().name())
                    ? Errors.TOPIC_AUTHORIZATION_FAILED : Errors.NONE;
            if (error != Errors.NONE) {
                answers.get(id).setErrorCode(error.code()).setErrorMessage(error.message());
            } else {
                readable.put(id, new TopicPartition(topic.get().name(), id.partition()));
            }
        }
        Mono<Void> acknowledging = Flux.fromIterable(acknowledged.entrySet())
                .filter(entry -> readable.containsKey(entry.getKey()))
                .concatMap(entry -> acks.apply(group, member, readable.get(entry.getKey()), entry.getValue())
                        .onErrorResume(e -> Mono.just(new ShareAckBatches.Outcome(
                                Errors.forException(KafkaErrors.exception(e)), e.getMessage())))
                        .doOnNext(outcome -> answers.get(entry.getKey())
                                .setAcknowledgeErrorCode(outcome.error().code())
                                .setAcknowledgeErrorMessage(outcome.message())))
                .then();
        List<ShareSessions.SharePartitionId> toFetch = opened.partitions().stream().filter(readable::containsKey)
                .toList();
        boolean fetching = data.shareSessionEpoch() != -1 && !data.isRenewAck() && !toFetch.isEmpty();
        int maxRecords = data.maxRecords() > 0 ? data.maxRecords() : 500;
        int maxBytes = Math.max(1, data.maxBytes());
        long deadline = System.nanoTime() + Math.min(Math.max(0, data.maxWaitMs()), maxWaitMs) * 1_000_000;
        Mono<Void> taking = fetching ? new Take(group, member, toFetch, readable, maxRecords, maxBytes, deadline,
                answers).run() : Mono.empty();
        // A closed session's records not acknowledged by now go back at once (Kafka's release on session close).
        Mono<Void> releasing = opened.closed().isEmpty() ? Mono.empty()
                : releases.release(group, member, opened.closed());
        return acknowledging.then(releasing).then(taking).then(Mono.fromSupplier(answers::response));
    }

    private static List<ShareSessions.SharePartitionId> union(List<ShareSessions.SharePartitionId> a,
                                                              java.util.Collection<ShareSessions.SharePartitionId> b) {
        java.util.LinkedHashSet<ShareSessions.SharePartitionId> all = new java.util.LinkedHashSet<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }

    /** One take over the session's partitions, its room and deadline. */
    private final class Take {

        private final String group;
        private final String member;
        private final List<ShareSessions.SharePartitionId> order;
        private final Map<ShareSessions.SharePartitionId, TopicPartition> names;
        private final int maxRecords;
        private final int maxBytes;
        private final long deadlineNanos;
        private final Answers answers;
        private final Map<TopicPartition, Long> ends = new HashMap<>();
        private int taken;

        Take(String group, String member, List<ShareSessions.SharePartitionId> partitions,
             Map<ShareSessions.SharePartitionId, TopicPartition> names, int maxRecords, int maxBytes,
             long deadlineNanos, Answers answers) {
            this.group = group;
            this.member = member;
            int first = ThreadLocalRandom.current().nextInt(partitions.size());
            this.order = new ArrayList<>();
            for (int i = 0; i < partitions.size(); i++) {
                order.add(partitions.get((first + i) % partitions.size()));
            }
            this.names = names;
            this.maxRecords = maxRecords;
            this.maxBytes = maxBytes;
            this.deadlineNanos = deadlineNanos;
            this.answers = answers;
        }

        Mono<Void> run() {
            return pass().then(Mono.defer(() -> {
                long leftMs = (deadlineNanos - System.nanoTime()) / 1_000_000;
                if (taken > 0 || leftMs <= 0) {
                    return Mono.empty();
                }
                List<TopicPartition> partitions = new ArrayList<>(ends.keySet());
                List<Long> offsets = partitions.stream().map(ends::get).toList();
                return reads.awaitRecords(partitions, offsets, Math.min(leftMs, RECHECK.toMillis()))
                        .onErrorResume(e -> Mono.delay(Duration.ofMillis(Math.min(leftMs, 100))).then())
                        .then(Mono.defer(this::run));
            }));
        }

        private Mono<Void> pass() {
            return Flux.fromIterable(order)
                    .concatMap(id -> taken >= maxRecords ? Mono.<Void>empty()
                            : reads.take(group, member, names.get(id), maxRecords - taken, maxBytes)
                            .doOnNext(result -> {
                                ends.put(result.partition(), result.endOffset());
                                if (result.count() > 0) {
                                    taken += result.count();
                                    answers.taken(id, result);
                                }
                            })
                            .onErrorResume(e -> {
                                Errors error = fetchError(e);
                                answers.get(id).setErrorCode(error.code()).setErrorMessage(
                                        Errors.forException(KafkaErrors.exception(e)).name() + ": " + e.getMessage());
                                return Mono.empty();
                            })
                            .then())
                    .then();
        }
    }

    /**
     * The error a share-partition's failed take is answered with. Kafka's share consumer goes on polling after the
     * errors it knows for a partition (a leader or topic change, an unknown server error) but throws any other out of
     * {@code poll}: a passing failure here (the coordinator unreachable for a moment, a call timed out) is therefore
     * answered UNKNOWN_SERVER_ERROR, its own code named in the message, so the consumer asks again instead of failing
     * the application's poll.
     */
    static Errors fetchError(Throwable failure) {
        Errors error = Errors.forException(KafkaErrors.exception(failure));
        return error.exception() instanceof RetriableException && !CONSUMER_RETRIES.contains(error)
                ? Errors.UNKNOWN_SERVER_ERROR : error;
    }

    /** The answer's partitions as they are decided, by share-partition in the order first touched. */
    private static final class Answers {

        private final Map<ShareSessions.SharePartitionId, PartitionData> partitions = new LinkedHashMap<>();
        private long firstDeadlineMs = -1;

        synchronized PartitionData get(ShareSessions.SharePartitionId id) {
            return partitions.computeIfAbsent(id, key -> new PartitionData().setPartitionIndex(key.partition())
                    .setRecords(MemoryRecords.EMPTY));
        }

        synchronized void taken(ShareSessions.SharePartitionId id, ShareReads.Taken result) {
            get(id).setRecords(MemoryRecords.readableRecords(result.records()))
                    .setAcquiredRecords(result.ranges());
            if (result.firstLockDeadlineMs() > 0
                    && (firstDeadlineMs < 0 || result.firstLockDeadlineMs() < firstDeadlineMs)) {
                firstDeadlineMs = result.firstLockDeadlineMs();
            }
        }

        synchronized ShareFetchResponseData response() {
            Map<Uuid, ShareFetchResponseData.ShareFetchableTopicResponse> topics = new LinkedHashMap<>();
            partitions.forEach((id, data) -> topics.computeIfAbsent(id.topicId(),
                    topicId -> new ShareFetchResponseData.ShareFetchableTopicResponse().setTopicId(topicId))
                    .partitions().add(data));
            ShareFetchResponseData.ShareFetchableTopicResponseCollection responses =
                    new ShareFetchResponseData.ShareFetchableTopicResponseCollection();
            topics.values().forEach(responses::add);
            int lockMs = firstDeadlineMs < 0 ? DEFAULT_LOCK_MS
                    : (int) Math.max(1, Math.min(Integer.MAX_VALUE, firstDeadlineMs - System.currentTimeMillis()));
            return new ShareFetchResponseData().setResponses(responses).setAcquisitionLockTimeoutMs(lockMs);
        }
    }

    private static ShareFetchResponseData failed(Errors error, String message) {
        return new ShareFetchResponseData().setErrorCode(error.code()).setErrorMessage(message);
    }
}

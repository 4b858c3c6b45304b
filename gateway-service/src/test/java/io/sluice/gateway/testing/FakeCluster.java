package io.sluice.gateway.testing;

import io.sluice.internal.broker.BrokerAnnouncement;
import io.sluice.internal.broker.BrokerApi;
import io.sluice.internal.broker.BrokerEndpoint;
import io.sluice.internal.coordinator.AddPartitionsRequest;
import io.sluice.internal.coordinator.AlterConfigsRequest;
import io.sluice.internal.coordinator.AlterPartitionRequest;
import io.sluice.internal.acl.AclApi;
import io.sluice.internal.acl.AclBinding;
import io.sluice.internal.acl.AclBindingFilter;
import io.sluice.internal.acl.AclSnapshot;
import io.sluice.internal.scram.ScramApi;
import io.sluice.internal.scram.ScramChange;
import io.sluice.internal.scram.ScramCredential;
import io.sluice.internal.scram.ScramCredentialId;
import io.sluice.internal.scram.ScramSnapshot;
import io.sluice.internal.coordinator.AlterReassignmentsRequest;
import io.sluice.internal.coordinator.AlterReassignmentsResponse;
import io.sluice.internal.coordinator.ElectLeadersRequest;
import io.sluice.internal.coordinator.ElectLeadersResponse;
import io.sluice.internal.coordinator.ReassignmentListing;
import io.sluice.internal.coordinator.ReassignmentProposal;
import io.sluice.internal.coordinator.CoordinatorApi;
import io.sluice.internal.coordinator.CoordinatorStatus;
import io.sluice.internal.coordinator.CreateTopicRequest;
import io.sluice.internal.coordinator.DecommissionListing;
import io.sluice.internal.coordinator.ElectionResult;
import io.sluice.internal.coordinator.OfflineReplicasRequest;
import io.sluice.internal.coordinator.RegisterRequest;
import io.sluice.internal.coordinator.RegisterResponse;
import io.sluice.internal.coordinator.ShutdownResponse;
import io.sluice.internal.group.GroupDescription;
import io.sluice.internal.group.GroupHeartbeatRequest;
import io.sluice.internal.group.GroupHeartbeatResponse;
import io.sluice.internal.group.GroupListing;
import io.sluice.internal.group.GroupOffsets;
import io.sluice.internal.group.OffsetCommitRequest;
import io.sluice.internal.group.OffsetResetRequest;
import io.sluice.internal.group.OffsetResetResponse;
import io.sluice.internal.metadata.ClusterMetadata;
import io.sluice.internal.metadata.MetadataUpdate;
import io.sluice.internal.metadata.NodeInfo;
import io.sluice.internal.metadata.NodeStatus;
import io.sluice.internal.metadata.PartitionState;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.internal.partition.DeleteRecordsRequest;
import io.sluice.internal.partition.DeleteRecordsResponse;
import io.sluice.internal.partition.DescribeProducersRequest;
import io.sluice.internal.partition.DescribeProducersResponse;
import io.sluice.internal.partition.FetchRequest;
import io.sluice.internal.partition.FetchResponseCodec.FetchedPartition;
import io.sluice.internal.partition.ListOffsetsRequest;
import io.sluice.internal.partition.ListOffsetsResponse;
import io.sluice.internal.partition.NodeStats;
import io.sluice.internal.partition.PartitionBatches;
import io.sluice.internal.partition.PartitionDataApi;
import io.sluice.internal.partition.ProduceResponse;
import io.sluice.internal.producer.IdempotenceApi;
import io.sluice.internal.producer.IdempotencyClaim;
import io.sluice.internal.producer.IdempotencyClaimRequest;
import io.sluice.internal.producer.IdempotencyReleaseRequest;
import io.sluice.internal.producer.ProducerIdBlock;
import io.sluice.internal.producer.StoredResponse;
import io.sluice.internal.brokerconfig.BrokerConfigApi;
import io.sluice.internal.brokerconfig.BrokerConfigChange;
import io.sluice.internal.brokerconfig.BrokerConfigSnapshot;
import io.sluice.internal.quota.QuotaAlteration;
import io.sluice.internal.quota.QuotaApi;
import io.sluice.internal.quota.QuotaEntity;
import io.sluice.internal.quota.QuotaEntry;
import io.sluice.internal.quota.QuotaSnapshot;
import io.sluice.internal.streams.StreamsGroupDescription;
import io.sluice.internal.streams.StreamsHeartbeatRequest;
import io.sluice.internal.streams.StreamsHeartbeatResponse;
import io.sluice.internal.streams.StreamsTopologyDescriptionUpdate;
import io.sluice.protocol.Acks;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.TopicPartition;
import io.sluice.protocol.config.TopicConfigs;
import io.sluice.protocol.record.BufferBatchIterator;
import io.sluice.protocol.record.Record;
import io.sluice.protocol.record.RecordBatch;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

/**
 * A cluster in memory for web-layer tests: one node leading every partition, topics created at once, each partition
 * a list of record batches whose offsets the fake assigns as a leader would (everything appended is committed: the
 * high watermark is the log end). It answers the coordinator's and the partition leaders' internal APIs as the
 * gateway calls them, so the gateway's whole public API runs over it in-process, fast and deterministic. A fetch at
 * the log end waits until something is appended to the partition or its {@code wait} runs out, as a leader's long
 * poll does; the fake counts the fetches each partition's leader served ({@link #fetches}). Idempotency-Keys are
 * claimed and released as the coordinator's scripts do (no expiry); its leaders do not deduplicate batches. SCRAM
 * credentials are changed whole or not at all, as the coordinator's script changes them.
 */
public final class FakeCluster implements CoordinatorApi, PartitionDataApi, AclApi, QuotaApi, ScramApi, IdempotenceApi,
        BrokerApi, BrokerConfigApi {

    public static final NodeInfo NODE = new NodeInfo(1, "http://127.0.0.1:1", null, NodeStatus.ALIVE);

    private final Map<String, TopicMetadata> topics = new ConcurrentHashMap<>();
    private final Map<TopicPartition, List<RecordBatch>> logs = new ConcurrentHashMap<>();
    /** A partition's log start offset where retention moved it past 0 ({@link #deleteRecordsBefore}). */
    private final Map<TopicPartition, Long> logStarts = new ConcurrentHashMap<>();
    private final Map<TopicPartition, ErrorCode> produceFailures = new ConcurrentHashMap<>();
    /** What a partition answers after its next failed produce, in place of its failure now (empty: answers again). */
    private final Map<TopicPartition, Optional<ErrorCode>> laterProduceFailures = new ConcurrentHashMap<>();
    private final Map<String, Sinks.Empty<Void>> heldProduces = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> produceRequests = new ConcurrentHashMap<>();
    private final Map<TopicPartition, AtomicLong> fetches = new ConcurrentHashMap<>();
    private final Map<String, AclBinding> acls = new ConcurrentHashMap<>();
    private final AtomicLong aclVersion = new AtomicLong();
    /** The client quotas stored, as the coordinator keeps them; guarded by itself. */
    private final Map<QuotaEntity, Map<String, Double>> quotas = new HashMap<>();
    private long quotaVersion;
    /** The cluster-wide broker configs set, as the coordinator keeps them; guarded by itself. */
    private final Map<String, String> brokerConfigs = new TreeMap<>();
    private long brokerConfigVersion;
    private final Map<ScramCredentialId, ScramCredential> scram = new HashMap<>();
    private final AtomicLong scramVersion = new AtomicLong();
    private final Sinks.Many<TopicPartition> appended = Sinks.many().multicast().directBestEffort();
    private volatile long version = 1;
    /** While set, the metadata the gateway's polls get (the cluster as it was when held). */
    private volatile ClusterMetadata heldMetadata;
    private final AtomicLong metadataPolls = new AtomicLong();
    private volatile long lastMetadataPoll = System.nanoTime();
    private final AtomicLong producerIds = new AtomicLong();
    private final Map<String, IdempotencyEntry> idempotencyKeys = new HashMap<>();
    /** Nodes beside {@link #NODE}, registered and alive; they hold no logs, only the replicas {@link #replica} gives. */
    private final Map<Integer, NodeInfo> otherNodes = new ConcurrentHashMap<>();
    private final Map<TopicPartition, ReassignmentListing.Ongoing> moves = new ConcurrentHashMap<>();
    /** What a node's stats say of a replica, in place of (node 1) or beside what its logs hold. */
    private final Map<Integer, Map<TopicPartition, NodeStats.Replica>> replicaStats = new ConcurrentHashMap<>();
    private final Set<Integer> silentNodes = ConcurrentHashMap.newKeySet();
    private final Set<Integer> decommissioning = ConcurrentHashMap.newKeySet();
    private final AtomicInteger reassignmentRequests = new AtomicInteger();

    /** An Idempotency-Key as the coordinator stores it. */
    private static final class IdempotencyEntry {
        String fingerprint;
        long producerId;
        List<Integer> assignment;
        String holder;
        StoredResponse response;
    }

    /** Only the announcing gateway is a live broker: a fake cluster has one gateway. */
    @Override
    public Mono<List<BrokerEndpoint>> announce(BrokerAnnouncement announcement) {
        return Mono.just(List.of(announcement.endpoint()));
    }

    @Override
    public Mono<List<BrokerEndpoint>> brokers() {
        return Mono.just(List.of());
    }

    @Override
    public Mono<ProducerIdBlock> allocateProducerIds(int count) {
        return Mono.just(new ProducerIdBlock(producerIds.getAndAdd(count), count));
    }

    @Override
    public synchronized Mono<IdempotencyClaim> claimIdempotencyKey(IdempotencyClaimRequest request) {
        IdempotencyEntry entry = idempotencyKeys.get(request.key());
        if (entry == null) {
            entry = new IdempotencyEntry();
            entry.fingerprint = request.fingerprint();
            entry.producerId = producerIds.getAndIncrement();
            entry.assignment = request.assignment();
            entry.holder = request.token();
            idempotencyKeys.put(request.key(), entry);
            return Mono.just(new IdempotencyClaim(IdempotencyClaim.Status.NEW, entry.producerId, (short) 0,
                    entry.assignment, null));
        }
        if (!entry.fingerprint.equals(request.fingerprint())) {
            return Mono.error(ErrorCode.IDEMPOTENCY_KEY_REUSED.exception("another request"));
        }
        if (entry.response != null) {
            return Mono.just(new IdempotencyClaim(IdempotencyClaim.Status.COMPLETED, entry.producerId, (short) 0,
                    entry.assignment, entry.response));
        }
        if (entry.holder != null && !entry.holder.equals(request.token())) {
            return Mono.error(ErrorCode.IDEMPOTENCY_KEY_IN_USE.exception("held"));
        }
        entry.holder = request.token();
        return Mono.just(new IdempotencyClaim(IdempotencyClaim.Status.RETRY, entry.producerId, (short) 0,
                entry.assignment, null));
    }

    @Override
    public synchronized Mono<Void> releaseIdempotencyKey(IdempotencyReleaseRequest request) {
        IdempotencyEntry entry = idempotencyKeys.get(request.key());
        if (entry != null && request.token().equals(entry.holder)) {
            entry.holder = null;
            if (request.response() != null) {
                entry.response = request.response();
            }
        }
        return Mono.empty();
    }

    /** From now on the leader of {@code partition} answers every produce with {@code code} (null: answers again). */
    public void failProduce(String topic, int partition, ErrorCode code) {
        laterProduceFailures.remove(new TopicPartition(topic, partition));
        if (code == null) {
            produceFailures.remove(new TopicPartition(topic, partition));
        } else {
            produceFailures.put(new TopicPartition(topic, partition), code);
        }
    }

    /**
     * The next produce to {@code partition} is answered {@code first}, and every one after it {@code then} (null:
     * answers again): a switch tied to the attempts themselves, not to a delay that a stalled machine can outlast.
     */
    public void failProduce(String topic, int partition, ErrorCode first, ErrorCode then) {
        TopicPartition tp = new TopicPartition(topic, partition);
        laterProduceFailures.put(tp, Optional.ofNullable(then));
        produceFailures.put(tp, first);
    }

    /** From now on the leader holds every produce request carrying batches of {@code topic}, unanswered. */
    public void holdProduce(String topic) {
        heldProduces.put(topic, Sinks.empty());
    }

    /** Answers the produce requests held for {@code topic}, and every later one at once. */
    public void releaseProduce(String topic) {
        Sinks.Empty<Void> gate = heldProduces.remove(topic);
        if (gate != null) {
            gate.tryEmitEmpty();
        }
    }

    /** How many internal produce requests carrying batches of {@code topic} the leader received. */
    public int produceRequests(String topic) {
        AtomicInteger count = produceRequests.get(topic);
        return count == null ? 0 : count.get();
    }

    /** Creates {@code name} (or replaces it, empty) with {@code partitions} partitions on node 1. */
    public synchronized TopicMetadata topic(String name, int partitions, Map<String, String> configs) {
        List<PartitionState> states = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            states.add(new PartitionState(p, List.of(NODE.id()), NODE.id(), List.of(NODE.id()), 0, 0));
            logs.put(new TopicPartition(name, p), new ArrayList<>());
            logStarts.remove(new TopicPartition(name, p));
        }
        TopicMetadata topic = new TopicMetadata(name, UUID.randomUUID().toString(), 1, configs, states);
        topics.put(name, topic);
        version++;
        return topic;
    }

    /**
     * Creates {@code name} as {@link #topic} does and returns once {@code gateway} serves reads of its partition 0 (its
     * metadata has the topic). If that takes more than 10 s, fails with the gateway's last answer, how long ago it
     * last asked for metadata, and the stacks of its metadata watcher and Reactor threads.
     */
    public TopicMetadata topicServedBy(WebTestClient gateway, String name, int partitions,
                                       Map<String, String> configs) {
        TopicMetadata topic = topic(name, partitions, configs);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            EntityExchangeResult<String> answer = gateway.get()
                    .uri("/v1/topics/" + name + "/partitions/0/records?offset=latest").exchange()
                    .expectBody(String.class).returnResult();
            if (answer.getStatus().value() == 200) {
                return topic;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("topic " + name + " never reached the gateway's metadata: it last answered "
                        + answer.getStatus() + " " + answer.getResponseBody() + "; the fake is at metadata version "
                        + version + ", and the gateway asked for metadata " + metadataPolls.get() + " times, last "
                        + Duration.ofNanos(System.nanoTime() - lastMetadataPoll).toMillis() + " ms ago\n"
                        + reactorThreads());
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + name, e);
            }
        }
    }

    /** The stacks of this JVM's metadata watcher and Reactor threads, where a stalled gateway shows why. */
    private static String reactorThreads() {
        return Arrays.stream(ManagementFactory.getThreadMXBean().dumpAllThreads(true, true))
                .filter(thread -> thread.getThreadName().startsWith("metadata-watcher")
                        || thread.getThreadName().startsWith("parallel-")
                        || thread.getThreadName().startsWith("reactor-http"))
                .map(FakeCluster::stack)
                .collect(Collectors.joining("\n"));
    }

    /** Unlike {@link ThreadInfo#toString}, every frame. */
    private static String stack(ThreadInfo thread) {
        StringBuilder out = new StringBuilder("\"" + thread.getThreadName() + "\" " + thread.getThreadState());
        if (thread.getLockName() != null) {
            out.append(" on ").append(thread.getLockName()).append(" owned by ").append(thread.getLockOwnerName());
        }
        for (StackTraceElement frame : thread.getStackTrace()) {
            out.append("\n\tat ").append(frame);
        }
        return out.toString();
    }

    /** From now on the gateway's metadata polls see the cluster as it is now, until {@link #releaseMetadata}. */
    public synchronized void holdMetadata() {
        heldMetadata = snapshot();
    }

    public synchronized void releaseMetadata() {
        heldMetadata = null;
    }

    /**
     * Stores a batch whose offsets are already set, as a compacted log holds it (its records may skip offsets, and it
     * may start past the log end, leaving a gap): the batch of a log the cleaner rewrote.
     */
    public synchronized void storeBatch(String topic, int partition, ByteBuffer batch) {
        List<RecordBatch> log = logs.get(new TopicPartition(topic, partition));
        RecordBatch stored = RecordBatch.readFrom(ByteBuffer.allocate(batch.remaining()).put(batch.duplicate()).flip());
        if (stored.baseOffset() < end(log)) {
            throw new IllegalArgumentException("batch at " + stored.baseOffset() + " is below the log end " + end(log));
        }
        log.add(stored);
        appended.emitNext(new TopicPartition(topic, partition), Sinks.EmitFailureHandler.busyLooping(Duration.ofSeconds(5)));
    }

    /**
     * Moves a partition's log start offset to {@code offset}, as retention does when it deletes the segments below it:
     * a fetch below it is then out of range, naming it as the log start.
     */
    public synchronized void deleteRecordsBefore(String topic, int partition, long offset) {
        logStarts.put(new TopicPartition(topic, partition), offset);
    }

    /** How many fetches the leader of a partition has served so far. */
    public long fetches(String topic, int partition) {
        AtomicLong count = fetches.get(new TopicPartition(topic, partition));
        return count == null ? 0 : count.get();
    }

    /** Every record of a partition, as stored. */
    /** The batches the leader of a partition stored, as written (producer id, sequences and all). */
    public synchronized List<RecordBatch> batches(String topic, int partition) {
        return List.copyOf(logs.getOrDefault(new TopicPartition(topic, partition), List.of()));
    }

    public synchronized List<Record> records(String topic, int partition) {
        List<Record> records = new ArrayList<>();
        logs.getOrDefault(new TopicPartition(topic, partition), List.of()).forEach(b -> records.addAll(b.records()));
        return records;
    }

    private ClusterMetadata snapshot() {
        return new ClusterMetadata(version, null, registered(), topics.values().stream()
                .sorted(Comparator.comparing(TopicMetadata::name)).toList());
    }

    // ----------------------------------------------------------------------------------------- coordinator

    @Override
    public Mono<MetadataUpdate> metadataSince(long since, Duration wait) {
        metadataPolls.incrementAndGet();
        lastMetadataPoll = System.nanoTime();
        if (heldMetadata == null && version > since) {
            return Mono.just(MetadataUpdate.ofSnapshot(visible()));
        }
        // What is visible is read when the poll answers, so that a poll already waiting when the metadata is held
        // does not answer with what came after.
        return Mono.delay(Duration.ofMillis(Math.min(wait.toMillis(), 50)))
                .map(tick -> MetadataUpdate.ofSnapshot(visible()));
    }

    /** The metadata the gateway may see: as held, or as it is. */
    private synchronized ClusterMetadata visible() {
        return heldMetadata != null ? heldMetadata : snapshot();
    }

    @Override
    public Mono<List<NodeInfo>> nodes() {
        return Mono.fromSupplier(this::registered);
    }

    private List<NodeInfo> registered() {
        List<NodeInfo> nodes = new ArrayList<>(List.of(NODE));
        otherNodes.values().stream().sorted(Comparator.comparingInt(NodeInfo::id)).forEach(nodes::add);
        return nodes.stream().map(node -> node.withDecommissioning(decommissioning.contains(node.id()))).toList();
    }

    // ----------------------------------------------------------------------------------------- cluster shape

    /** Registers node {@code id} (alive, holding nothing) beside node 1, until {@link #resetShape}. */
    public synchronized NodeInfo addNode(int id) {
        NodeInfo node = new NodeInfo(id, "http://127.0.0.1:" + (10_000 + id), null, NodeStatus.ALIVE);
        otherNodes.put(id, node);
        version++;
        return node;
    }

    /** Node {@code id}, added with {@link #addNode}, declared dead at {@code atMs}, until {@link #resetShape}. */
    public synchronized void declareDead(int id, long atMs) {
        otherNodes.computeIfPresent(id, (key, node) -> node.deadSince(atMs));
        version++;
    }

    /** From now on node {@code nodeId}'s stats show this replica of {@code topic}-{@code partition}. */
    public void replica(int nodeId, String topic, int partition, long sizeBytes, long logEndOffset) {
        replicaStats.computeIfAbsent(nodeId, id -> new ConcurrentHashMap<>()).put(new TopicPartition(topic, partition),
                new NodeStats.Replica(topic, partition, nodeId == NODE.id(), sizeBytes, 1, 0, logEndOffset,
                        logEndOffset));
    }

    /** Node {@code nodeId} no longer answers for its stats. */
    public void silence(int nodeId) {
        silentNodes.add(nodeId);
    }

    /** How many AlterReassignments calls reached the coordinator. */
    public int reassignmentRequests() {
        return reassignmentRequests.get();
    }

    /** Back to node 1 alone: no other nodes, moves, decommissions, replica stats or silent nodes. */
    public synchronized void resetShape() {
        otherNodes.clear();
        moves.clear();
        replicaStats.clear();
        silentNodes.clear();
        decommissioning.clear();
        version++;
    }

    @Override
    public Mono<List<TopicMetadata>> topics() {
        return Mono.fromSupplier(() -> snapshot().topics());
    }

    @Override
    public Mono<TopicMetadata> createTopic(CreateTopicRequest request) {
        return Mono.fromSupplier(() -> {
            if (topics.containsKey(request.name())) {
                throw ErrorCode.TOPIC_ALREADY_EXISTS.exception("Topic '" + request.name() + "' already exists");
            }
            Map<String, String> configs = TopicConfigs.validate(request.configs());
            if (request.validateOnly()) {
                List<PartitionState> partitions = new ArrayList<>();
                for (int p = 0; p < request.partitions(); p++) {
                    partitions.add(new PartitionState(p, List.of(NODE.id()), NODE.id(), List.of(NODE.id()), 0, 0));
                }
                return new TopicMetadata(request.name(), null, 1, configs, partitions);
            }
            return topic(request.name(), request.partitions(), configs);
        });
    }

    @Override
    public Mono<TopicMetadata> describeTopic(String name) {
        return Mono.fromSupplier(() -> known(name));
    }

    @Override
    public Mono<TopicMetadata> alterConfigs(String name, AlterConfigsRequest request) {
        return Mono.fromSupplier(() -> {
            Map<String, String> configs = new HashMap<>(known(name).configs());
            request.delete().forEach(configs::remove);
            configs.putAll(request.set());
            TopicMetadata updated = known(name).withConfigs(TopicConfigs.validate(configs));
            topics.put(name, updated);
            version++;
            return updated;
        });
    }

    @Override
    public Mono<TopicMetadata> addPartitions(String name, AddPartitionsRequest request) {
        return Mono.error(new UnsupportedOperationException("not faked"));
    }

    @Override
    public Mono<Void> deleteTopic(String name) {
        return Mono.fromRunnable(() -> {
            known(name);
            topics.remove(name);
            version++;
        });
    }

    private TopicMetadata known(String name) {
        TopicMetadata topic = topics.get(name);
        if (topic == null) {
            throw ErrorCode.UNKNOWN_TOPIC.exception("Topic '" + name + "' does not exist");
        }
        return topic;
    }

    @Override
    public Mono<CoordinatorStatus> status() {
        return Mono.error(new UnsupportedOperationException("not faked"));
    }

    @Override
    public Mono<RegisterResponse> register(RegisterRequest request) {
        return Mono.error(new UnsupportedOperationException("not faked"));
    }

    @Override
    public Mono<Void> heartbeat(int nodeId) {
        return Mono.error(new UnsupportedOperationException("not faked"));
    }

    @Override
    public Mono<ShutdownResponse> shutdown(int nodeId) {
        return Mono.error(new UnsupportedOperationException("not faked"));
    }

    @Override
    public Mono<Void> reportUnreachable(int nodeId) {
        return Mono.error(new UnsupportedOperationException("not faked"));
    }

    @Override
    public Mono<Void> reportOfflineReplicas(int nodeId, OfflineReplicasRequest request) {
        return Mono.error(new UnsupportedOperationException("not faked"));
    }

    @Override
    public Mono<PartitionState> alterPartition(TopicPartition tp, AlterPartitionRequest request) {
        return Mono.error(new UnsupportedOperationException("not faked"));
    }

    @Override
    public Mono<AlterReassignmentsResponse> alterReassignments(AlterReassignmentsRequest request) {
        return Mono.fromSupplier(() -> {
            reassignmentRequests.incrementAndGet();
            return new AlterReassignmentsResponse(request.partitions().stream().map(this::reassign).toList());
        });
    }

    /** A move as the coordinator takes it, without its checks of the ISR: started, replaced or cancelled at once. */
    private synchronized AlterReassignmentsResponse.Result reassign(AlterReassignmentsRequest.Target target) {
        TopicPartition tp = new TopicPartition(target.topic(), target.partition());
        TopicMetadata topic = topics.get(target.topic());
        if (topic == null || target.partition() >= topic.partitions().size()) {
            ErrorCode code = topic == null ? ErrorCode.UNKNOWN_TOPIC : ErrorCode.UNKNOWN_PARTITION;
            return new AlterReassignmentsResponse.Result(tp.topic(), tp.partition(), code, code.description());
        }
        if (target.replicas() == null) {
            return moves.remove(tp) != null ? new AlterReassignmentsResponse.Result(tp.topic(), tp.partition(), null, null)
                    : new AlterReassignmentsResponse.Result(tp.topic(), tp.partition(),
                            ErrorCode.NO_REASSIGNMENT_IN_PROGRESS, "Nothing moves " + tp.topic() + "-" + tp.partition());
        }
        List<Integer> current = topic.partitions().get(target.partition()).replicas();
        List<Integer> adding = target.replicas().stream().filter(node -> !current.contains(node)).toList();
        List<Integer> removing = current.stream().filter(node -> !target.replicas().contains(node)).toList();
        if (adding.isEmpty() && removing.isEmpty()) {
            moves.remove(tp);
        } else {
            List<Integer> replicas = new ArrayList<>(target.replicas());
            replicas.addAll(removing);
            moves.put(tp, new ReassignmentListing.Ongoing(tp.topic(), tp.partition(), replicas, adding, removing));
        }
        return new AlterReassignmentsResponse.Result(tp.topic(), tp.partition(), null, null);
    }

    @Override
    public Mono<ReassignmentListing> listReassignments() {
        return Mono.fromSupplier(() -> new ReassignmentListing(List.copyOf(moves.values())));
    }

    /** The planner is the coordinator's; its tests and the real-process ones cover proposals. */
    @Override
    public Mono<ReassignmentProposal> proposeReassignment(ReassignmentProposal.Request request) {
        return Mono.error(new UnsupportedOperationException("proposals are the coordinator's"));
    }

    @Override
    public Mono<DecommissionListing.Progress> decommission(int nodeId) {
        return Mono.fromSupplier(() -> {
            if (registered().stream().noneMatch(node -> node.id() == nodeId)) {
                throw ErrorCode.UNKNOWN_NODE.exception("Node " + nodeId + " is not registered");
            }
            decommissioning.add(nodeId);
            return progress(nodeId);
        });
    }

    @Override
    public Mono<Void> cancelDecommission(int nodeId) {
        return Mono.fromRunnable(() -> {
            if (registered().stream().noneMatch(node -> node.id() == nodeId)) {
                throw ErrorCode.UNKNOWN_NODE.exception("Node " + nodeId + " is not registered");
            }
            decommissioning.remove(nodeId);
        });
    }

    @Override
    public Mono<NodeInfo> setMoveThrottle(int nodeId, Long bytesPerSecond) {
        return Mono.fromSupplier(() -> {
            synchronized (this) {
                NodeInfo node = nodeId == NODE.id() ? null : otherNodes.get(nodeId);
                if (node == null) {
                    throw ErrorCode.UNKNOWN_NODE.exception("Node " + nodeId + " is not registered here");
                }
                NodeInfo throttled = node.withMoveThrottle(bytesPerSecond);
                otherNodes.put(nodeId, throttled);
                version++;
                return throttled;
            }
        });
    }

    @Override
    public Mono<DecommissionListing> decommissions() {
        return Mono.fromSupplier(() -> new DecommissionListing(decommissioning.stream().map(this::progress).toList()));
    }

    /** A decommission's progress: the partitions with a replica on the node, those moving off it. */
    private DecommissionListing.Progress progress(int nodeId) {
        int held = (int) topics.values().stream().flatMap(topic -> topic.partitions().stream())
                .filter(partition -> partition.replicas().contains(nodeId)).count();
        int movingOff = (int) moves.values().stream().filter(move -> move.removingReplicas().contains(nodeId)).count();
        return new DecommissionListing.Progress(nodeId, NodeStatus.ALIVE, held, movingOff, held == 0);
    }

    @Override
    public Mono<ElectLeadersResponse> electLeaders(ElectLeadersRequest request) {
        return Mono.error(new UnsupportedOperationException("not faked"));
    }

    @Override
    public Mono<ElectionResult> electPreferredLeaders(String topicOrNull) {
        return Mono.error(new UnsupportedOperationException("not faked"));
    }

    @Override
    public Mono<GroupHeartbeatResponse> groupHeartbeat(String groupId, GroupHeartbeatRequest request) {
        return Mono.error(new UnsupportedOperationException("not faked"));
    }

    @Override
    public Mono<GroupOffsets> commitOffsets(String groupId, OffsetCommitRequest request) {
        return Mono.error(new UnsupportedOperationException("not faked"));
    }

    @Override
    public Mono<GroupOffsets> committedOffsets(String groupId) {
        return Mono.error(new UnsupportedOperationException("not faked"));
    }

    @Override
    public Mono<List<GroupListing>> groups() {
        return Mono.error(new UnsupportedOperationException("not faked"));
    }

    @Override
    public Mono<StreamsHeartbeatResponse> streamsGroupHeartbeat(String groupId, StreamsHeartbeatRequest request) {
        return Mono.error(new UnsupportedOperationException("not faked"));
    }

    @Override
    public Mono<Void> updateStreamsTopologyDescription(String groupId, StreamsTopologyDescriptionUpdate update) {
        return Mono.error(new UnsupportedOperationException("not faked"));
    }

    @Override
    public Mono<StreamsGroupDescription> describeStreamsGroup(String groupId) {
        return Mono.error(new UnsupportedOperationException("not faked"));
    }

    @Override
    public Mono<GroupDescription> describeGroup(String groupId) {
        return Mono.error(new UnsupportedOperationException("not faked"));
    }

    @Override
    public Mono<Void> deleteGroup(String groupId) {
        return Mono.error(new UnsupportedOperationException("not faked"));
    }

    @Override
    public Mono<Void> deleteGroupOffsets(String groupId, String topic, List<Integer> partitions) {
        return Mono.error(new UnsupportedOperationException("not faked"));
    }

    @Override
    public Mono<OffsetResetResponse> resetOffsets(String groupId, OffsetResetRequest request) {
        return Mono.error(new UnsupportedOperationException("not faked"));
    }

    // ------------------------------------------------------------------------------------ partition leader

    @Override
    public Mono<ProduceResponse> produce(NodeInfo leader, List<PartitionBatches> batches, Acks acks, Duration timeout) {
        Mono<Void> gate = Mono.empty();
        for (String topic : batches.stream().map(b -> b.partition().topic()).distinct().toList()) {
            produceRequests.computeIfAbsent(topic, t -> new AtomicInteger()).incrementAndGet();
            Sinks.Empty<Void> held = heldProduces.get(topic);
            if (held != null) {
                gate = held.asMono();
            }
        }
        return gate.then(Mono.fromSupplier(() -> {
            List<ProduceResponse.PartitionResult> results = new ArrayList<>();
            for (PartitionBatches partition : batches) {
                ErrorCode failure = produceFailures.get(partition.partition());
                Optional<ErrorCode> later = failure == null ? null : laterProduceFailures.remove(partition.partition());
                if (later != null) {
                    later.ifPresentOrElse(code -> produceFailures.put(partition.partition(), code),
                            () -> produceFailures.remove(partition.partition()));
                }
                results.add(failure != null
                        ? new ProduceResponse.PartitionResult(partition.partition().topic(),
                                partition.partition().partition(), failure, failure.description(), null, null,
                                null, null)
                        : append(partition.partition(), partition.batches()));
            }
            batches.forEach(partition -> appended.emitNext(partition.partition(),
                    Sinks.EmitFailureHandler.busyLooping(Duration.ofSeconds(5))));
            return new ProduceResponse(results);
        }));
    }

    private synchronized ProduceResponse.PartitionResult append(TopicPartition tp, ByteBuffer batches) {
        List<RecordBatch> log = logs.get(tp);
        long base = end(log);
        long next = base;
        for (RecordBatch batch : BufferBatchIterator.batches(batches)) {
            ByteBuffer copy = ByteBuffer.allocate(batch.sizeInBytes()).put(batch.buffer().duplicate()).flip();
            RecordBatch stored = RecordBatch.readFrom(copy);
            stored.setBaseOffset(next);
            next = stored.nextOffset();
            log.add(stored);
        }
        return new ProduceResponse.PartitionResult(tp.topic(), tp.partition(), null, null, base, next - 1, null, 0L);
    }

    @Override
    public Mono<List<FetchedPartition>> fetch(NodeInfo leader, FetchRequest request) {
        FetchRequest.Partition wanted = request.partitions().getFirst();
        TopicPartition tp = new TopicPartition(wanted.topic(), wanted.partition());
        Mono<List<FetchedPartition>> now = Mono.fromSupplier(() -> List.of(read(tp, wanted.fetchOffset(),
                wanted.maxBytes() == null ? Integer.MAX_VALUE : wanted.maxBytes())));
        long wait = request.maxWaitMs() == null ? 0 : request.maxWaitMs();
        return Mono.defer(() -> {
            fetches.computeIfAbsent(tp, key -> new AtomicLong()).incrementAndGet();
            // Listening before reading: an append between the two still wakes this fetch.
            CompletableFuture<TopicPartition> woken = appended.asFlux().filter(tp::equals).next().toFuture();
            return now.flatMap(sections -> {
                if (sections.getFirst().records().hasRemaining() || wait == 0 || sections.getFirst().error() != null) {
                    woken.cancel(false);
                    return Mono.just(sections);
                }
                return Mono.fromFuture(woken).publishOn(Schedulers.parallel())
                        .timeout(Duration.ofMillis(wait), Mono.just(tp)).then(now);
            });
        });
    }

    private synchronized FetchedPartition read(TopicPartition tp, long offset, int maxBytes) {
        List<RecordBatch> log = logs.get(tp);
        if (log == null) {
            return new FetchedPartition(tp, ErrorCode.UNKNOWN_PARTITION, -1, -1, -1, ByteBuffer.allocate(0));
        }
        long end = end(log);
        long start = logStarts.getOrDefault(tp, 0L);
        if (offset < start || offset > end) {
            return new FetchedPartition(tp, ErrorCode.OFFSET_OUT_OF_RANGE, end, start, end, ByteBuffer.allocate(0));
        }
        List<ByteBuffer> out = new ArrayList<>();
        int size = 0;
        for (RecordBatch batch : log) {
            if (batch.lastOffset() < offset) {
                continue;
            }
            if (!out.isEmpty() && size + batch.sizeInBytes() > maxBytes) {
                break; // as a leader does: the batches answered are contiguous
            }
            out.add(batch.buffer().duplicate());
            size += batch.sizeInBytes();
        }
        ByteBuffer records = ByteBuffer.allocate(size);
        out.forEach(records::put);
        return new FetchedPartition(tp, null, end, start, end, records.flip());
    }

    @Override
    public Mono<ListOffsetsResponse> listOffsets(NodeInfo leader, ListOffsetsRequest request) {
        return Mono.fromSupplier(() -> new ListOffsetsResponse(request.partitions().stream().map(this::offset).toList()));
    }

    @Override
    public Mono<DeleteRecordsResponse> deleteRecords(NodeInfo leader, DeleteRecordsRequest request) {
        return Mono.fromSupplier(() -> new DeleteRecordsResponse(request.partitions().stream()
                .map(this::deleteRecords).toList()));
    }

    /** The fake keeps no producer state: every partition it leads answers with no producers. */
    @Override
    public Mono<DescribeProducersResponse> describeProducers(NodeInfo leader, DescribeProducersRequest request) {
        return Mono.fromSupplier(() -> new DescribeProducersResponse(request.partitions().stream()
                .map(asked -> new DescribeProducersResponse.Partition(asked.topic(), asked.partition(), null, null,
                        List.of()))
                .toList()));
    }

    /** As the leader does, with no followers to wait for: the low watermark is the log start. */
    private synchronized DeleteRecordsResponse.Partition deleteRecords(DeleteRecordsRequest.Partition asked) {
        TopicPartition tp = new TopicPartition(asked.topic(), asked.partition());
        long end = end(logs.getOrDefault(tp, List.of()));
        long offset = asked.offset() == DeleteRecordsRequest.HIGH_WATERMARK ? end : asked.offset();
        if (offset < 0 || offset > end) {
            return new DeleteRecordsResponse.Partition(tp.topic(), tp.partition(), ErrorCode.OFFSET_OUT_OF_RANGE,
                    "offset " + asked.offset() + " is above the high watermark " + end, null);
        }
        long start = logStarts.merge(tp, offset, Math::max);
        return new DeleteRecordsResponse.Partition(tp.topic(), tp.partition(), null, null, start);
    }

    private synchronized ListOffsetsResponse.Partition offset(ListOffsetsRequest.Partition wanted) {
        List<RecordBatch> log = logs.get(new TopicPartition(wanted.topic(), wanted.partition()));
        if (wanted.timestamp() == ListOffsetsRequest.EARLIEST) {
            return new ListOffsetsResponse.Partition(wanted.topic(), wanted.partition(), null, null,
                    logStarts.getOrDefault(new TopicPartition(wanted.topic(), wanted.partition()), 0L), null);
        }
        if (wanted.timestamp() == ListOffsetsRequest.LATEST) {
            return new ListOffsetsResponse.Partition(wanted.topic(), wanted.partition(), null, null, end(log), null);
        }
        for (RecordBatch batch : log) {
            for (Record record : batch.records()) {
                if (record.timestamp() >= wanted.timestamp()) {
                    return new ListOffsetsResponse.Partition(wanted.topic(), wanted.partition(), null, null,
                            record.offset(), record.timestamp());
                }
            }
        }
        return new ListOffsetsResponse.Partition(wanted.topic(), wanted.partition(), null, null, -1L, null);
    }

    /**
     * Node 1 holds every partition: each log's bytes are its batches' sizes; other nodes hold what {@link #replica}
     * gave them; nothing is measured as throughput.
     */
    @Override
    public synchronized Mono<NodeStats> nodeStats(NodeInfo node) {
        if (silentNodes.contains(node.id())) {
            return Mono.error(new IllegalStateException("node " + node.id() + " is silenced"));
        }
        Map<TopicPartition, NodeStats.Replica> replicas = new HashMap<>();
        if (node.id() == NODE.id()) {
            logs.forEach((tp, log) -> replicas.put(tp, new NodeStats.Replica(tp.topic(), tp.partition(), true,
                    log.stream().mapToLong(RecordBatch::sizeInBytes).sum(), 1, 0, end(log), end(log))));
        }
        replicas.putAll(replicaStats.getOrDefault(node.id(), Map.of()));
        return Mono.just(new NodeStats(node.id(), List.copyOf(replicas.values()), NodeStats.Throughput.NONE));
    }

    private static long end(List<RecordBatch> log) {
        return log.isEmpty() ? 0 : log.getLast().nextOffset();
    }

    @Override
    public Mono<AclSnapshot> acls() {
        return Mono.fromCallable(() -> new AclSnapshot(aclVersion.get(), List.copyOf(acls.values())));
    }

    @Override
    public Mono<AclBinding> createAcl(AclBinding acl) {
        return Mono.fromCallable(() -> {
            acls.put(acl.validated().key(), acl);
            aclVersion.incrementAndGet();
            return acl;
        });
    }

    @Override
    public Mono<List<AclBinding>> deleteAcls(AclBindingFilter filter) {
        return Mono.fromCallable(() -> {
            List<AclBinding> deleted = acls.values().stream().filter(filter::matches).toList();
            deleted.forEach(acl -> acls.remove(acl.key()));
            aclVersion.incrementAndGet();
            return deleted;
        });
    }

    @Override
    public Mono<QuotaSnapshot> quotas() {
        return Mono.fromCallable(() -> {
            synchronized (quotas) {
                return new QuotaSnapshot(quotaVersion, quotas.entrySet().stream()
                        .map(entry -> new QuotaEntry(entry.getKey(), entry.getValue())).toList());
            }
        });
    }

    @Override
    public Mono<BrokerConfigSnapshot> brokerConfigs() {
        return Mono.fromCallable(() -> {
            synchronized (brokerConfigs) {
                return BrokerConfigSnapshot.of(brokerConfigVersion, brokerConfigs);
            }
        });
    }

    @Override
    public Mono<BrokerConfigSnapshot> alterBrokerConfigs(BrokerConfigChange change) {
        return Mono.fromCallable(() -> {
            synchronized (brokerConfigs) {
                Map<String, String> after = change.applyTo(brokerConfigs);
                if (change.validateOnly()) {
                    return BrokerConfigSnapshot.of(brokerConfigVersion, after);
                }
                brokerConfigs.clear();
                brokerConfigs.putAll(after);
                return BrokerConfigSnapshot.of(++brokerConfigVersion, after);
            }
        });
    }

    @Override
    public Mono<ScramSnapshot> scramCredentials() {
        return Mono.fromCallable(() -> {
            synchronized (scram) {
                return new ScramSnapshot(scramVersion.get(), List.copyOf(scram.values()));
            }
        });
    }

    @Override
    public Mono<QuotaSnapshot> alterQuotas(List<QuotaAlteration> alterations) {
        return Mono.fromCallable(() -> {
            alterations.forEach(QuotaAlteration::validated);
            synchronized (quotas) {
                alterations.forEach(alteration -> alteration.applyTo(quotas));
                quotaVersion++;
            }
            return null;
        }).then(quotas());
    }

    @Override
    public Mono<ScramSnapshot> alterScramCredentials(ScramChange change) {
        return Mono.fromCallable(() -> {
            change.validated();
            synchronized (scram) {
                for (ScramCredentialId id : change.deletions()) {
                    if (!scram.containsKey(id)) {
                        throw ErrorCode.UNKNOWN_CREDENTIAL.exception("No such credential: " + id);
                    }
                }
                change.upsertions().forEach(c -> scram.put(c.id(), c));
                change.deletions().forEach(scram::remove);
                return new ScramSnapshot(scramVersion.incrementAndGet(), List.copyOf(scram.values()));
            }
        });
    }
}

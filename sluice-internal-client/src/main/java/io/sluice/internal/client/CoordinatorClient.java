package io.sluice.internal.client;

import io.github.resilience4j.reactor.retry.RetryOperator;
import io.github.resilience4j.retry.Retry;
import io.netty.handler.codec.http.HttpMethod;
import io.sluice.internal.acl.AclApi;
import io.sluice.internal.acl.AclBinding;
import io.sluice.internal.acl.AclBindingFilter;
import io.sluice.internal.acl.AclPaths;
import io.sluice.internal.acl.AclSnapshot;
import io.sluice.internal.scram.ScramApi;
import io.sluice.internal.scram.ScramChange;
import io.sluice.internal.scram.ScramPaths;
import io.sluice.internal.scram.ScramSnapshot;
import io.sluice.internal.broker.BrokerAnnouncement;
import io.sluice.internal.broker.BrokerApi;
import io.sluice.internal.broker.BrokerEndpoint;
import io.sluice.internal.broker.BrokerPaths;
import io.sluice.internal.classic.ClassicGroupApi;
import io.sluice.internal.classic.ClassicGroupDescription;
import io.sluice.internal.classic.ClassicGroupPaths;
import io.sluice.internal.classic.ClassicHeartbeatRequest;
import io.sluice.internal.classic.ClassicJoinRequest;
import io.sluice.internal.classic.ClassicJoinResponse;
import io.sluice.internal.classic.ClassicLeaveRequest;
import io.sluice.internal.classic.ClassicSyncRequest;
import io.sluice.internal.classic.ClassicSyncResponse;
import io.sluice.internal.coordinator.AddPartitionsRequest;
import io.sluice.internal.coordinator.AlterConfigsRequest;
import io.sluice.internal.coordinator.AlterPartitionRequest;
import io.sluice.internal.coordinator.AlterReassignmentsRequest;
import io.sluice.internal.coordinator.AlterReassignmentsResponse;
import io.sluice.internal.coordinator.CoordinatorApi;
import io.sluice.internal.coordinator.CoordinatorPaths;
import io.sluice.internal.coordinator.CoordinatorStatus;
import io.sluice.internal.coordinator.CreateTopicRequest;
import io.sluice.internal.coordinator.DecommissionListing;
import io.sluice.internal.coordinator.ElectLeadersRequest;
import io.sluice.internal.coordinator.ElectLeadersResponse;
import io.sluice.internal.coordinator.ElectionResult;
import io.sluice.internal.coordinator.MoveThrottleRequest;
import io.sluice.internal.coordinator.OfflineReplicasRequest;
import io.sluice.internal.coordinator.ReassignmentListing;
import io.sluice.internal.coordinator.ReassignmentProposal;
import io.sluice.internal.coordinator.RegisterRequest;
import io.sluice.internal.coordinator.RegisterResponse;
import io.sluice.internal.coordinator.ShutdownResponse;
import io.sluice.internal.group.GroupDescription;
import io.sluice.internal.group.GroupHeartbeatRequest;
import io.sluice.internal.group.GroupHeartbeatResponse;
import io.sluice.internal.group.GroupListing;
import io.sluice.internal.group.GroupOffsets;
import io.sluice.internal.group.GroupPaths;
import io.sluice.internal.group.OffsetCommitRequest;
import io.sluice.internal.group.OffsetResetRequest;
import io.sluice.internal.group.OffsetResetResponse;
import io.sluice.internal.metadata.MetadataUpdate;
import io.sluice.internal.metadata.NodeInfo;
import io.sluice.internal.metadata.PartitionState;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.internal.producer.IdempotenceApi;
import io.sluice.internal.producer.IdempotencyClaim;
import io.sluice.internal.producer.IdempotencyClaimRequest;
import io.sluice.internal.producer.IdempotencyReleaseRequest;
import io.sluice.internal.producer.ProducerIdBlock;
import io.sluice.internal.producer.ProducerIdsRequest;
import io.sluice.internal.producer.ProducerPaths;
import io.sluice.internal.brokerconfig.BrokerConfigApi;
import io.sluice.internal.brokerconfig.BrokerConfigChange;
import io.sluice.internal.brokerconfig.BrokerConfigPaths;
import io.sluice.internal.brokerconfig.BrokerConfigSnapshot;
import io.sluice.internal.quota.QuotaAlteration;
import io.sluice.internal.quota.QuotaApi;
import io.sluice.internal.quota.QuotaPaths;
import io.sluice.internal.quota.QuotaSnapshot;
import io.sluice.internal.registry.RegistryPaths;
import io.sluice.internal.registry.RegistryRequests;
import io.sluice.internal.registry.RegistryState;
import io.sluice.internal.registry.ResolvedSchema;
import io.sluice.internal.registry.SchemaDefinition;
import io.sluice.internal.registry.SchemaRegistryApi;
import io.sluice.internal.remote.RemoteLog;
import io.sluice.internal.remote.RemoteLogApi;
import io.sluice.internal.remote.RemoteLogPaths;
import io.sluice.internal.remote.RemoteLogStart;
import io.sluice.internal.remote.RemoteSegment;
import io.sluice.internal.share.ShareAcknowledgeRequest;
import io.sluice.internal.share.ShareAcknowledgeResponse;
import io.sluice.internal.share.ShareAcquireRequest;
import io.sluice.internal.share.ShareAcquireResponse;
import io.sluice.internal.share.ShareGroupApi;
import io.sluice.internal.share.ShareGroupConfigChange;
import io.sluice.internal.share.ShareGroupConfigList;
import io.sluice.internal.share.ShareGroupDescription;
import io.sluice.internal.share.ShareGroupListing;
import io.sluice.internal.share.ShareGroupMembers;
import io.sluice.internal.share.ShareHeartbeatRequest;
import io.sluice.internal.share.ShareHeartbeatResponse;
import io.sluice.internal.share.ShareHeldRequest;
import io.sluice.internal.share.ShareHeldResponse;
import io.sluice.internal.share.ShareOffsetsDeleteRequest;
import io.sluice.internal.share.ShareOffsetsDeleteResponse;
import io.sluice.internal.share.SharePaths;
import io.sluice.internal.share.ShareReleaseRequest;
import io.sluice.internal.share.ShareReleaseResponse;
import io.sluice.internal.share.ShareResetRequest;
import io.sluice.internal.share.ShareResetResponse;
import io.sluice.internal.streams.StreamsGroupDescription;
import io.sluice.internal.streams.StreamsHeartbeatRequest;
import io.sluice.internal.streams.StreamsHeartbeatResponse;
import io.sluice.internal.streams.StreamsTopologyDescriptionUpdate;
import io.sluice.internal.txn.TransactionApi;
import io.sluice.internal.txn.TransactionDescription;
import io.sluice.internal.txn.TransactionPaths;
import io.sluice.internal.txn.TxnDescribeRequest;
import io.sluice.internal.txn.TxnEndRequest;
import io.sluice.internal.txn.TxnGroupRequest;
import io.sluice.internal.txn.TxnInitRequest;
import io.sluice.internal.txn.TxnOffsetCommitRequest;
import io.sluice.internal.txn.TxnPartitionsRequest;
import io.sluice.internal.txn.TxnProducer;
import io.sluice.internal.txn.TxnSequences;
import io.sluice.internal.txn.TxnVerifyRequest;
import io.sluice.internal.txn.TxnVerifyResponse;
import io.sluice.internal.txn.TxnWriteConfirmation;
import io.sluice.internal.txn.TxnWriteRequest;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import io.sluice.protocol.TopicPartition;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import reactor.core.publisher.Mono;

/**
 * {@link CoordinatorApi} (and the ACLs' {@link AclApi}, the client quotas' {@link QuotaApi}, the cluster-wide broker
 * configs' {@link BrokerConfigApi}, SCRAM credentials'
 * {@link ScramApi}, {@link IdempotenceApi}, share groups' {@link ShareGroupApi}, the
 * schema registry's {@link SchemaRegistryApi}, tiered storage's {@link RemoteLogApi}) over HTTP, given the URL of
 * every coordinator instance. Only the active instance answers:
 * a standby redirects (307) to the active one, which is followed; an instance that is unreachable, timed out or has
 * no active coordinator to name is skipped for the next URL, and the client remembers which URL last answered. When
 * no instance could take the call (during a coordinator failover), the whole round is retried with backoff — that
 * answer means nothing was done, so it is safe for writes too.
 *
 * <p>Thread-safe. Answers arrive on a Netty event loop.
 */
public final class CoordinatorClient implements CoordinatorApi, AclApi, QuotaApi, BrokerConfigApi, ScramApi,
        IdempotenceApi, BrokerApi, ClassicGroupApi, TransactionApi, ShareGroupApi, SchemaRegistryApi, RemoteLogApi {

    private static final Set<ErrorCode> TRY_ANOTHER = Set.of(ErrorCode.COORDINATOR_NOT_AVAILABLE,
            ErrorCode.NOT_ACTIVE_COORDINATOR, ErrorCode.REQUEST_TIMED_OUT);

    private final InternalHttp http;
    private final List<URI> urls;
    private final Retry rounds;
    private volatile int preferred;

    public CoordinatorClient(InternalHttp http, List<URI> urls) {
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("at least one coordinator URL is needed");
        }
        this.http = http;
        this.urls = List.copyOf(urls);
        this.rounds = http.retry("coordinator-failover", http.settings().retryBackoff().multipliedBy(4),
                e -> e instanceof SluiceException s && (s.errorCode() == ErrorCode.COORDINATOR_NOT_AVAILABLE
                        || s.errorCode() == ErrorCode.NOT_ACTIVE_COORDINATOR));
    }

    public List<URI> urls() {
        return urls;
    }

    @Override
    public Mono<CoordinatorStatus> status() {
        return get(CoordinatorPaths.STATUS, CoordinatorStatus.class);
    }

    @Override
    public Mono<RegisterResponse> register(RegisterRequest request) {
        return post(CoordinatorPaths.NODES, request, RegisterResponse.class);
    }

    @Override
    public Mono<Void> heartbeat(int nodeId) {
        return call(HttpMethod.POST, CoordinatorPaths.heartbeat(nodeId), null, timeout(), (target, body) -> null).then();
    }

    @Override
    public Mono<Void> reportUnreachable(int nodeId) {
        return call(HttpMethod.POST, CoordinatorPaths.unreachable(nodeId), null, timeout(), (target, body) -> null).then();
    }

    @Override
    public Mono<Void> reportOfflineReplicas(int nodeId, OfflineReplicasRequest request) {
        return call(HttpMethod.POST, CoordinatorPaths.offlineReplicas(nodeId), request, timeout(), (target, body) -> null)
                .then();
    }

    @Override
    public Mono<ShutdownResponse> shutdown(int nodeId) {
        return post(CoordinatorPaths.shutdown(nodeId), null, ShutdownResponse.class);
    }

    @Override
    public Mono<List<NodeInfo>> nodes() {
        return call(HttpMethod.GET, CoordinatorPaths.NODES, null, timeout(),
                (target, body) -> JsonBodies.readList(target, body, NodeInfo.class));
    }

    @Override
    public Mono<List<TopicMetadata>> topics() {
        return call(HttpMethod.GET, CoordinatorPaths.TOPICS, null, timeout(),
                (target, body) -> JsonBodies.readList(target, body, TopicMetadata.class));
    }

    @Override
    public Mono<TopicMetadata> createTopic(CreateTopicRequest request) {
        return post(CoordinatorPaths.TOPICS, request, TopicMetadata.class);
    }

    @Override
    public Mono<TopicMetadata> describeTopic(String name) {
        return Mono.defer(() -> get(CoordinatorPaths.topic(name), TopicMetadata.class));
    }

    @Override
    public Mono<TopicMetadata> alterConfigs(String name, AlterConfigsRequest request) {
        return Mono.defer(() -> call(HttpMethod.PATCH, CoordinatorPaths.topicConfigs(name), request, timeout(),
                (target, body) -> JsonBodies.read(target, body, TopicMetadata.class)));
    }

    @Override
    public Mono<TopicMetadata> addPartitions(String name, AddPartitionsRequest request) {
        return Mono.defer(() -> post(CoordinatorPaths.topicPartitions(name), request, TopicMetadata.class));
    }

    @Override
    public Mono<Void> deleteTopic(String name) {
        return Mono.defer(() -> call(HttpMethod.DELETE, CoordinatorPaths.topic(name), null, timeout(),
                (target, body) -> null)).then();
    }

    @Override
    public Mono<PartitionState> alterPartition(TopicPartition tp, AlterPartitionRequest request) {
        return Mono.defer(() -> post(CoordinatorPaths.partitionIsr(tp), request, PartitionState.class));
    }

    @Override
    public Mono<ElectionResult> electPreferredLeaders(String topicOrNull) {
        return Mono.defer(() -> post(CoordinatorPaths.preferredElection(topicOrNull), null, ElectionResult.class));
    }

    @Override
    public Mono<ElectLeadersResponse> electLeaders(ElectLeadersRequest request) {
        return post(CoordinatorPaths.ELECTIONS, request, ElectLeadersResponse.class);
    }

    @Override
    public Mono<AlterReassignmentsResponse> alterReassignments(AlterReassignmentsRequest request) {
        return post(CoordinatorPaths.REASSIGNMENTS, request, AlterReassignmentsResponse.class);
    }

    @Override
    public Mono<ReassignmentListing> listReassignments() {
        return get(CoordinatorPaths.REASSIGNMENTS, ReassignmentListing.class);
    }

    @Override
    public Mono<ReassignmentProposal> proposeReassignment(ReassignmentProposal.Request request) {
        return post(CoordinatorPaths.REASSIGNMENT_PROPOSAL, request, ReassignmentProposal.class);
    }

    @Override
    public Mono<DecommissionListing.Progress> decommission(int nodeId) {
        return post(CoordinatorPaths.decommission(nodeId), null, DecommissionListing.Progress.class);
    }

    @Override
    public Mono<Void> cancelDecommission(int nodeId) {
        return call(HttpMethod.DELETE, CoordinatorPaths.decommission(nodeId), null, timeout(),
                (target, body) -> null).then();
    }

    @Override
    public Mono<NodeInfo> setMoveThrottle(int nodeId, Long bytesPerSecond) {
        return call(bytesPerSecond == null ? HttpMethod.DELETE : HttpMethod.PUT, CoordinatorPaths.moveThrottle(nodeId),
                bytesPerSecond == null ? null : new MoveThrottleRequest(bytesPerSecond), timeout(),
                (target, body) -> JsonBodies.read(target, body, NodeInfo.class));
    }

    @Override
    public Mono<DecommissionListing> decommissions() {
        return get(CoordinatorPaths.DECOMMISSIONS, DecommissionListing.class);
    }

    @Override
    public Mono<MetadataUpdate> metadataSince(long version, Duration wait) {
        return call(HttpMethod.GET, CoordinatorPaths.metadata(version, wait.toMillis()), null,
                wait.plus(http.settings().longPollGrace()),
                (target, body) -> JsonBodies.read(target, body, MetadataUpdate.class));
    }

    @Override
    public Mono<GroupHeartbeatResponse> groupHeartbeat(String groupId, GroupHeartbeatRequest request) {
        return Mono.defer(() -> post(GroupPaths.heartbeat(groupId), request, GroupHeartbeatResponse.class));
    }

    @Override
    public Mono<StreamsHeartbeatResponse> streamsGroupHeartbeat(String groupId, StreamsHeartbeatRequest request) {
        return Mono.defer(() -> post(GroupPaths.streamsHeartbeat(groupId), request, StreamsHeartbeatResponse.class));
    }

    @Override
    public Mono<Void> updateStreamsTopologyDescription(String groupId, StreamsTopologyDescriptionUpdate update) {
        return Mono.defer(() -> call(HttpMethod.POST, GroupPaths.streamsTopologyDescription(groupId), update, timeout(),
                (target, body) -> null)).then();
    }

    @Override
    public Mono<StreamsGroupDescription> describeStreamsGroup(String groupId) {
        return Mono.defer(() -> get(GroupPaths.streamsGroup(groupId), StreamsGroupDescription.class));
    }

    @Override
    public Mono<GroupOffsets> commitOffsets(String groupId, OffsetCommitRequest request) {
        return Mono.defer(() -> post(GroupPaths.offsets(groupId), request, GroupOffsets.class));
    }

    @Override
    public Mono<GroupOffsets> committedOffsets(String groupId) {
        return Mono.defer(() -> get(GroupPaths.offsets(groupId), GroupOffsets.class));
    }

    @Override
    public Mono<List<GroupListing>> groups() {
        return call(HttpMethod.GET, GroupPaths.GROUPS, null, timeout(),
                (target, body) -> JsonBodies.readList(target, body, GroupListing.class));
    }

    @Override
    public Mono<GroupDescription> describeGroup(String groupId) {
        return Mono.defer(() -> get(GroupPaths.group(groupId), GroupDescription.class));
    }

    @Override
    public Mono<Void> deleteGroup(String groupId) {
        return Mono.defer(() -> call(HttpMethod.DELETE, GroupPaths.group(groupId), null, timeout(),
                (target, body) -> null)).then();
    }

    @Override
    public Mono<Void> deleteGroupOffsets(String groupId, String topic, List<Integer> partitions) {
        return Mono.defer(() -> call(HttpMethod.DELETE, GroupPaths.topicOffsets(groupId, topic, partitions), null,
                timeout(), (target, body) -> null)).then();
    }

    @Override
    public Mono<OffsetResetResponse> resetOffsets(String groupId, OffsetResetRequest request) {
        return Mono.defer(() -> post(GroupPaths.offsetReset(groupId), request, OffsetResetResponse.class));
    }

    @Override
    public Mono<AclSnapshot> acls() {
        return get(AclPaths.ACLS, AclSnapshot.class);
    }

    @Override
    public Mono<AclBinding> createAcl(AclBinding acl) {
        return post(AclPaths.ACLS, acl, AclBinding.class);
    }

    @Override
    public Mono<List<AclBinding>> deleteAcls(AclBindingFilter filter) {
        return call(HttpMethod.POST, AclPaths.DELETE, filter, timeout(),
                (target, body) -> JsonBodies.readList(target, body, AclBinding.class));
    }

    @Override
    public Mono<QuotaSnapshot> quotas() {
        return get(QuotaPaths.QUOTAS, QuotaSnapshot.class);
    }

    @Override
    public Mono<QuotaSnapshot> alterQuotas(List<QuotaAlteration> alterations) {
        return post(QuotaPaths.ALTER, alterations, QuotaSnapshot.class);
    }

    @Override
    public Mono<BrokerConfigSnapshot> brokerConfigs() {
        return get(BrokerConfigPaths.CONFIGS, BrokerConfigSnapshot.class);
    }

    @Override
    public Mono<BrokerConfigSnapshot> alterBrokerConfigs(BrokerConfigChange change) {
        return post(BrokerConfigPaths.ALTER, change, BrokerConfigSnapshot.class);
    }

    @Override
    public Mono<ScramSnapshot> scramCredentials() {
        return get(ScramPaths.CREDENTIALS, ScramSnapshot.class);
    }

    @Override
    public Mono<ScramSnapshot> alterScramCredentials(ScramChange change) {
        return post(ScramPaths.CREDENTIALS, change, ScramSnapshot.class);
    }

    @Override
    public Mono<ProducerIdBlock> allocateProducerIds(int count) {
        return post(ProducerPaths.PRODUCER_IDS, new ProducerIdsRequest(count), ProducerIdBlock.class);
    }

    @Override
    public Mono<IdempotencyClaim> claimIdempotencyKey(IdempotencyClaimRequest request) {
        return post(ProducerPaths.IDEMPOTENCY_CLAIMS, request, IdempotencyClaim.class);
    }

    @Override
    public Mono<Void> releaseIdempotencyKey(IdempotencyReleaseRequest request) {
        return call(HttpMethod.POST, ProducerPaths.IDEMPOTENCY_RELEASES, request, timeout(), (target, body) -> null)
                .then();
    }

    @Override
    public Mono<List<BrokerEndpoint>> announce(BrokerAnnouncement announcement) {
        return call(HttpMethod.POST, BrokerPaths.BROKERS, announcement, timeout(),
                (target, body) -> JsonBodies.readList(target, body, BrokerEndpoint.class));
    }

    @Override
    public Mono<List<BrokerEndpoint>> brokers() {
        return call(HttpMethod.GET, BrokerPaths.BROKERS, null, timeout(),
                (target, body) -> JsonBodies.readList(target, body, BrokerEndpoint.class));
    }

    @Override
    public Mono<ClassicJoinResponse> join(String groupId, ClassicJoinRequest request, Duration wait) {
        return call(HttpMethod.POST, ClassicGroupPaths.group(groupId) + "/join", request, wait,
                (target, body) -> JsonBodies.read(target, body, ClassicJoinResponse.class));
    }

    @Override
    public Mono<ClassicSyncResponse> sync(String groupId, ClassicSyncRequest request, Duration wait) {
        return call(HttpMethod.POST, ClassicGroupPaths.group(groupId) + "/sync", request, wait,
                (target, body) -> JsonBodies.read(target, body, ClassicSyncResponse.class));
    }

    @Override
    public Mono<Void> heartbeat(String groupId, ClassicHeartbeatRequest request) {
        return call(HttpMethod.POST, ClassicGroupPaths.group(groupId) + "/heartbeat", request, timeout(),
                (target, body) -> null).then();
    }

    @Override
    public Mono<Void> leave(String groupId, ClassicLeaveRequest request) {
        return call(HttpMethod.POST, ClassicGroupPaths.group(groupId) + "/leave", request, timeout(),
                (target, body) -> null).then();
    }

    @Override
    public Mono<ClassicGroupDescription> describe(String groupId) {
        return get(ClassicGroupPaths.group(groupId), ClassicGroupDescription.class);
    }

    @Override
    public Mono<List<ClassicGroupDescription>> classicGroups() {
        return call(HttpMethod.GET, ClassicGroupPaths.GROUPS, null, timeout(),
                (target, body) -> JsonBodies.readList(target, body, ClassicGroupDescription.class));
    }

    @Override
    public Mono<TxnProducer> initProducerId(TxnInitRequest request) {
        return call(HttpMethod.POST, TransactionPaths.INIT_PRODUCER_ID, request, timeout(),
                (target, body) -> JsonBodies.read(target, body, TxnProducer.class));
    }

    @Override
    public Mono<Void> addPartitions(TxnPartitionsRequest request) {
        return call(HttpMethod.POST, TransactionPaths.ADD_PARTITIONS, request, timeout(), (target, body) -> null)
                .then();
    }

    @Override
    public Mono<TxnSequences> write(TxnWriteRequest request) {
        return call(HttpMethod.POST, TransactionPaths.WRITE, request, timeout(),
                (target, body) -> JsonBodies.read(target, body, TxnSequences.class));
    }

    @Override
    public Mono<Void> confirmWrite(TxnWriteConfirmation request) {
        return call(HttpMethod.POST, TransactionPaths.CONFIRM_WRITE, request, timeout(), (target, body) -> null)
                .then();
    }

    @Override
    public Mono<Void> addOffsets(TxnGroupRequest request) {
        return call(HttpMethod.POST, TransactionPaths.ADD_OFFSETS, request, timeout(), (target, body) -> null).then();
    }

    @Override
    public Mono<Void> commitOffsets(TxnOffsetCommitRequest request) {
        return call(HttpMethod.POST, TransactionPaths.COMMIT_OFFSETS, request, timeout(), (target, body) -> null)
                .then();
    }

    @Override
    public Mono<TxnProducer> endTxn(TxnEndRequest request) {
        return call(HttpMethod.POST, TransactionPaths.END, request, timeout(),
                (target, body) -> JsonBodies.read(target, body, TxnProducer.class));
    }

    @Override
    public Mono<TxnVerifyResponse> verify(TxnVerifyRequest request) {
        return call(HttpMethod.POST, TransactionPaths.VERIFY, request, timeout(),
                (target, body) -> JsonBodies.read(target, body, TxnVerifyResponse.class));
    }

    @Override
    public Mono<TransactionDescription> describeTransaction(String transactionalId) {
        return call(HttpMethod.POST, TransactionPaths.DESCRIBE, new TxnDescribeRequest(transactionalId), timeout(),
                (target, body) -> JsonBodies.read(target, body, TransactionDescription.class));
    }

    @Override
    public Mono<List<TransactionDescription>> transactions() {
        return call(HttpMethod.GET, TransactionPaths.TRANSACTIONS, null, timeout(),
                (target, body) -> JsonBodies.readList(target, body, TransactionDescription.class));
    }

    @Override
    public Mono<ShareAcquireResponse> acquire(ShareAcquireRequest request) {
        return post(SharePaths.ACQUIRE, request, ShareAcquireResponse.class);
    }

    @Override
    public Mono<ShareAcknowledgeResponse> acknowledge(ShareAcknowledgeRequest request) {
        return post(SharePaths.ACKNOWLEDGE, request, ShareAcknowledgeResponse.class);
    }

    @Override
    public Mono<List<ShareGroupListing>> listShareGroups() {
        return call(HttpMethod.GET, SharePaths.GROUPS, null, timeout(),
                (target, body) -> JsonBodies.readList(target, body, ShareGroupListing.class));
    }

    @Override
    public Mono<ShareGroupDescription> describeShareGroup(String groupId) {
        return Mono.defer(() -> get(SharePaths.group(groupId), ShareGroupDescription.class));
    }

    @Override
    public Mono<ShareResetResponse> resetShareGroup(String groupId, ShareResetRequest request) {
        return Mono.defer(() -> post(SharePaths.reset(groupId), request, ShareResetResponse.class));
    }

    @Override
    public Mono<Void> deleteShareGroup(String groupId) {
        return Mono.defer(() -> call(HttpMethod.DELETE, SharePaths.group(groupId), null, timeout(),
                (target, body) -> null)).then();
    }

    @Override
    public Mono<ShareHeartbeatResponse> heartbeat(ShareHeartbeatRequest request) {
        return post(SharePaths.HEARTBEAT, request, ShareHeartbeatResponse.class);
    }

    @Override
    public Mono<ShareGroupMembers> members(String groupId) {
        return post(SharePaths.MEMBERS, new ShareGroupMembers.Request(groupId), ShareGroupMembers.class);
    }

    @Override
    public Mono<ShareHeldResponse> held(ShareHeldRequest request) {
        return post(SharePaths.HELD, request, ShareHeldResponse.class);
    }

    // ---------------------------------------------------------------- share groups: session close, offsets by topic

    @Override
    public Mono<ShareReleaseResponse> release(ShareReleaseRequest request) {
        return post(SharePaths.RELEASE, request, ShareReleaseResponse.class);
    }

    @Override
    public Mono<ShareOffsetsDeleteResponse> deleteShareGroupOffsets(String groupId, ShareOffsetsDeleteRequest request) {
        return Mono.defer(() -> post(SharePaths.deleteOffsets(groupId), request, ShareOffsetsDeleteResponse.class));
    }

    @Override
    public Mono<ShareGroupConfigList> describeShareGroupConfigs(String groupId) {
        return Mono.defer(() -> get(SharePaths.configs(groupId), ShareGroupConfigList.class));
    }

    @Override
    public Mono<ShareGroupConfigList> alterShareGroupConfigs(String groupId, ShareGroupConfigChange change) {
        return Mono.defer(() -> post(SharePaths.configs(groupId), change, ShareGroupConfigList.class));
    }

    private Duration timeout() {
        return http.settings().callTimeout();
    }

    @Override
    public Mono<RegistryState> registryState() {
        return get(RegistryPaths.STATE, RegistryState.class);
    }

    @Override
    public Mono<SchemaDefinition> schema(int id) {
        return get(RegistryPaths.schema(id), SchemaDefinition.class);
    }

    @Override
    public Mono<ResolvedSchema> resolvedSchema(int id) {
        return get(RegistryPaths.resolved(id), ResolvedSchema.class);
    }

    @Override
    public Mono<RegistryRequests.Registered> register(RegistryRequests.Register request) {
        return post(RegistryPaths.REGISTER, request, RegistryRequests.Registered.class);
    }

    @Override
    public Mono<RegistryRequests.SubjectSchema> lookup(RegistryRequests.Lookup request) {
        return post(RegistryPaths.LOOKUP, request, RegistryRequests.SubjectSchema.class);
    }

    @Override
    public Mono<RegistryRequests.CompatibilityReport> checkCompatibility(
            RegistryRequests.CompatibilityCheck request) {
        return post(RegistryPaths.COMPATIBILITY, request, RegistryRequests.CompatibilityReport.class);
    }

    @Override
    public Mono<RegistryRequests.Deleted> delete(RegistryRequests.Delete request) {
        return post(RegistryPaths.DELETE, request, RegistryRequests.Deleted.class);
    }

    @Override
    public Mono<RegistryRequests.SchemaIds> referencedBy(RegistryRequests.ReferencedBy request) {
        return post(RegistryPaths.REFERENCED_BY, request, RegistryRequests.SchemaIds.class);
    }

    @Override
    public Mono<RegistryRequests.CompatibilityChange> changeCompatibility(
            RegistryRequests.CompatibilityChange change) {
        return post(RegistryPaths.CONFIG, change, RegistryRequests.CompatibilityChange.class);
    }

    @Override
    public Mono<RegistryRequests.ModeChange> changeMode(RegistryRequests.ModeChange change) {
        return post(RegistryPaths.MODE, change, RegistryRequests.ModeChange.class);
    }

    @Override
    public Mono<RemoteLog> remoteLog(TopicPartition partition) {
        return Mono.defer(() -> get(RemoteLogPaths.remoteSegments(partition), RemoteLog.class));
    }

    @Override
    public Mono<RemoteLog> updateRemoteSegment(TopicPartition partition, RemoteSegment update) {
        return Mono.defer(() -> post(RemoteLogPaths.remoteSegments(partition), update, RemoteLog.class));
    }

    @Override
    public Mono<RemoteLog> advanceLogStart(TopicPartition partition, RemoteLogStart update) {
        return Mono.defer(() -> post(RemoteLogPaths.remoteLogStart(partition), update, RemoteLog.class));
    }

    private <T> Mono<T> get(String path, Class<T> type) {
        return call(HttpMethod.GET, path, null, timeout(), (target, body) -> JsonBodies.read(target, body, type));
    }

    private <T> Mono<T> post(String path, Object request, Class<T> type) {
        return call(HttpMethod.POST, path, request, timeout(), (target, body) -> JsonBodies.read(target, body, type));
    }

    private <T> Mono<T> call(HttpMethod method, String path, Object request, Duration timeLimit, Decoder<T> decoder) {
        byte[] body = request == null ? null : JsonBodies.write(request);
        // Coordinator calls are never retried against the same instance: failing over to the next URL is the retry.
        Function<Target, Call> call = target -> new Call(target, Purpose.CONTROL, method, path,
                body == null ? null : Call.JSON, body, timeLimit, RetryPolicy.NOT_SENT);
        return Mono.defer(() -> attempt(call, preferred, 0, decoder))
                .transformDeferred(RetryOperator.of(rounds));
    }

    private <T> Mono<T> attempt(Function<Target, Call> call, int start, int tried, Decoder<T> decoder) {
        int index = (start + tried) % urls.size();
        Target target = Target.coordinator(urls.get(index));
        return http.exchange(call.apply(target))
                .flatMap(answer -> answer.isRedirect() ? followRedirect(call.apply(target), answer) : Mono.just(answer))
                .doOnNext(answer -> preferred = index)
                .<T>handle((answer, sink) -> {
                    T value = decoder.decode(target, answer.body());
                    if (value != null) {
                        sink.next(value);
                    }
                })
                .onErrorResume(SluiceException.class, e -> {
                    if (TRY_ANOTHER.contains(e.errorCode()) && tried + 1 < urls.size()) {
                        return attempt(call, start, tried + 1, decoder);
                    }
                    if (!TRY_ANOTHER.contains(e.errorCode())) {
                        preferred = index;
                    }
                    return Mono.error(e);
                });
    }

    /** A standby names the active instance; the call goes there once, with its method and body. */
    private Mono<Answer> followRedirect(Call call, Answer redirect) {
        if (redirect.location() == null) {
            return Mono.error(ErrorCode.COORDINATOR_NOT_AVAILABLE.exception(call.target() + " redirected without a Location"));
        }
        URI location = call.target().baseUrl().resolve(redirect.location());
        String path = location.getRawPath() + (location.getRawQuery() == null ? "" : "?" + location.getRawQuery());
        return http.exchange(call.to(Target.coordinator(location.resolve("/")), path))
                .flatMap(answer -> answer.isRedirect()
                        ? Mono.error(ErrorCode.COORDINATOR_NOT_AVAILABLE.exception("Coordinators redirect in a loop"))
                        : Mono.just(answer));
    }

    /** Turns an answer's body into the call's result; null for calls that answer nothing. */
    @FunctionalInterface
    private interface Decoder<T> {
        T decode(Target from, byte[] body);
    }
}

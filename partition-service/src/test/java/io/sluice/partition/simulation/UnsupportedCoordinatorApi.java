package io.sluice.partition.simulation;

import io.sluice.internal.coordinator.AddPartitionsRequest;
import io.sluice.internal.coordinator.AlterConfigsRequest;
import io.sluice.internal.coordinator.AlterPartitionRequest;
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
import io.sluice.internal.metadata.MetadataUpdate;
import io.sluice.internal.metadata.NodeInfo;
import io.sluice.internal.metadata.PartitionState;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.internal.streams.StreamsGroupDescription;
import io.sluice.internal.streams.StreamsHeartbeatRequest;
import io.sluice.internal.streams.StreamsHeartbeatResponse;
import io.sluice.internal.streams.StreamsTopologyDescriptionUpdate;
import io.sluice.protocol.TopicPartition;
import java.time.Duration;
import java.util.List;
import reactor.core.publisher.Mono;

/** A coordinator API whose every call fails: the base of stand-ins that implement only what their caller uses. */
abstract class UnsupportedCoordinatorApi implements CoordinatorApi {

    private static <T> Mono<T> unsupported(String call) {
        return Mono.error(new UnsupportedOperationException(call + " is not part of the simulation"));
    }

    @Override
    public Mono<CoordinatorStatus> status() {
        return unsupported("status");
    }

    @Override
    public Mono<RegisterResponse> register(RegisterRequest request) {
        return unsupported("register");
    }

    @Override
    public Mono<Void> heartbeat(int nodeId) {
        return unsupported("heartbeat");
    }

    @Override
    public Mono<ShutdownResponse> shutdown(int nodeId) {
        return unsupported("shutdown");
    }

    @Override
    public Mono<Void> reportUnreachable(int nodeId) {
        return unsupported("reportUnreachable");
    }

    @Override
    public Mono<Void> reportOfflineReplicas(int nodeId, OfflineReplicasRequest request) {
        return unsupported("reportOfflineReplicas");
    }

    @Override
    public Mono<List<NodeInfo>> nodes() {
        return unsupported("nodes");
    }

    @Override
    public Mono<List<TopicMetadata>> topics() {
        return unsupported("topics");
    }

    @Override
    public Mono<TopicMetadata> createTopic(CreateTopicRequest request) {
        return unsupported("createTopic");
    }

    @Override
    public Mono<TopicMetadata> describeTopic(String name) {
        return unsupported("describeTopic");
    }

    @Override
    public Mono<TopicMetadata> alterConfigs(String name, AlterConfigsRequest request) {
        return unsupported("alterConfigs");
    }

    @Override
    public Mono<TopicMetadata> addPartitions(String name, AddPartitionsRequest request) {
        return unsupported("addPartitions");
    }

    @Override
    public Mono<Void> deleteTopic(String name) {
        return unsupported("deleteTopic");
    }

    @Override
    public Mono<PartitionState> alterPartition(TopicPartition tp, AlterPartitionRequest request) {
        return unsupported("alterPartition");
    }

    @Override
    public Mono<ElectionResult> electPreferredLeaders(String topicOrNull) {
        return unsupported("electPreferredLeaders");
    }

    @Override
    public Mono<AlterReassignmentsResponse> alterReassignments(AlterReassignmentsRequest request) {
        return unsupported("alterReassignments");
    }

    @Override
    public Mono<ReassignmentListing> listReassignments() {
        return unsupported("listReassignments");
    }

    @Override
    public Mono<ReassignmentProposal> proposeReassignment(ReassignmentProposal.Request request) {
        return unsupported("proposeReassignment");
    }

    @Override
    public Mono<DecommissionListing.Progress> decommission(int nodeId) {
        return unsupported("decommission");
    }

    @Override
    public Mono<Void> cancelDecommission(int nodeId) {
        return unsupported("cancelDecommission");
    }

    @Override
    public Mono<NodeInfo> setMoveThrottle(int nodeId, Long bytesPerSecond) {
        return unsupported("setMoveThrottle");
    }

    @Override
    public Mono<DecommissionListing> decommissions() {
        return unsupported("decommissions");
    }

    @Override
    public Mono<ElectLeadersResponse> electLeaders(ElectLeadersRequest request) {
        return unsupported("electLeaders");
    }

    @Override
    public Mono<MetadataUpdate> metadataSince(long version, Duration wait) {
        return unsupported("metadataSince");
    }

    @Override
    public Mono<GroupHeartbeatResponse> groupHeartbeat(String groupId, GroupHeartbeatRequest request) {
        return unsupported("groupHeartbeat");
    }

    @Override
    public Mono<StreamsHeartbeatResponse> streamsGroupHeartbeat(String groupId, StreamsHeartbeatRequest request) {
        return unsupported("streamsGroupHeartbeat");
    }

    @Override
    public Mono<Void> updateStreamsTopologyDescription(String groupId, StreamsTopologyDescriptionUpdate update) {
        return unsupported("updateStreamsTopologyDescription");
    }

    @Override
    public Mono<StreamsGroupDescription> describeStreamsGroup(String groupId) {
        return unsupported("describeStreamsGroup");
    }

    @Override
    public Mono<GroupOffsets> commitOffsets(String groupId, OffsetCommitRequest request) {
        return unsupported("commitOffsets");
    }

    @Override
    public Mono<GroupOffsets> committedOffsets(String groupId) {
        return unsupported("committedOffsets");
    }

    @Override
    public Mono<List<GroupListing>> groups() {
        return unsupported("groups");
    }

    @Override
    public Mono<GroupDescription> describeGroup(String groupId) {
        return unsupported("describeGroup");
    }

    @Override
    public Mono<Void> deleteGroup(String groupId) {
        return unsupported("deleteGroup");
    }

    @Override
    public Mono<Void> deleteGroupOffsets(String groupId, String topic, List<Integer> partitions) {
        return unsupported("deleteGroupOffsets");
    }

    @Override
    public Mono<OffsetResetResponse> resetOffsets(String groupId, OffsetResetRequest request) {
        return unsupported("resetOffsets");
    }
}

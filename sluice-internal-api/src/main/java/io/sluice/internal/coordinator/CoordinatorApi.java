package io.sluice.internal.coordinator;

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

/**
 * The coordinator's internal API as its callers see it: partition services (register, heartbeat, shutdown, ISR
 * changes, metadata), gateways (metadata, topic administration, consumer groups and their offsets). Every call answers a Mono that fails with a
 * {@link io.sluice.protocol.SluiceException} carrying the coordinator's error code; an implementation finds the
 * active coordinator among several instances itself.
 */
public interface CoordinatorApi {

    Mono<CoordinatorStatus> status();

    Mono<RegisterResponse> register(RegisterRequest request);

    Mono<Void> heartbeat(int nodeId);

    Mono<ShutdownResponse> shutdown(int nodeId);

    /**
     * {@code nodeId} could not be reached (a follower's fetch or a produce was refused a connection): the
     * coordinator checks for itself and declares it dead at once if nothing listens at its address any more.
     */
    Mono<Void> reportUnreachable(int nodeId);

    /** Replicas of {@code nodeId} whose logs went offline: their leaderships move elsewhere. */
    Mono<Void> reportOfflineReplicas(int nodeId, OfflineReplicasRequest request);

    Mono<List<NodeInfo>> nodes();

    Mono<List<TopicMetadata>> topics();

    Mono<TopicMetadata> createTopic(CreateTopicRequest request);

    Mono<TopicMetadata> describeTopic(String name);

    Mono<TopicMetadata> alterConfigs(String name, AlterConfigsRequest request);

    Mono<TopicMetadata> addPartitions(String name, AddPartitionsRequest request);

    Mono<Void> deleteTopic(String name);

    /** Kafka's AlterPartition: the leader of {@code tp} asks for a new ISR; the answer is the state now stored. */
    Mono<PartitionState> alterPartition(TopicPartition tp, AlterPartitionRequest request);

    /** Moves leadership back to preferred replicas, of one topic or (null) of all. */
    Mono<ElectionResult> electPreferredLeaders(String topicOrNull);

    /** Preferred or unclean elections of the partitions asked (all when null), answered per partition. */
    Mono<ElectLeadersResponse> electLeaders(ElectLeadersRequest request);

    /**
     * Starts, replaces or cancels partition moves (Kafka's AlterPartitionReassignments); each partition is answered
     * with its own error code, none when done.
     */
    Mono<AlterReassignmentsResponse> alterReassignments(AlterReassignmentsRequest request);

    /** The partition moves under way (Kafka's ListPartitionReassignments). */
    Mono<ReassignmentListing> listReassignments();

    /**
     * Where the coordinator's move planner would put the partitions of the topics asked for on the nodes named
     * (Kafka's {@code --generate}); nothing moves. UNKNOWN_TOPIC, UNKNOWN_NODE, or INVALID_REPLICA_ASSIGNMENT for a
     * node that cannot take replicas.
     */
    Mono<ReassignmentProposal> proposeReassignment(ReassignmentProposal.Request request);

    /**
     * Decommissions {@code nodeId}: it takes no new replicas and its replicas move off; answers how far that has come.
     * UNKNOWN_NODE for a node not registered.
     */
    Mono<DecommissionListing.Progress> decommission(int nodeId);

    /** Cancels the decommission of {@code nodeId}: it may take replicas again (moves already started go on). */
    Mono<Void> cancelDecommission(int nodeId);

    /**
     * Sets the byte rate at which {@code nodeId}, as a leader, serves the replicas a move is adding; null puts it back
     * to the node's configured default. Answers the node's record. UNKNOWN_NODE for a node not registered.
     */
    Mono<NodeInfo> setMoveThrottle(int nodeId, Long bytesPerSecond);

    /** The nodes being decommissioned, each with how far its draining has come. */
    Mono<DecommissionListing> decommissions();

    /** What changed after {@code version}, waiting up to {@code wait} for a change (a long poll). */
    Mono<MetadataUpdate> metadataSince(long version, Duration wait);

    /**
     * A group member's heartbeat (KIP-848): joins, heartbeats or leaves, and answers the partitions the member may own
     * now. A gateway calls it for each member it serves — on a timer for a member it streams to, on each poll for a
     * polling member; the member's state lives in the coordinator, so any gateway can send the next one.
     */
    Mono<GroupHeartbeatResponse> groupHeartbeat(String groupId, GroupHeartbeatRequest request);

    /**
     * A streams group member's heartbeat (KIP-1071's StreamsGroupHeartbeat): joins with the application's topology,
     * heartbeats or leaves, and answers the group's conditions and the tasks the member may own now.
     */
    Mono<StreamsHeartbeatResponse> streamsGroupHeartbeat(String groupId, StreamsHeartbeatRequest request);

    /**
     * Stores a member's description of the streams group's topology (KIP-1331): UNKNOWN_MEMBER when the member is not
     * in the group, UNKNOWN_GROUP when it is not a streams group, INVALID_REQUEST for another topology epoch.
     */
    Mono<Void> updateStreamsTopologyDescription(String groupId, StreamsTopologyDescriptionUpdate update);

    /** A streams group in full; UNKNOWN_GROUP when there is none, or the group id is a consumer group's. */
    Mono<StreamsGroupDescription> describeStreamsGroup(String groupId);

    /** Commits offsets, all or none; answers the group's offsets of the committed partitions as stored. */
    Mono<GroupOffsets> commitOffsets(String groupId, OffsetCommitRequest request);

    /** The group's committed offsets (none for a group that does not exist). */
    Mono<GroupOffsets> committedOffsets(String groupId);

    Mono<List<GroupListing>> groups();

    Mono<GroupDescription> describeGroup(String groupId);

    /** Deletes a group and its offsets; NON_EMPTY_GROUP while it has members. */
    Mono<Void> deleteGroup(String groupId);

    /** Deletes a group's committed offsets of one topic, refused as {@link #deleteGroupOffsets(String, String, List)}. */
    default Mono<Void> deleteGroupOffsets(String groupId, String topic) {
        return deleteGroupOffsets(groupId, topic, null);
    }

    /**
     * Deletes a group's committed offsets of some partitions of one topic, of all of them when {@code partitions} is
     * null (Kafka's OffsetDelete names partitions). Decided by the coordinator with its group state, Kafka's rule for
     * every kind of member: GROUP_SUBSCRIBED_TO_TOPIC while a live member subscribes to the topic (a classic
     * {@code consumer} member by the topics the gateway read from its join's metadata, every topic when they did not
     * parse), NON_EMPTY_GROUP while members of another classic protocol type (Kafka Connect's) hold the group,
     * UNKNOWN_GROUP for a group that does not exist. A classic group that has committed nothing has nothing to delete.
     */
    Mono<Void> deleteGroupOffsets(String groupId, String topic, List<Integer> partitions);

    /** Sets a group's offsets to targets the caller resolved (see {@link OffsetResetRequest}). */
    Mono<OffsetResetResponse> resetOffsets(String groupId, OffsetResetRequest request);
}

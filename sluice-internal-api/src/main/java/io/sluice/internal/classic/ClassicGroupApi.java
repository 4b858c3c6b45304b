package io.sluice.internal.classic;

import java.time.Duration;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * Kafka's classic group protocol at the coordinator: JoinGroup, SyncGroup, Heartbeat, LeaveGroup and descriptions. A
 * classic member commits through the groups' commit ({@code CoordinatorApi.commitOffsets}) with its generation as the
 * member epoch. A join or sync may wait for the rest of the group (up to the rebalance timeout):
 * {@code wait} bounds the call. Failures carry the coordinator's error code (UNKNOWN_MEMBER, ILLEGAL_GENERATION,
 * REBALANCE_IN_PROGRESS, INCONSISTENT_GROUP_PROTOCOL, FENCED_INSTANCE_ID, ...).
 */
public interface ClassicGroupApi {

    Mono<ClassicJoinResponse> join(String groupId, ClassicJoinRequest request, Duration wait);

    Mono<ClassicSyncResponse> sync(String groupId, ClassicSyncRequest request, Duration wait);

    Mono<Void> heartbeat(String groupId, ClassicHeartbeatRequest request);

    Mono<Void> leave(String groupId, ClassicLeaveRequest request);

    Mono<ClassicGroupDescription> describe(String groupId);

    Mono<List<ClassicGroupDescription>> classicGroups();
}

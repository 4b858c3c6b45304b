package io.sluice.internal.share;

import java.util.List;
import reactor.core.publisher.Mono;

/**
 * Share groups at Sluice's coordinator ({@link SharePaths}). A refused call carries the coordinator's error code
 * (INVALID_REQUEST for a malformed one, which changed nothing); per-record refusals of an acknowledgement are in its
 * answer ({@link ShareError}), not failures.
 */
public interface ShareGroupApi {

    /** Locks records of one share-partition for the member ({@link ShareAcquireRequest}). */
    Mono<ShareAcquireResponse> acquire(ShareAcquireRequest request);

    /** Accepts, releases, rejects or renews records of one share-partition the member holds. */
    Mono<ShareAcknowledgeResponse> acknowledge(ShareAcknowledgeRequest request);

    /**
     * Every share group (a group with at least one share-partition stored or with members), by group id; a group with
     * members but no share-partition yet is listed with none.
     */
    Mono<List<ShareGroupListing>> listShareGroups();

    /** One share group's share-partitions; UNKNOWN_GROUP when it has none. */
    Mono<ShareGroupDescription> describeShareGroup(String groupId);

    /**
     * Moves the start offsets of some share-partitions, all or none; NON_EMPTY_GROUP while any record of the group is
     * acquired; with {@code dry_run}, only the answer.
     */
    Mono<ShareResetResponse> resetShareGroup(String groupId, ShareResetRequest request);

    /** Forgets the share group's state; UNKNOWN_GROUP when it has none, NON_EMPTY_GROUP while a record is acquired. */
    Mono<Void> deleteShareGroup(String groupId);

    /**
     * A share group member's join, heartbeat or leave ({@link ShareHeartbeatRequest}); fails with UNKNOWN_MEMBER for a
     * member the group does not have, FENCED_MEMBER_EPOCH for an epoch not the member's current one.
     */
    Mono<ShareHeartbeatResponse> heartbeat(ShareHeartbeatRequest request);

    /** The group's members now ({@link ShareGroupMembers}); a group without members has none, whatever it stores. */
    Mono<ShareGroupMembers> members(String groupId);

    /** The records of one share-partition the member holds now; changes nothing. */
    Mono<ShareHeldResponse> held(ShareHeldRequest request);

    // ---------------------------------------------------------------- session close, offsets by topic (Kafka admin)

    /**
     * Releases the records {@code memberId} holds in the named share-partitions (a share session closed or its
     * connection dropped); INVALID_REQUEST for a malformed request.
     */
    Mono<ShareReleaseResponse> release(ShareReleaseRequest request);

    /**
     * Forgets the group's share-partitions of some topics ({@link ShareOffsetsDeleteRequest}); UNKNOWN_GROUP when the
     * group has none, NON_EMPTY_GROUP while it has members or a record of them is acquired.
     */
    Mono<ShareOffsetsDeleteResponse> deleteShareGroupOffsets(String groupId, ShareOffsetsDeleteRequest request);

    /**
     * The share group's configs: every key, with the group's value or the cluster default. Any valid group id has
     * them, whether or not the group has state yet.
     */
    Mono<ShareGroupConfigList> describeShareGroupConfigs(String groupId);

    /** Changes the share group's configs ({@link ShareGroupConfigChange}) and answers them as they are after. */
    Mono<ShareGroupConfigList> alterShareGroupConfigs(String groupId, ShareGroupConfigChange change);
}

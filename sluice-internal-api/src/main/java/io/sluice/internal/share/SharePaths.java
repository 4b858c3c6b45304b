package io.sluice.internal.share;

import io.sluice.internal.group.GroupIds;

/**
 * The coordinator's internal routes for share groups (KIP-932's queues). Group ids, topics and partitions travel in
 * the bodies, as transactional ids do.
 */
public final class SharePaths {

    /** POST {@link ShareAcquireRequest} → {@link ShareAcquireResponse}: lock records of one share-partition. */
    public static final String ACQUIRE = "/internal/share-groups/acquire";
    /** POST {@link ShareAcknowledgeRequest} → {@link ShareAcknowledgeResponse}: accept, release, reject, renew. */
    public static final String ACKNOWLEDGE = "/internal/share-groups/acknowledge";
    /** POST {@link ShareHeartbeatRequest} → {@link ShareHeartbeatResponse}: a member's join, heartbeat or leave. */
    public static final String HEARTBEAT = "/internal/share-groups/heartbeat";
    /** POST {@link ShareGroupMembers.Request} → {@link ShareGroupMembers}: a share group's members. */
    public static final String MEMBERS = "/internal/share-groups/members";

    /** GET: every share group (share-partitions stored or members), as {@link ShareGroupListing}s. */
    public static final String GROUPS = "/internal/share-groups";
    /**
     * GET: {@link ShareGroupDescription}; DELETE: the share group's state (refused with NON_EMPTY_GROUP while the
     * group has members or a record is acquired under a lock that has not ended).
     */
    public static final String GROUP = "/internal/share-groups/{group}";
    /** POST {@link ShareResetRequest} → {@link ShareResetResponse}: move start offsets the caller resolved. */
    public static final String RESET = "/internal/share-groups/{group}/reset";
    /** POST {@link ShareHeldRequest} → {@link ShareHeldResponse}: the records a member holds (a read). */
    public static final String HELD = "/internal/share-groups/held";
    /**
     * GET: {@link ShareGroupConfigList}, the group's configs; POST {@link ShareGroupConfigChange} →
     * {@link ShareGroupConfigList}: change them.
     */
    public static final String CONFIGS = "/internal/share-groups/{group}/configs";

    // ---------------------------------------------------------------- session close, offsets by topic (Kafka admin)

    /** POST {@link ShareReleaseRequest} → {@link ShareReleaseResponse}: a closed share session's records released. */
    public static final String RELEASE = "/internal/share-groups/release";
    /** POST {@link ShareOffsetsDeleteRequest} → {@link ShareOffsetsDeleteResponse}: some topics' share-partitions. */
    public static final String DELETE_OFFSETS = "/internal/share-groups/{group}/delete-offsets";

    private SharePaths() {
    }

    /** {@link #GROUP} of {@code groupId}, after checking the id (so a value from a public URL cannot change the call). */
    public static String group(String groupId) {
        GroupIds.validate(groupId);
        return GROUPS + "/" + groupId;
    }

    public static String reset(String groupId) {
        return group(groupId) + "/reset";
    }

    public static String deleteOffsets(String groupId) {
        return group(groupId) + "/delete-offsets";
    }

    public static String configs(String groupId) {
        return group(groupId) + "/configs";
    }
}

package io.sluice.internal.share;

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

    private SharePaths() {
    }
}

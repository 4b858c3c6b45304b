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
    /** POST {@link ShareHeldRequest} → {@link ShareHeldResponse}: the records a member holds (a read). */
    public static final String HELD = "/internal/share-groups/held";

    private SharePaths() {
    }
}

package io.sluice.internal.share;

/**
 * The state of one record in a share-partition's in-flight window (KIP-932). ACKNOWLEDGED and ARCHIVED are terminal:
 * such a record is never delivered again.
 */
public enum RecordState {

    /** May be acquired: never delivered yet, or released, or its lock expired below the delivery limit. */
    AVAILABLE,
    /** Locked for one member until its lock deadline. */
    ACQUIRED,
    /** Accepted by the member that held it. */
    ACKNOWLEDGED,
    /** Rejected, or at the delivery limit when its last lock ended: given up on, never delivered again. */
    ARCHIVED;

    /** Whether the record is done with: the start offset may move past it. */
    public boolean terminal() {
        return this == ACKNOWLEDGED || this == ARCHIVED;
    }
}

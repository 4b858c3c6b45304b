package io.sluice.internal.share;

/** What a member says about a record it holds (KIP-932's acknowledgement types, with KIP-1222's renew). */
public enum AcknowledgeType {

    /** Processed: the record becomes ACKNOWLEDGED. */
    ACCEPT,
    /** Not processed, deliver again now: AVAILABLE, or ARCHIVED if the record has reached the delivery limit. */
    RELEASE,
    /** Cannot be processed: ARCHIVED, never delivered again. */
    REJECT,
    /** Still working: the lock is extended to a full lock duration from now; the delivery count does not change. */
    RENEW
}

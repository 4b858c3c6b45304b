package io.sluice.internal.group;

/** A consumer group's state, as KIP-848 names it. */
public enum GroupState {
    /** No members (the group may still have committed offsets). */
    EMPTY,
    /** Some member has not reached the group's target assignment yet. */
    RECONCILING,
    /** Every member owns its target assignment at the current assignment epoch. */
    STABLE
}

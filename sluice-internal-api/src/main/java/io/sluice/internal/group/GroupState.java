package io.sluice.internal.group;

/** A consumer group's state, as KIP-848 names it (and KIP-1071 for streams groups). */
public enum GroupState {
    /** No members (the group may still have committed offsets). */
    EMPTY,
    /**
     * A streams group with members whose topology's topics are not all there as it needs them (a source topic missing,
     * internal topics not created yet, a topic wrongly partitioned): no member has a task.
     */
    NOT_READY,
    /** Some member has not reached the group's target assignment yet. */
    RECONCILING,
    /** Every member owns its target assignment at the current assignment epoch. */
    STABLE
}

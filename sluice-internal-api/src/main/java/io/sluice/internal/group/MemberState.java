package io.sluice.internal.group;

/** Where a member is on its way to its target assignment (KIP-848's member states). */
public enum MemberState {
    /** It owns its target at the group's assignment epoch. */
    STABLE,
    /** It must release partitions first ({@code pending_revocation}); its epoch waits until it has. */
    UNREVOKED_PARTITIONS,
    /** It is at the new epoch but some of its target is still owned by members that have not released it. */
    UNRELEASED_PARTITIONS,
    /** A static member that left for a restart (epoch -2): it keeps its partitions until its session times out. */
    LEFT_STATIC
}

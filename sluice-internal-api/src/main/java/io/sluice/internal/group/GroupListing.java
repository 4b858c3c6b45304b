package io.sluice.internal.group;

/** One group in a listing. */
public record GroupListing(String groupId, GroupState state, int groupEpoch, int members) {
}

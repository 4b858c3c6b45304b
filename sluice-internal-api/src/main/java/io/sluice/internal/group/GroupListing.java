package io.sluice.internal.group;

/**
 * One group in a listing.
 *
 * @param type {@link #CONSUMER} or {@link #STREAMS}, Kafka's group types (null from a coordinator older than streams
 *             groups: a consumer group)
 */
public record GroupListing(String groupId, GroupState state, int groupEpoch, int members, String type) {

    /** A consumer group: KIP-848 members, classic members it took over, HTTP members. */
    public static final String CONSUMER = "consumer";
    /** A streams group (KIP-1071): Kafka Streams members of {@code group.protocol=streams}. */
    public static final String STREAMS = "streams";

    public GroupListing {
        type = type == null ? CONSUMER : type;
    }

    public GroupListing(String groupId, GroupState state, int groupEpoch, int members) {
        this(groupId, state, groupEpoch, members, CONSUMER);
    }
}

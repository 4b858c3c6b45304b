package io.sluice.internal.classic;

import io.sluice.internal.group.TopicPartitions;
import java.util.List;

/**
 * The member's assignment for the generation: as the leader gave it (empty if it gave none), or — for a classic
 * member of a consumer group, which the coordinator assigns itself — {@code partitions}, which the gateway encodes as
 * Kafka's ConsumerProtocolAssignment. {@code partitions} is null for a classic group's member.
 */
public record ClassicSyncResponse(String protocolType, String protocolName, byte[] assignment,
                                  List<TopicPartitions> partitions) {

    public ClassicSyncResponse {
        partitions = partitions == null ? null : List.copyOf(partitions);
    }

    /** A classic group's answer: the leader's opaque assignment. */
    public ClassicSyncResponse(String protocolType, String protocolName, byte[] assignment) {
        this(protocolType, protocolName, assignment, null);
    }
}

package io.sluice.internal.classic;

import io.sluice.internal.group.TopicPartitions;
import java.util.List;

/**
 * The leader's opaque assignment for one member and, in a group of protocol type {@code consumer}, the partitions it
 * names as the gateway read it (Kafka's ConsumerProtocolAssignment); {@code partitions} is null when they are not
 * known (another protocol type, or an assignment that does not parse).
 */
public record ClassicAssignment(String memberId, byte[] assignment, List<TopicPartitions> partitions) {

    public ClassicAssignment {
        partitions = partitions == null ? null : List.copyOf(partitions);
    }

    /** An assignment whose partitions nobody read. */
    public ClassicAssignment(String memberId, byte[] assignment) {
        this(memberId, assignment, null);
    }
}

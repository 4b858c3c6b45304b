package io.sluice.gateway.kafka.groups;

import io.sluice.internal.group.TopicPartitions;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.message.ConsumerProtocolAssignment;
import org.apache.kafka.common.protocol.MessageUtil;

/**
 * A classic consumer's assignment in Kafka's ConsumerProtocolAssignment: read from a leader's SyncGroup (the partitions
 * each member of a classic group owns, which a consumer group taking the group over starts from), and written for a
 * classic member the coordinator assigned (a classic member of a consumer group) at version 0, which every consumer
 * protocol version reads, with no user data.
 */
final class ConsumerAssignments {

    private ConsumerAssignments() {
    }

    /** The partitions {@code assignment} names; empty when it does not parse. */
    static Optional<List<TopicPartitions>> decode(byte[] assignment) {
        return ConsumerProtocolMessages.read(assignment, ConsumerProtocolAssignment.LOWEST_SUPPORTED_VERSION,
                ConsumerProtocolAssignment.HIGHEST_SUPPORTED_VERSION, ConsumerProtocolAssignment::new)
                .map(read -> read.assignedPartitions().stream()
                        .map(tp -> new TopicPartitions(tp.topic(), List.copyOf(tp.partitions()))).toList());
    }

    static byte[] encode(List<TopicPartitions> partitions) {
        ConsumerProtocolAssignment assignment = new ConsumerProtocolAssignment();
        partitions.forEach(tp -> assignment.assignedPartitions().add(new ConsumerProtocolAssignment.TopicPartition()
                .setTopic(tp.topic()).setPartitions(List.copyOf(tp.partitions()))));
        return MessageUtil.toVersionPrefixedBytes((short) 0, assignment);
    }
}

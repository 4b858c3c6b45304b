package io.sluice.gateway.kafka;

import io.sluice.internal.group.TopicPartitions;
import java.util.List;
import org.apache.kafka.common.message.ConsumerProtocolAssignment;
import org.apache.kafka.common.protocol.MessageUtil;

/**
 * A classic consumer's assignment as its SyncGroup answer carries it when the coordinator assigned it (a classic member
 * of a consumer group): Kafka's ConsumerProtocolAssignment at version 0, which every consumer protocol version reads,
 * with no user data.
 */
final class ConsumerAssignments {

    private ConsumerAssignments() {
    }

    static byte[] encode(List<TopicPartitions> partitions) {
        ConsumerProtocolAssignment assignment = new ConsumerProtocolAssignment();
        partitions.forEach(tp -> assignment.assignedPartitions().add(new ConsumerProtocolAssignment.TopicPartition()
                .setTopic(tp.topic()).setPartitions(List.copyOf(tp.partitions()))));
        return MessageUtil.toVersionPrefixedBytes((short) 0, assignment);
    }
}

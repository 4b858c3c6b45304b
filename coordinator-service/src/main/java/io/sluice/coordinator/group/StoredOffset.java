package io.sluice.coordinator.group;

import io.sluice.internal.group.CommittedOffset;
import io.sluice.protocol.TopicPartition;

/**
 * A committed offset as stored, with the id of the topic it was committed for: a topic deleted and created again
 * under the same name is another topic, and the old offsets do not apply to it.
 */
record StoredOffset(String topic, int partition, String topicId, long offset, Integer leaderEpoch, String metadata,
                    long commitTimestampMs) {

    TopicPartition topicPartition() {
        return new TopicPartition(topic, partition);
    }

    CommittedOffset toCommitted() {
        return new CommittedOffset(topic, partition, offset, leaderEpoch, metadata, commitTimestampMs);
    }
}

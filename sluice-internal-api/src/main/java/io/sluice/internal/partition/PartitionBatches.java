package io.sluice.internal.partition;

import io.sluice.protocol.TopicPartition;
import java.nio.ByteBuffer;

/**
 * Record batches for one partition in a produce request, with the leader epoch the sender routed by
 * ({@link #ANY_EPOCH} when it does not care), so a leader can tell a request meant for an older or newer leadership.
 */
public record PartitionBatches(TopicPartition partition, int leaderEpoch, ByteBuffer batches) {

    public static final int ANY_EPOCH = -1;
}

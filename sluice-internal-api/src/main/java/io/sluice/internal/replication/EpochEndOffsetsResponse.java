package io.sluice.internal.replication;

import io.sluice.protocol.ErrorCode;
import java.util.List;

/** The leader's answers: per partition an error code (null when answered), the epoch found and its end offset. */
public record EpochEndOffsetsResponse(List<Partition> partitions) {

    public record Partition(String topic, int partition, ErrorCode errorCode, int leaderEpoch, long endOffset) {
    }
}

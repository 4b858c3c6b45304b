package io.sluice.log;

import io.sluice.protocol.TopicPartition;

/**
 * How much of a compacted log waits for the cleaner: bytes of cleanable segments (sealed, below the high watermark,
 * older than {@code min.compaction.lag.ms}) already clean and not yet, and their ratio that
 * {@code min.cleanable.dirty.ratio} is compared to.
 */
public record LogDirtiness(TopicPartition partition, long cleanBytes, long dirtyBytes) {

    public double dirtyRatio() {
        long total = cleanBytes + dirtyBytes;
        return total == 0 ? 0 : (double) dirtyBytes / total;
    }
}

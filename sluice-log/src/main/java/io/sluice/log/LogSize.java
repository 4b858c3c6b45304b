package io.sluice.log;

import io.sluice.protocol.TopicPartition;

/** How much one partition log holds: bytes on disk, segments, and the offsets it spans. */
public record LogSize(TopicPartition topicPartition, long sizeInBytes, int segmentCount, long logStartOffset,
                      long logEndOffset) {
}

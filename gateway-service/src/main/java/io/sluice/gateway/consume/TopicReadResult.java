package io.sluice.gateway.consume;

import java.util.List;

/**
 * One stateless read of every partition of a topic: the records (partitions interleaved), the cursor the next read
 * passes back as {@code cursor}, and per partition where it stands.
 */
record TopicReadResult(List<ConsumedRecord> records, String cursor, List<PartitionPosition> partitions) {

    record PartitionPosition(int partition, long nextOffset, long highWatermark, long logStartOffset) {
    }
}

package io.sluice.partition.fetch;

import io.sluice.internal.partition.FetchResponseCodec;
import io.sluice.log.FileRegion;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.TopicPartition;
import java.util.List;

/**
 * One partition of a consumer read, as its fields: the error (null when it was read), the offsets its answer carries
 * (-1 where unknown), the aborted transactions among its records (a read_committed read), and the records, a region
 * of a segment file that the log keeps open.
 */
public record PartitionRead(TopicPartition partition, ErrorCode error, long highWatermark, long lastStableOffset,
                            long logStartOffset, List<FetchResponseCodec.AbortedTransaction> aborted,
                            FileRegion records) {

    public PartitionRead {
        aborted = List.copyOf(aborted);
    }
}

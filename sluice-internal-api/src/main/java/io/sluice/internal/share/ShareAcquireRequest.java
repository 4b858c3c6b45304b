package io.sluice.internal.share;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A member asks for up to {@code maxRecords} records of one share-partition, passing what it read of the partition's
 * log: the offsets in {@code [readFrom, readTo)} that hold records a share consumer may be given (offsets left out
 * are gaps: compacted away, or control records). The read must start at or below the share-partition's end offset
 * (an earlier answer's {@link ShareAcquireResponse#endOffset()}; an empty read from 0 is always accepted). Records
 * already in flight and available again are acquired first, whatever was read. A share-partition the group does not
 * have yet starts at the high watermark (the default {@code share.auto.offset.reset}, latest) or at the log start
 * offset (earliest), as the coordinator is configured.
 */
public record ShareAcquireRequest(String groupId, String memberId, String topic, int partition, int maxRecords,
                                  long logStartOffset, long highWatermark, long readFrom, long readTo,
                                  List<Long> offsets) {

    public ShareAcquireRequest {
        // Not List.copyOf: a null element must reach the coordinator's check (INVALID_REQUEST), not fail the decoding.
        offsets = offsets == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(offsets));
    }
}

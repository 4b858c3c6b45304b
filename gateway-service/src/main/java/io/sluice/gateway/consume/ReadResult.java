package io.sluice.gateway.consume;

import java.util.List;

/** One stateless read: the records, where the next read starts, and the partition's bounds when it was served. */
record ReadResult(List<ConsumedRecord> records, long nextOffset, long highWatermark, long logStartOffset) {
}

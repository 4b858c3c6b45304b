package io.sluice.gateway.consume;

import java.util.List;

/**
 * One stateless read of a partition: the records, where the next read starts ({@code next_offset}, and the same as a
 * {@link Cursor} to pass back as {@code cursor}), and the partition's bounds when it was served.
 */
public record ReadResult(List<ConsumedRecord> records, long nextOffset, long highWatermark, long logStartOffset,
                  String cursor) {
}

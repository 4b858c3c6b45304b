package io.sluice.log;

import java.util.List;

/**
 * What a read returns: whole batches from the one holding {@code fetchOffset} (its first batch may start below
 * {@code fetchOffset}; callers skip records before it), the offset after the last batch returned (where the next
 * read continues; {@code fetchOffset} when nothing was returned), and the log's offsets when the read was served.
 *
 * @param lastStableOffset the partition's last stable offset when the read was served (at most the high watermark)
 * @param abortedTxns      for a {@link FetchIsolation#TXN_COMMITTED} read, the aborted transactions with records among
 *                         those returned, which the reader drops; empty for other reads
 */
public record LogReadResult(long fetchOffset, FileRegion records, long nextFetchOffset, LogOffsets offsets,
                            long lastStableOffset, List<AbortedTxn> abortedTxns) {

    public LogReadResult {
        abortedTxns = List.copyOf(abortedTxns);
    }
}

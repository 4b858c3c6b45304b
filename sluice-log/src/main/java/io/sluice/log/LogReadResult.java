package io.sluice.log;

/**
 * What a read returns: whole batches from the one holding {@code fetchOffset} (its first batch may start below
 * {@code fetchOffset}; callers skip records before it), the offset after the last batch returned (where the next
 * read continues; {@code fetchOffset} when nothing was returned), and the log's offsets when the read was served.
 */
public record LogReadResult(long fetchOffset, FileRegion records, long nextFetchOffset, LogOffsets offsets) {
}

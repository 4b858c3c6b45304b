package io.sluice.log;

/**
 * An offset of the log together with where it lies: the base offset of its segment and the byte position in that
 * segment of the batch holding it (or the segment's end when the offset is the log end). Keeping the position next
 * to the high watermark and log end lets a read bound itself by bytes without another index lookup.
 */
record LogOffsetMetadata(long offset, long segmentBaseOffset, int position) {
}

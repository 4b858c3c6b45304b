package io.sluice.log;

import io.sluice.protocol.record.RecordBatch;
import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;

/**
 * The sparse time index of one segment: maps a timestamp to an offset such that every record with a larger
 * timestamp lies at a larger offset, so an offset-for-timestamp lookup starts its scan near the answer.
 *
 * <pre>
 *  entry (12 bytes, big-endian):  timestamp:int64  relativeOffset:int32
 * </pre>
 *
 * <p>An entry records the largest timestamp seen so far in the segment and the base offset of the batch that first
 * carried it; entries are written alongside offset index entries and are strictly increasing in timestamp and
 * non-decreasing in offset. The last slot is reserved for the entry written when the segment is sealed, so the last
 * entry of a sealed segment holds its largest timestamp exactly. Thread model as in {@link MappedIndex}.
 */
final class TimeIndex extends MappedIndex {

    static final int ENTRY_SIZE = 12;

    TimeIndex(Path file, long baseOffset, int maxIndexSize, boolean writable) throws IOException {
        super(file, baseOffset, maxIndexSize, ENTRY_SIZE, writable);
    }

    /** Full one slot early: the last slot is kept for the final entry written on seal. */
    @Override
    boolean isFull() {
        return entries() >= maxEntries() - 1;
    }

    /** The entry with the largest timestamp at most {@code targetTimestamp}, or {@code (-1, baseOffset)} if none. */
    TimestampOffset lookup(long targetTimestamp) {
        MappedByteBuffer index = mmap();
        int count = entriesIn(index);
        int slot = largestSlotAtMost(targetTimestamp, count, s -> timestampAt(index, s));
        return slot < 0 ? new TimestampOffset(RecordBatch.NO_TIMESTAMP, baseOffset) : entryAt(index, slot);
    }

    /** The last entry, or {@code (-1, baseOffset)} if the index is empty. */
    TimestampOffset lastEntry() {
        MappedByteBuffer index = mmap();
        int count = entriesIn(index);
        return count == 0 ? new TimestampOffset(RecordBatch.NO_TIMESTAMP, baseOffset) : entryAt(index, count - 1);
    }

    /**
     * Adds {@code (timestamp, offset)} if the timestamp is larger than the last entry's and there is room; with
     * {@code final} set the reserved last slot may be used.
     */
    void maybeAppend(long timestamp, long offset, boolean finalEntry) throws IOException {
        int count = entries();
        if (count >= maxEntries() || (!finalEntry && isFull())) {
            return;
        }
        if (count > 0) {
            TimestampOffset last = entryAt(mmap(), count - 1);
            if (timestamp <= last.timestamp()) {
                return;
            }
            if (offset < last.offset()) {
                throw new IllegalArgumentException("Time index entry (" + timestamp + ", " + offset
                        + ") goes back from " + last + " in " + file());
            }
        }
        MappedByteBuffer index = mappingForAppend();
        index.putLong(count * ENTRY_SIZE, timestamp);
        index.putInt(count * ENTRY_SIZE + 8, relativeOffset(offset));
        publishAppended();
    }

    /** Forgets every entry whose offset is at least {@code offset}. */
    void truncateTo(long offset) {
        MappedByteBuffer index = mmap();
        int count = entriesIn(index);
        int slot = largestSlotAtMost(offset - baseOffset - 1, count, s -> relativeOffsetAt(index, s));
        truncateToEntries(slot + 1);
    }

    /** Cheap checks against a zero-filled tail: timestamps strictly and offsets weakly increase, first to last. */
    void sanityCheck() {
        int count = entries();
        if (count == 0) {
            return;
        }
        MappedByteBuffer index = mmap();
        TimestampOffset first = entryAt(index, 0);
        TimestampOffset last = entryAt(index, count - 1);
        boolean increasing = count == 1
                || (last.timestamp() > first.timestamp() && last.offset() >= first.offset());
        if (relativeOffsetAt(index, 0) < 0 || !increasing) {
            throw new CorruptIndexException("Time index " + file() + " is corrupt: " + count + " entries from "
                    + first + " to " + last);
        }
    }

    private TimestampOffset entryAt(MappedByteBuffer index, int slot) {
        return new TimestampOffset(timestampAt(index, slot), baseOffset + relativeOffsetAt(index, slot));
    }

    private static long timestampAt(MappedByteBuffer index, int slot) {
        return index.getLong(slot * ENTRY_SIZE);
    }

    private static int relativeOffsetAt(MappedByteBuffer index, int slot) {
        return index.getInt(slot * ENTRY_SIZE + 8);
    }
}

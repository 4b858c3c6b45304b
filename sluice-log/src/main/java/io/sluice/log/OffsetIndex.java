package io.sluice.log;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;

/**
 * The sparse offset index of one segment: maps an offset to the byte position in the segment's log file where the
 * batch starting at that offset begins, so a read seeks close to its target and scans only a few batch headers.
 *
 * <pre>
 *  entry (8 bytes, big-endian):  relativeOffset:int32  position:int32
 *  relativeOffset = batch base offset − segment base offset
 * </pre>
 *
 * <p>Invariants: entries are strictly increasing in both offset and position; one entry is added at most every
 * {@code index.interval.bytes} of log, so the first batch of a segment is usually not indexed and a lookup below
 * every entry answers {@code (baseOffset, 0)}. Thread model as in {@link MappedIndex}: one writer, lock-free readers.
 */
final class OffsetIndex extends MappedIndex {

    static final int ENTRY_SIZE = 8;

    OffsetIndex(Path file, long baseOffset, int maxIndexSize, boolean writable) throws IOException {
        super(file, baseOffset, maxIndexSize, ENTRY_SIZE, writable);
    }

    /** The entry with the largest offset at most {@code targetOffset}, or {@code (baseOffset, 0)} if none. */
    OffsetPosition lookup(long targetOffset) {
        MappedByteBuffer index = mmap();
        int count = entriesIn(index);
        int slot = largestSlotAtMost(targetOffset - baseOffset, count, s -> relativeOffsetAt(index, s));
        return slot < 0 ? new OffsetPosition(baseOffset, 0) : entryAt(index, slot);
    }

    /** The entry with the largest position at most {@code position}, or null if none: a batch boundary to jump to. */
    OffsetPosition lookupByPosition(long position) {
        MappedByteBuffer index = mmap();
        int count = entriesIn(index);
        int slot = largestSlotAtMost(position, count, s -> positionAt(index, s));
        return slot < 0 ? null : entryAt(index, slot);
    }

    /** The last entry, or {@code (baseOffset, 0)} if the index is empty. */
    OffsetPosition lastEntry() {
        MappedByteBuffer index = mmap();
        int count = entriesIn(index);
        return count == 0 ? new OffsetPosition(baseOffset, 0) : entryAt(index, count - 1);
    }

    /**
     * Adds an entry; the caller ensures the index is not full.
     *
     * @throws IllegalArgumentException if {@code offset} is not above the last entry's, or the position goes back
     */
    void append(long offset, int position) throws IOException {
        int count = entries();
        if (count >= maxEntries()) {
            throw new IllegalStateException("Offset index " + file() + " is full (" + count + " entries)");
        }
        if (count > 0) {
            OffsetPosition last = entryAt(mmap(), count - 1);
            if (offset <= last.offset() || position < last.position()) {
                throw new IllegalArgumentException("Index entry (" + offset + ", " + position + ") does not follow ("
                        + last.offset() + ", " + last.position() + ") in " + file());
            }
        }
        MappedByteBuffer index = mappingForAppend();
        index.putInt(count * ENTRY_SIZE, relativeOffset(offset));
        index.putInt(count * ENTRY_SIZE + 4, position);
        publishAppended();
    }

    /** Forgets every entry whose offset is at least {@code offset}. */
    void truncateTo(long offset) {
        MappedByteBuffer index = mmap();
        int count = entriesIn(index);
        int slot = largestSlotAtMost(offset - baseOffset - 1, count, s -> relativeOffsetAt(index, s));
        truncateToEntries(slot + 1);
    }

    /**
     * Cheap checks that catch an index that was never trimmed (zero-filled tail) or does not belong to the log file:
     * offsets and positions increase from the first to the last entry, and the last position lies inside the log.
     */
    void sanityCheck(long logSize) {
        int count = entries();
        if (count == 0) {
            return;
        }
        MappedByteBuffer index = mmap();
        OffsetPosition first = entryAt(index, 0);
        OffsetPosition last = entryAt(index, count - 1);
        boolean increasing = count == 1
                || (last.offset() > first.offset() && last.position() > first.position());
        if (relativeOffsetAt(index, 0) < 0 || !increasing || first.position() < 0 || last.position() >= logSize) {
            throw new CorruptIndexException("Offset index " + file() + " is corrupt: " + count + " entries from "
                    + first + " to " + last + " for a log of " + logSize + " bytes");
        }
    }

    private OffsetPosition entryAt(MappedByteBuffer index, int slot) {
        return new OffsetPosition(baseOffset + relativeOffsetAt(index, slot), positionAt(index, slot));
    }

    private static int relativeOffsetAt(MappedByteBuffer index, int slot) {
        return index.getInt(slot * ENTRY_SIZE);
    }

    private static int positionAt(MappedByteBuffer index, int slot) {
        return index.getInt(slot * ENTRY_SIZE + 4);
    }
}

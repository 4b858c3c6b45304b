package io.sluice.log;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.IntToLongFunction;

/**
 * A fixed-width, sorted, append-only table of entries in a memory-mapped file: the shared part of {@link OffsetIndex}
 * and {@link TimeIndex}. Entries are stored from byte 0 with no header; the file of the segment being written is
 * preallocated to {@code maxIndexSize} (rounded down to whole entries) so appends never grow it, and it is trimmed to
 * exactly {@code entries * entrySize} bytes when the segment is sealed or closed. An untrimmed file found on open
 * therefore has zero-filled slots at its end, which the subclasses' sanity checks reject.
 *
 * <p>Thread model: one writer (the owning log's writer) appends, truncates and resizes; any number of readers look
 * entries up without locks. A writer stores an entry's bytes, then publishes it by the volatile write of
 * {@link #entries}; a reader reads {@code entries} first and touches only slots below it, so it never sees a
 * half-written entry. Mappings are never unmapped explicitly (a reader may still hold one); the garbage collector
 * releases them. Shrinking the file never cuts below a published entry, so an old, larger mapping held by a reader
 * stays safe to read within the entries it saw.
 */
abstract sealed class MappedIndex permits OffsetIndex, TimeIndex {

    protected final long baseOffset;
    private final int entrySize;
    private volatile Path file;
    private volatile MappedByteBuffer mmap;
    private volatile int entries;
    private volatile int maxEntries;

    /**
     * Opens (creating if missing) the index file. A writable index is extended to {@code maxIndexSize}; a read-only
     * one keeps its length.
     *
     * @throws CorruptIndexException if the file's length is not a whole number of entries
     */
    MappedIndex(Path file, long baseOffset, int maxIndexSize, int entrySize, boolean writable) throws IOException {
        this.file = file;
        this.baseOffset = baseOffset;
        this.entrySize = entrySize;
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            long length = raf.length();
            if (length % entrySize != 0) {
                throw new CorruptIndexException("Index file " + file + " has length " + length
                        + ", not a multiple of the entry size " + entrySize);
            }
            int existing = (int) (length / entrySize);
            int size = writable ? Math.max(roundDown(maxIndexSize), existing * entrySize) : existing * entrySize;
            if (size != length) {
                raf.setLength(size);
            }
            this.mmap = raf.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, size);
            this.maxEntries = size / entrySize;
            this.entries = existing;
        }
    }

    final Path file() {
        return file;
    }

    final int entries() {
        return entries;
    }

    final int maxEntries() {
        return maxEntries;
    }

    boolean isFull() {
        return entries >= maxEntries;
    }

    final int sizeInBytes() {
        return entries * entrySize;
    }

    /** The mapping readers use; read once per lookup together with {@link #entries()}. */
    protected final MappedByteBuffer mmap() {
        return mmap;
    }

    /** Publishes one more entry whose bytes the writer has just stored at slot {@code entries()}. */
    protected final void publishAppended() {
        entries = entries + 1;
    }

    /** Forgets every entry from {@code slot} on (the writer overwrites them later). */
    protected final void truncateToEntries(int slot) {
        entries = slot;
    }

    /** Drops every entry and makes room for {@code maxIndexSize} bytes again: used when a segment is rebuilt. */
    final void reset(int maxIndexSize) throws IOException {
        entries = 0;
        resize(maxIndexSize);
    }

    /** Cuts the file to the published entries: the index of a sealed segment takes no more room than it needs. */
    final void trimToValidSize() throws IOException {
        resize(sizeInBytes());
    }

    /** Grows the file again (for a segment that becomes writable after a clean reopen). */
    final void resizeForAppends(int maxIndexSize) throws IOException {
        resize(Math.max(roundDown(maxIndexSize), sizeInBytes()));
    }

    private void resize(int newSize) throws IOException {
        int size = roundDown(newSize);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            if (raf.length() != size) {
                raf.setLength(size);
            }
            mmap = raf.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, size);
            maxEntries = size / entrySize;
        }
    }

    /** Writes dirty pages of the mapping to disk. */
    final void flush() {
        mmap.force();
    }

    final void renameTo(Path target) throws IOException {
        Files.move(file, target, StandardCopyOption.REPLACE_EXISTING);
        file = target;
    }

    final void deleteIfExists() throws IOException {
        Files.deleteIfExists(file);
    }

    private int roundDown(int size) {
        return size - size % entrySize;
    }

    /**
     * Binary search over the first {@code count} slots whose keys ({@code keyOfSlot}) are sorted ascending: the
     * largest slot whose key is at most {@code target}, or -1 if even the first key is larger.
     */
    static int largestSlotAtMost(long target, int count, IntToLongFunction keyOfSlot) {
        int low = 0;
        int high = count - 1;
        int found = -1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (keyOfSlot.applyAsLong(mid) <= target) {
                found = mid;
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return found;
    }

    /** The relative form of {@code offset}, which must fit in the 4 bytes an entry has for it. */
    final int relativeOffset(long offset) {
        long relative = offset - baseOffset;
        if (relative < 0 || relative > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("Offset " + offset + " does not fit in the index of segment "
                    + baseOffset);
        }
        return (int) relative;
    }
}

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
 * and {@link TimeIndex}. Entries are stored from byte 0 with no header. The file of the segment being written may hold
 * up to {@code maxIndexSize} bytes (rounded down to whole entries), but it starts at {@link #INITIAL_BYTES} and doubles
 * when an append finds it full; it is trimmed to exactly {@code entries * entrySize} bytes when the segment is sealed or
 * closed. An untrimmed file found on open therefore has zero-filled slots at its end, which the subclasses' sanity
 * checks reject.
 *
 * <p>Why it grows rather than being preallocated whole, as Kafka's indexes are: a page fault on a mapped file reads
 * ahead around the faulting page, up to the device's read-ahead size but never past the end of the file. On a device
 * with a large read-ahead (8 MiB on the benchmark machine), a fault on an uncached page of a sparse 10 MiB index (after
 * a restart, or once evicted) filled the page cache with megabytes of zeros: with 1,000 partitions, gigabytes, which
 * evicted everything else and the indexes themselves, so appends kept faulting. A file at most twice the size of its
 * entries bounds that to what the index holds.
 *
 * <p>Thread model: one writer (the owning log's writer) appends, truncates and resizes; any number of readers look
 * entries up without locks. A writer stores an entry's bytes, then publishes it by the volatile write of
 * {@link #entries}; a reader takes the mapping, then the count, and touches only slots below both (see
 * {@link #entriesIn}), so it never sees a half-written entry or reads past its mapping. When the file grows, the writer
 * publishes the new mapping before any entry beyond the old one. Mappings are never unmapped explicitly (a reader may
 * still hold one); the garbage collector releases them. A reader that took the mapping just before it grew sees the
 * entries that mapping holds: a lookup over fewer entries of a sparse index answers an earlier position, which is
 * still a correct place to start scanning. Shrinking the file never cuts below a published entry, so an old, larger
 * mapping held by a reader stays safe to read within the entries it saw.
 */
abstract sealed class MappedIndex permits OffsetIndex, TimeIndex {

    /** Size of a new writable index file; it doubles up to {@code maxIndexSize} as entries need room. */
    static final int INITIAL_BYTES = 4096;

    protected final long baseOffset;
    private final int entrySize;
    private volatile Path file;
    private volatile MappedByteBuffer mmap;
    private volatile int entries;
    private volatile int maxEntries;

    /**
     * Opens (creating if missing) the index file. A writable index may grow to {@code maxIndexSize}; a read-only one
     * keeps its length.
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
            int limit = writable ? Math.max(roundDown(maxIndexSize), existing * entrySize) : existing * entrySize;
            int size = writable ? Math.max(existing * entrySize, initialSize(limit)) : limit;
            if (size != length) {
                raf.setLength(size);
            }
            this.mmap = raf.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, size);
            this.maxEntries = limit / entrySize;
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

    /** The mapping readers use; read once per lookup, before {@link #entriesIn}. */
    protected final MappedByteBuffer mmap() {
        return mmap;
    }

    /** The published entries that {@code index} (a mapping taken from {@link #mmap()} just before) holds. */
    protected final int entriesIn(MappedByteBuffer index) {
        return Math.min(entries, index.capacity() / entrySize);
    }

    /**
     * The writer's mapping with room for slot {@link #entries()}: the file doubles (up to the limit) when it is full.
     * The caller has checked that the index is not full.
     */
    protected final MappedByteBuffer mappingForAppend() throws IOException {
        MappedByteBuffer index = mmap;
        int needed = (entries + 1) * entrySize;
        if (needed > index.capacity()) {
            int limit = maxEntries * entrySize;
            resizeMapping(Math.min(limit, Math.max(needed, 2 * index.capacity())));
            index = mmap;
        }
        return index;
    }

    /** Publishes one more entry whose bytes the writer has just stored at slot {@code entries()}. */
    protected final void publishAppended() {
        entries = entries + 1;
    }

    /** Forgets every entry from {@code slot} on (the writer overwrites them later). */
    protected final void truncateToEntries(int slot) {
        entries = slot;
    }

    /** Drops every entry and allows {@code maxIndexSize} bytes again: used when a segment is rebuilt. */
    final void reset(int maxIndexSize) throws IOException {
        entries = 0;
        int limit = roundDown(maxIndexSize);
        resizeMapping(initialSize(limit));
        maxEntries = limit / entrySize;
    }

    /** Cuts the file to the published entries: the index of a sealed segment takes no more room than it needs. */
    final void trimToValidSize() throws IOException {
        int size = sizeInBytes();
        resizeMapping(size);
        maxEntries = size / entrySize;
    }

    /** Allows appends again, up to {@code maxIndexSize} (for a segment that becomes writable after a clean reopen). */
    final void resizeForAppends(int maxIndexSize) throws IOException {
        int limit = Math.max(roundDown(maxIndexSize), sizeInBytes());
        resizeMapping(Math.max(sizeInBytes(), initialSize(limit)));
        maxEntries = limit / entrySize;
    }

    /** Sets the file's length and maps all of it; entries beyond a smaller length must no longer be published. */
    private void resizeMapping(int newSize) throws IOException {
        int size = roundDown(newSize);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            if (raf.length() != size) {
                raf.setLength(size);
            }
            mmap = raf.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, size);
        }
    }

    private int initialSize(int limit) {
        return Math.min(limit, roundDown(INITIAL_BYTES));
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

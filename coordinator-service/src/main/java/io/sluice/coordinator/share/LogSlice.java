package io.sluice.coordinator.share;

import io.sluice.protocol.ErrorCode;
import java.util.Arrays;

/**
 * What the partition's log holds over a range of offsets, as the caller read it: the offsets in {@code [from, to)}
 * that hold a record a share consumer may be given. Offsets of the range not listed hold none (removed by compaction,
 * or control records), so a share-partition steps over them without waiting for them; {@code to} is at most the high
 * watermark the read saw. Immutable.
 */
final class LogSlice {

    private final long from;
    private final long to;
    private final long[] offsets;

    private LogSlice(long from, long to, long[] offsets) {
        this.from = from;
        this.to = to;
        this.offsets = offsets;
    }

    /**
     * The log's records in {@code [from, to)} are at {@code offsets}. Refused (INVALID_REQUEST) unless
     * {@code 0 <= from <= to} and the offsets rise strictly within the range.
     */
    public static LogSlice of(long from, long to, long... offsets) {
        if (from < 0 || to < from) {
            throw ErrorCode.INVALID_REQUEST.exception("A log slice needs 0 <= from <= to, not [" + from + ", " + to
                    + ")");
        }
        long[] copy = offsets.clone();
        long previous = from - 1;
        for (long offset : copy) {
            if (offset <= previous || offset >= to) {
                throw ErrorCode.INVALID_REQUEST.exception("The offsets of a log slice [" + from + ", " + to
                        + ") must rise strictly within it: " + Arrays.toString(copy));
            }
            previous = offset;
        }
        return new LogSlice(from, to, copy);
    }

    /** A range of the log without gaps: a record at every offset of {@code [from, to)}. */
    public static LogSlice dense(long from, long to) {
        if (from < 0 || to < from || to - from > Integer.MAX_VALUE) {
            throw ErrorCode.INVALID_REQUEST.exception("A log slice needs 0 <= from <= to, not [" + from + ", " + to
                    + ")");
        }
        long[] offsets = new long[(int) (to - from)];
        for (int i = 0; i < offsets.length; i++) {
            offsets[i] = from + i;
        }
        return new LogSlice(from, to, offsets);
    }

    /** Nothing read: only records already in the window can be acquired. */
    public static LogSlice empty(long at) {
        return of(at, at);
    }

    public long from() {
        return from;
    }

    public long to() {
        return to;
    }

    int size() {
        return offsets.length;
    }

    long offset(int index) {
        return offsets[index];
    }

    /** The index of the first listed offset at or above {@code offset}. */
    int indexOf(long offset) {
        int found = Arrays.binarySearch(offsets, offset);
        return found >= 0 ? found : -found - 1;
    }

    @Override
    public String toString() {
        return "LogSlice[" + from + ", " + to + ") " + offsets.length + " records";
    }
}

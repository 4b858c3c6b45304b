package io.sluice.log;

import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Every file name the log uses, in one place. A segment is the triple {@code <base>.log}, {@code <base>.index},
 * {@code <base>.timeindex}, where {@code <base>} is the segment's base offset as 20 zero-padded decimal digits, so
 * that names sort in offset order. A segment removed from the log is renamed with the {@code .deleted} suffix and
 * its files are removed later; any such file found on open is leftover and deleted. The log cleaner writes a segment
 * as {@code <name>.cleaned} and swaps it in under a {@code <base>.swap} marker (see {@link LogLoader}). Producer state
 * snapshots are {@code <offset>.snapshot} (see {@link ProducerStateManager}).
 */
final class LogFileUtils {

    static final String LOG_FILE_SUFFIX = ".log";
    static final String INDEX_FILE_SUFFIX = ".index";
    static final String TIME_INDEX_FILE_SUFFIX = ".timeindex";
    static final String DELETED_FILE_SUFFIX = ".deleted";
    /** A segment the log cleaner is writing; without a swap marker it is leftover and deleted on open. */
    static final String CLEANED_FILE_SUFFIX = ".cleaned";
    /** {@code <base>.swap}: the cleaner is replacing the segments in [base, end) by {@code <base>.log.cleaned}. */
    static final String SWAP_FILE_SUFFIX = ".swap";
    /** {@code <offset>.snapshot}: producer state as of the batches below offset (see {@link ProducerSnapshotFile}). */
    static final String PRODUCER_SNAPSHOT_SUFFIX = ".snapshot";
    /** Written by {@link CheckpointFile} before its atomic rename; left behind only by a crash. */
    static final String TEMP_FILE_SUFFIX = ".tmp";

    private static final int OFFSET_DIGITS = 20;

    private LogFileUtils() {
    }

    /** The 20-digit, zero-padded form of {@code offset} that starts every segment file's name. */
    static String filenamePrefixFromOffset(long offset) {
        if (offset < 0) {
            throw new IllegalArgumentException("negative segment base offset " + offset);
        }
        String digits = Long.toString(offset);
        return "0".repeat(OFFSET_DIGITS - digits.length()) + digits;
    }

    static Path logFile(Path dir, long baseOffset) {
        return dir.resolve(filenamePrefixFromOffset(baseOffset) + LOG_FILE_SUFFIX);
    }

    static Path offsetIndexFile(Path dir, long baseOffset) {
        return dir.resolve(filenamePrefixFromOffset(baseOffset) + INDEX_FILE_SUFFIX);
    }

    static Path timeIndexFile(Path dir, long baseOffset) {
        return dir.resolve(filenamePrefixFromOffset(baseOffset) + TIME_INDEX_FILE_SUFFIX);
    }

    static Path producerSnapshotFile(Path dir, long offset) {
        return dir.resolve(filenamePrefixFromOffset(offset) + PRODUCER_SNAPSHOT_SUFFIX);
    }

    static boolean isProducerSnapshotFile(Path file) {
        return hasSegmentName(file, PRODUCER_SNAPSHOT_SUFFIX);
    }

    /** {@code file} with the {@code .deleted} suffix appended, in the same directory. */
    static Path deletedFile(Path file) {
        return file.resolveSibling(file.getFileName() + DELETED_FILE_SUFFIX);
    }

    /** {@code file} with the {@code .cleaned} suffix appended, in the same directory. */
    static Path cleanedFile(Path file) {
        return file.resolveSibling(file.getFileName() + CLEANED_FILE_SUFFIX);
    }

    static Path swapMarker(Path dir, long baseOffset) {
        return dir.resolve(filenamePrefixFromOffset(baseOffset) + SWAP_FILE_SUFFIX);
    }

    static boolean isSwapMarker(Path file) {
        return hasSegmentName(file, SWAP_FILE_SUFFIX);
    }

    static boolean isLogFile(Path file) {
        return hasSegmentName(file, LOG_FILE_SUFFIX);
    }

    static boolean isIndexFile(Path file) {
        return hasSegmentName(file, INDEX_FILE_SUFFIX) || hasSegmentName(file, TIME_INDEX_FILE_SUFFIX);
    }

    static boolean isLeftover(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(DELETED_FILE_SUFFIX) || name.endsWith(TEMP_FILE_SUFFIX)
                || name.endsWith(CLEANED_FILE_SUFFIX);
    }

    /** The base offset encoded in a segment file's name, or empty if the name is not {@code <20 digits><suffix>}. */
    static OptionalLong offsetFromFileName(Path file) {
        String name = file.getFileName().toString();
        int dot = name.indexOf('.');
        if (dot != OFFSET_DIGITS) {
            return OptionalLong.empty();
        }
        for (int i = 0; i < OFFSET_DIGITS; i++) {
            if (!Character.isDigit(name.charAt(i))) {
                return OptionalLong.empty();
            }
        }
        try {
            return OptionalLong.of(Long.parseLong(name, 0, OFFSET_DIGITS, 10));
        } catch (NumberFormatException e) {
            return OptionalLong.empty(); // 20 digits can exceed Long.MAX_VALUE
        }
    }

    private static boolean hasSegmentName(Path file, String suffix) {
        String name = file.getFileName().toString();
        return name.length() == OFFSET_DIGITS + suffix.length() && name.endsWith(suffix)
                && offsetFromFileName(file).isPresent();
    }
}

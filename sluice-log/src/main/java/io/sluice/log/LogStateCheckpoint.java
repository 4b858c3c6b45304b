package io.sluice.log;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The offsets a partition log keeps across restarts, in {@value #FILE_NAME} in the partition directory, replaced
 * atomically through {@link CheckpointFile}:
 *
 * <pre>
 *   0                        version
 *   recovery-point 1200      every byte below this offset was fsynced; recovery starts here
 *   high-watermark 1150
 *   log-start-offset 0
 *   clean-shutdown false     true only when written by a clean close, and rewritten false on open
 *   stamp 7316102842375501   a random number drawn for each write of this file (0 in files written before it had one)
 * </pre>
 *
 * A node's {@link LogManager} checkpoints the same values of every log periodically in one file for the whole data
 * directory ({@link DirectoryStateCheckpoint}), each with the stamp of the log's own file as it was: on open, a log
 * takes the directory's values only while its own file still carries that stamp, that is when nothing (a cut, a new
 * log start, a close) has rewritten it since.
 *
 * Not thread-safe: the log's writer owns it.
 */
final class LogStateCheckpoint {

    static final String FILE_NAME = "log-state-checkpoint";
    private static final String VERSION = "0";

    /** The checkpointed values. */
    record State(long recoveryPoint, long highWatermark, long logStartOffset, boolean cleanShutdown, long stamp) {

        /** The same offsets under {@code value}. */
        State withStamp(long value) {
            return new State(recoveryPoint, highWatermark, logStartOffset, cleanShutdown, value);
        }

        /** Whether the offsets and the shutdown mark are the same, whatever the stamps. */
        boolean sameAs(State other) {
            return other != null && recoveryPoint == other.recoveryPoint && highWatermark == other.highWatermark
                    && logStartOffset == other.logStartOffset && cleanShutdown == other.cleanShutdown;
        }
    }

    /** A stamp for a new write: random, never 0 (which marks a file from before stamps). */
    static long newStamp() {
        long stamp;
        do {
            stamp = ThreadLocalRandom.current().nextLong();
        } while (stamp == 0);
        return stamp;
    }

    private final CheckpointFile file;

    LogStateCheckpoint(Path dir) {
        this.file = new CheckpointFile(dir.resolve(FILE_NAME));
    }

    void write(State state) throws IOException {
        file.write(List.of(VERSION,
                "recovery-point " + state.recoveryPoint(),
                "high-watermark " + state.highWatermark(),
                "log-start-offset " + state.logStartOffset(),
                "clean-shutdown " + state.cleanShutdown(),
                "stamp " + state.stamp()));
    }

    /**
     * The checkpointed state, or empty if the file is missing.
     *
     * @throws CorruptCheckpointException if it exists but does not parse
     */
    Optional<State> read() throws IOException {
        Optional<List<String>> lines = file.read();
        if (lines.isEmpty()) {
            return Optional.empty();
        }
        List<String> content = lines.get();
        if (content.isEmpty() || !content.getFirst().trim().equals(VERSION)) {
            throw new CorruptCheckpointException(file.path(), "expected version " + VERSION + " on the first line");
        }
        Map<String, String> values = new HashMap<>();
        for (String line : content.subList(1, content.size())) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length != 2) {
                throw new CorruptCheckpointException(file.path(), "line '" + line + "' is not 'name value'");
            }
            values.put(fields[0], fields[1]);
        }
        try {
            return Optional.of(new State(offset(values, "recovery-point"), offset(values, "high-watermark"),
                    offset(values, "log-start-offset"), Boolean.parseBoolean(required(values, "clean-shutdown")),
                    values.containsKey("stamp") ? Long.parseLong(values.get("stamp")) : 0));
        } catch (NumberFormatException e) {
            throw new CorruptCheckpointException(file.path(), "a value is not a number: " + e.getMessage());
        }
    }

    private long offset(Map<String, String> values, String name) throws CorruptCheckpointException {
        long value = Long.parseLong(required(values, name));
        if (value < 0) {
            throw new CorruptCheckpointException(file.path(), name + " is negative");
        }
        return value;
    }

    private String required(Map<String, String> values, String name) throws CorruptCheckpointException {
        String value = values.get(name);
        if (value == null) {
            throw new CorruptCheckpointException(file.path(), "missing " + name);
        }
        return value;
    }
}

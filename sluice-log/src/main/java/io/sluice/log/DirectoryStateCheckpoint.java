package io.sluice.log;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The periodic checkpoint of every log in a data directory, in one file, {@value #FILE_NAME} at the directory's top,
 * replaced atomically through {@link CheckpointFile} (Kafka keeps its high watermarks and recovery points in one file
 * per data directory for the same reason: one fsync per interval, however many partitions):
 *
 * <pre>
 *   0                                          version
 *   2                                          number of logs
 *   orders-0 7316102842375501 1200 1150 0      directory, stamp, recovery point, high watermark, log start offset
 *   orders-1 -402213658719011 98 98 0
 * </pre>
 *
 * Each line carries the stamp of the log's own {@link LogStateCheckpoint} as it was when the values were read; a log
 * uses the line only while its own file still carries that stamp (see {@link LogLoader}). Not thread-safe: the
 * {@link LogManager} serializes writes.
 */
final class DirectoryStateCheckpoint {

    static final String FILE_NAME = "log-state-checkpoint";
    private static final String VERSION = "0";

    private final CheckpointFile file;

    DirectoryStateCheckpoint(Path dataDir) {
        this.file = new CheckpointFile(dataDir.resolve(FILE_NAME));
    }

    Path path() {
        return file.path();
    }

    /** Writes the states of {@code logs}, by directory name, durably. */
    void write(Map<String, LogStateCheckpoint.State> logs) throws IOException {
        List<String> lines = new ArrayList<>(logs.size() + 2);
        lines.add(VERSION);
        lines.add(Integer.toString(logs.size()));
        for (Map.Entry<String, LogStateCheckpoint.State> entry : logs.entrySet()) {
            LogStateCheckpoint.State state = entry.getValue();
            lines.add(entry.getKey() + " " + state.stamp() + " " + state.recoveryPoint() + " " + state.highWatermark()
                    + " " + state.logStartOffset());
        }
        file.write(lines);
    }

    /**
     * The states by directory name (none when the file is missing), each marked as not from a clean shutdown.
     *
     * @throws CorruptCheckpointException if the file exists but does not parse
     */
    Map<String, LogStateCheckpoint.State> read() throws IOException {
        Optional<List<String>> read = file.read();
        Map<String, LogStateCheckpoint.State> logs = new TreeMap<>();
        if (read.isEmpty()) {
            return logs;
        }
        List<String> lines = read.get();
        if (lines.size() < 2 || !lines.get(0).trim().equals(VERSION)) {
            throw new CorruptCheckpointException(file.path(), "expected version " + VERSION + " and a log count");
        }
        try {
            int count = Integer.parseInt(lines.get(1).trim());
            if (count != lines.size() - 2) {
                throw new CorruptCheckpointException(file.path(), "declares " + count + " logs but holds "
                        + (lines.size() - 2));
            }
            for (String line : lines.subList(2, lines.size())) {
                String[] fields = line.trim().split("\\s+");
                if (fields.length != 5) {
                    throw new CorruptCheckpointException(file.path(), "line '" + line
                            + "' is not 'directory stamp recovery-point high-watermark log-start-offset'");
                }
                long recoveryPoint = Long.parseLong(fields[2]);
                long highWatermark = Long.parseLong(fields[3]);
                long logStart = Long.parseLong(fields[4]);
                if (recoveryPoint < 0 || highWatermark < 0 || logStart < 0) {
                    throw new CorruptCheckpointException(file.path(), "line '" + line + "' has a negative offset");
                }
                logs.put(fields[0], new LogStateCheckpoint.State(recoveryPoint, highWatermark, logStart, false,
                        Long.parseLong(fields[1])));
            }
        } catch (NumberFormatException e) {
            throw new CorruptCheckpointException(file.path(), "a value is not a number: " + e.getMessage());
        }
        return logs;
    }
}

package io.sluice.log;

import io.sluice.protocol.TopicPartition;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The log cleaner's checkpoint of one data directory, Kafka's {@code cleaner-offset-checkpoint}: for each compacted
 * log, the offset up to which it is clean (every key below it appears at most once, bar what later writes made
 * stale). Format, replaced atomically ({@link CheckpointFile}):
 *
 * <pre>
 *   0                   version
 *   2                   number of entries
 *   orders 0 52114      topic partition offset
 *   users 3 880
 * </pre>
 *
 * Losing it only costs work: the cleaner then treats the whole log as dirty. Only the cleaner's thread uses it.
 */
final class CleanerCheckpoint {

    static final String FILE_NAME = "cleaner-offset-checkpoint";
    private static final int VERSION = 0;

    private final CheckpointFile file;

    CleanerCheckpoint(Path dataDir) {
        this.file = new CheckpointFile(dataDir.resolve(FILE_NAME));
    }

    /** The clean offsets on disk; empty when there is no file or it cannot be read (everything is then dirty). */
    Map<TopicPartition, Long> read() throws IOException {
        Map<TopicPartition, Long> offsets = new TreeMap<>();
        Optional<List<String>> lines = file.read();
        if (lines.isEmpty()) {
            return offsets;
        }
        try {
            List<String> content = lines.get();
            if (Integer.parseInt(content.get(0).trim()) != VERSION) {
                return offsets;
            }
            int count = Integer.parseInt(content.get(1).trim());
            for (int i = 0; i < count; i++) {
                String[] fields = content.get(2 + i).trim().split(" ");
                offsets.put(new TopicPartition(fields[0], Integer.parseInt(fields[1])), Long.parseLong(fields[2]));
            }
        } catch (RuntimeException e) {
            offsets.clear(); // a corrupt checkpoint makes every log dirty, which is safe
        }
        return offsets;
    }

    void write(Map<TopicPartition, Long> offsets) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add(Integer.toString(VERSION));
        lines.add(Integer.toString(offsets.size()));
        new TreeMap<>(offsets).forEach((tp, offset) -> lines.add(tp.topic() + " " + tp.partition() + " " + offset));
        file.write(lines);
    }
}

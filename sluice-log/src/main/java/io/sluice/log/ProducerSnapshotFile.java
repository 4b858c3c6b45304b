package io.sluice.log;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A producer state snapshot, {@code <offset>.snapshot} (Kafka's name): the state of every producer as of the batches
 * below {@code <offset>}, so that loading the log replays only the batches after it. Written atomically (a
 * {@link CheckpointFile}), text:
 *
 * <pre>
 *   1                                    version
 *   3                                    number of batch lines
 *   7 0 1700000000000 0 4 100 104 1699999999990     producerId epoch lastSeenMs firstSeq lastSeq firstOffset
 *   7 0 1700000000000 5 9 120 124 1699999999995       lastOffset timestamp — one line per retained batch,
 *   9 2 1700000000500 0 0 130 130 1700000000400       a producer's batches oldest first
 * </pre>
 *
 * A file that does not parse is corrupt ({@link CorruptCheckpointException}): its owner deletes it and falls back to
 * an older snapshot or to the log itself.
 */
final class ProducerSnapshotFile {

    private static final int VERSION = 1;

    private final CheckpointFile file;
    private final long offset;

    ProducerSnapshotFile(Path dir, long offset) {
        this.file = new CheckpointFile(LogFileUtils.producerSnapshotFile(dir, offset));
        this.offset = offset;
    }

    long offset() {
        return offset;
    }

    Path path() {
        return file.path();
    }

    void write(Collection<ProducerStateEntry> entries) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add(Integer.toString(VERSION));
        lines.add("");
        int count = 0;
        for (ProducerStateEntry entry : entries) {
            for (BatchMetadata batch : entry.batches()) {
                lines.add(entry.producerId() + " " + entry.producerEpoch() + " " + entry.lastSeenMs() + " "
                        + batch.firstSeq() + " " + batch.lastSeq() + " " + batch.firstOffset() + " "
                        + batch.lastOffset() + " " + batch.timestamp());
                count++;
            }
        }
        lines.set(1, Integer.toString(count));
        file.write(lines);
    }

    /** The producers the file holds, by producer id; empty if the file does not exist. */
    Optional<Map<Long, ProducerStateEntry>> read() throws IOException {
        Optional<List<String>> content = file.read();
        if (content.isEmpty()) {
            return Optional.empty();
        }
        List<String> lines = content.get();
        try {
            if (lines.size() < 2 || Integer.parseInt(lines.get(0).trim()) != VERSION) {
                throw new IllegalArgumentException("unknown version or header");
            }
            int count = Integer.parseInt(lines.get(1).trim());
            if (count != lines.size() - 2) {
                throw new IllegalArgumentException(count + " batches announced, " + (lines.size() - 2) + " present");
            }
            Map<Long, ProducerStateEntry> producers = new LinkedHashMap<>();
            for (String line : lines.subList(2, lines.size())) {
                String[] f = line.trim().split(" ");
                if (f.length != 8) {
                    throw new IllegalArgumentException("bad line '" + line + "'");
                }
                long producerId = Long.parseLong(f[0]);
                short epoch = Short.parseShort(f[1]);
                long lastSeen = Long.parseLong(f[2]);
                BatchMetadata batch = new BatchMetadata(Integer.parseInt(f[3]), Integer.parseInt(f[4]),
                        Long.parseLong(f[5]), Long.parseLong(f[6]), Long.parseLong(f[7]));
                producers.computeIfAbsent(producerId, id -> new ProducerStateEntry(id, epoch, lastSeen))
                        .addBatch(epoch, batch, lastSeen);
            }
            return Optional.of(producers);
        } catch (RuntimeException e) {
            throw new CorruptCheckpointException(file.path(), e.getMessage());
        }
    }
}

package io.sluice.log;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A producer state snapshot, {@code <offset>.snapshot} (Kafka's name): the state of every producer as of the batches
 * below {@code <offset>}, so that loading the log replays only the batches after it. Written atomically (a
 * {@link CheckpointFile}), text:
 *
 * <pre>
 *   2                                    version
 *   3                                    number of producer lines
 *   7 0 1700000000000 0 4 100 104 1699999999990 -1 -1    producerId epoch lastSeenMs firstSeq lastSeq firstOffset
 *   7 0 1700000000000 5 9 120 124 1699999999995 -1 -1      lastOffset timestamp currentTxnFirstOffset
 *   9 2 1700000000500 -1 -1 -1 -1 -1 130 4                 coordinatorEpoch — one line per retained batch, a
 *   2                                    number of       producer's oldest first; a producer without batches has
 *   a 9 90 96 97                                         one line of -1s in their place
 *   c 90 96                              transaction lines: "a producerId firstOffset lastOffset lastStableOffset" an
 *                                        aborted transaction, "c firstOffset markerOffset" one whose marker may still
 *                                        be above the high watermark
 * </pre>
 *
 * Version 1 files (no transaction fields, no transaction lines) are still read. A file that does not parse is corrupt
 * ({@link CorruptCheckpointException}): its owner deletes it and falls back to an older snapshot or to the log itself.
 */
final class ProducerSnapshotFile {

    private static final int VERSION = 2;

    private final CheckpointFile file;
    private final long offset;

    /** What a snapshot holds. */
    record Content(Map<Long, ProducerStateEntry> producers, List<AbortedTxn> aborted, Map<Long, Long> completing) {
    }

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

    void write(Collection<ProducerStateEntry> entries, Collection<AbortedTxn> aborted, Map<Long, Long> completing)
            throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add(Integer.toString(VERSION));
        lines.add("");
        int count = 0;
        for (ProducerStateEntry entry : entries) {
            String txn = " " + entry.currentTxnFirstOffset() + " " + entry.coordinatorEpoch();
            String producer = entry.producerId() + " " + entry.producerEpoch() + " " + entry.lastSeenMs() + " ";
            if (entry.batches().isEmpty()) {
                lines.add(producer + "-1 -1 -1 -1 -1" + txn);
                count++;
            }
            for (BatchMetadata batch : entry.batches()) {
                lines.add(producer + batch.firstSeq() + " " + batch.lastSeq() + " " + batch.firstOffset() + " "
                        + batch.lastOffset() + " " + batch.timestamp() + txn);
                count++;
            }
        }
        lines.set(1, Integer.toString(count));
        lines.add(Integer.toString(aborted.size() + completing.size()));
        aborted.forEach(a -> lines.add("a " + a.producerId() + " " + a.firstOffset() + " " + a.lastOffset() + " "
                + a.lastStableOffset()));
        completing.forEach((first, marker) -> lines.add("c " + first + " " + marker));
        file.write(lines);
    }

    /** What the file holds; empty if the file does not exist. */
    Optional<Content> read() throws IOException {
        Optional<List<String>> content = file.read();
        if (content.isEmpty()) {
            return Optional.empty();
        }
        List<String> lines = content.get();
        try {
            int version = lines.isEmpty() ? -1 : Integer.parseInt(lines.get(0).trim());
            if (lines.size() < 2 || (version != 1 && version != VERSION)) {
                throw new IllegalArgumentException("unknown version or header");
            }
            int count = Integer.parseInt(lines.get(1).trim());
            int txnLines = version == 1 ? 0 : Integer.parseInt(lines.get(2 + count).trim());
            int expected = version == 1 ? 2 + count : 3 + count + txnLines;
            if (lines.size() != expected) {
                throw new IllegalArgumentException(lines.size() + " lines, " + expected + " announced");
            }
            Map<Long, ProducerStateEntry> producers = new LinkedHashMap<>();
            for (String line : lines.subList(2, 2 + count)) {
                readProducerLine(line, version, producers);
            }
            List<AbortedTxn> aborted = new ArrayList<>();
            Map<Long, Long> completing = new TreeMap<>();
            for (String line : lines.subList(Math.min(lines.size(), 3 + count), lines.size())) {
                String[] f = line.trim().split(" ");
                if (f.length == 5 && f[0].equals("a")) {
                    aborted.add(new AbortedTxn(Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]),
                            Long.parseLong(f[4])));
                } else if (f.length == 3 && f[0].equals("c")) {
                    completing.put(Long.parseLong(f[1]), Long.parseLong(f[2]));
                } else {
                    throw new IllegalArgumentException("bad transaction line '" + line + "'");
                }
            }
            return Optional.of(new Content(producers, aborted, completing));
        } catch (RuntimeException e) {
            throw new CorruptCheckpointException(file.path(), e.getMessage());
        }
    }

    private static void readProducerLine(String line, int version, Map<Long, ProducerStateEntry> producers) {
        String[] f = line.trim().split(" ");
        if (f.length != (version == 1 ? 8 : 10)) {
            throw new IllegalArgumentException("bad line '" + line + "'");
        }
        long producerId = Long.parseLong(f[0]);
        short epoch = Short.parseShort(f[1]);
        long lastSeen = Long.parseLong(f[2]);
        ProducerStateEntry entry = producers.computeIfAbsent(producerId,
                id -> new ProducerStateEntry(id, epoch, lastSeen));
        int firstSeq = Integer.parseInt(f[3]);
        if (firstSeq >= 0) {
            entry.addBatch(epoch, new BatchMetadata(firstSeq, Integer.parseInt(f[4]), Long.parseLong(f[5]),
                    Long.parseLong(f[6]), Long.parseLong(f[7])), lastSeen);
        }
        if (version > 1) {
            entry.currentTxnFirstOffset(Long.parseLong(f[8]));
            entry.markerWritten(epoch, Integer.parseInt(f[9]), lastSeen);
        }
    }
}

package io.sluice.testing;

import io.sluice.protocol.record.FileBatch;
import io.sluice.protocol.record.FileBatchIterator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What a power loss does to a partition service's data directory that a SIGKILL does not: the bytes of the segment
 * files that were written but never fsynced are gone. A SIGKILL alone leaves them in the page cache, so without this
 * every crash test would be a crash of a process on a machine that kept running.
 *
 * <p>How much is lost is read from the log itself: each replica's {@code log-state-checkpoint} names its recovery
 * point, the offset below which every byte was fsynced (the log flushes, then checkpoints; the checkpoint file itself
 * is replaced with fsync and rename, so it survives), unless the data directory's periodic {@code log-state-checkpoint}
 * has a newer one for it, which the log then recovers from (its line carries the stamp of the replica's own file, and
 * counts while that file still carries it). Everything from the recovery point on is cut: whole segments
 * whose base offset is above it, and the tail of the segment holding it from the first batch at or after it. That is
 * the worst a power loss can do to the segment files, and never more: bytes fsynced after the last checkpoint are
 * cut too (they would have survived only by luck of timing — the log never relies on them). Index files are left as
 * they are, with entries past the cut: the log rebuilds the indexes of the segment holding the recovery point on
 * recovery. Checkpoint files (recovery point, high watermark, leader epochs, topic id) are fsynced when written and
 * stay. A replica whose checkpoint says it was shut down cleanly was flushed entirely and loses nothing.
 *
 * <p>The directory must not be in use: the process that owned it must be dead. The directory's lock file proves it.
 */
public final class PowerLoss {

    private static final String CHECKPOINT = "log-state-checkpoint";
    private static final String LOG_SUFFIX = ".log";

    /** What one replica lost: its log end before and after, and the bytes cut. */
    public record Cut(String replica, long recoveryPoint, long logEndBefore, long logEndAfter, long bytesCut) {
    }

    private record Checkpoint(long recoveryPoint, boolean cleanShutdown, long stamp) {
    }

    private PowerLoss() {
    }

    /**
     * Cuts every replica in a dead node's data directory back to its recovery point.
     *
     * @return what each replica lost (replicas that lost nothing included)
     * @throws IllegalStateException if a live process still holds the directory's lock
     */
    public static List<Cut> dropUnflushedTails(Path dataDir) {
        requireUnlocked(dataDir);
        Map<String, Checkpoint> periodic = readDirectoryCheckpoint(dataDir);
        List<Cut> cuts = new ArrayList<>();
        for (Path replica : replicaDirs(dataDir)) {
            cuts.add(dropUnflushedTail(replica, periodic.get(replica.getFileName().toString())));
        }
        return cuts;
    }

    private static Cut dropUnflushedTail(Path replica, Checkpoint periodic) {
        String name = replica.getFileName().toString();
        List<Path> segments = segmentFiles(replica);
        long endBefore = logEnd(segments);
        Optional<Checkpoint> checkpoint = readCheckpoint(replica);
        if (checkpoint.isPresent() && checkpoint.get().cleanShutdown()) {
            return new Cut(name, endBefore, endBefore, endBefore, 0);
        }
        if (checkpoint.isPresent() && periodic != null && checkpoint.get().stamp() != 0
                && checkpoint.get().stamp() == periodic.stamp()) {
            checkpoint = Optional.of(periodic);
        }
        // No checkpoint yet: the replica appeared after the node's last checkpoint round; nothing of it is known to
        // have been flushed.
        long recoveryPoint = checkpoint.map(Checkpoint::recoveryPoint).orElse(0L);
        Path holding = segments.stream().filter(s -> baseOffset(s) <= recoveryPoint).reduce((a, b) -> b).orElse(null);
        long bytesCut = 0;
        try {
            for (Path segment : segments) {
                if (segment.equals(holding)) {
                    long position = positionOfFirstBatchFrom(segment, recoveryPoint);
                    bytesCut += Files.size(segment) - position;
                    truncate(segment, position);
                } else if (baseOffset(segment) > recoveryPoint) {
                    // Created after the last flush: the file is gone with its contents, indexes too.
                    bytesCut += Files.size(segment);
                    String base = segment.getFileName().toString().replace(LOG_SUFFIX, "");
                    for (String suffix : List.of(LOG_SUFFIX, ".index", ".timeindex")) {
                        Files.deleteIfExists(replica.resolve(base + suffix));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not cut " + replica, e);
        }
        return new Cut(name, recoveryPoint, endBefore, logEnd(segmentFiles(replica)), bytesCut);
    }

    /** The position of the first batch whose base offset is at or above {@code offset}, or the file's end. */
    private static long positionOfFirstBatchFrom(Path segment, long offset) throws IOException {
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.READ)) {
            FileBatchIterator batches = new FileBatchIterator(channel, 0, channel.size(), Integer.MAX_VALUE);
            for (FileBatch batch = batches.nextBatch(); batch != null; batch = batches.nextBatch()) {
                if (batch.baseOffset() >= offset) {
                    return batch.position();
                }
            }
            return batches.position();
        }
    }

    private static void truncate(Path file, long size) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            if (channel.size() > size) {
                channel.truncate(size);
            }
        }
    }

    /** The log end the segment files show: the offset after the last whole batch, 0 when there is none. */
    private static long logEnd(List<Path> segments) {
        long end = 0;
        for (Path segment : segments) {
            try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.READ)) {
                FileBatchIterator batches = new FileBatchIterator(channel, 0, channel.size(), Integer.MAX_VALUE);
                for (FileBatch batch = batches.nextBatch(); batch != null; batch = batches.nextBatch()) {
                    end = batch.nextOffset();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return end;
    }

    /**
     * The recovery point and clean-shutdown mark from the replica's state checkpoint,
     * in the format {@code sluice-log} writes (docs/storage.md): a version line, then {@code name value} lines.
     */
    private static Optional<Checkpoint> readCheckpoint(Path replica) {
        Path file = replica.resolve(CHECKPOINT);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            long recoveryPoint = -1;
            long clean = -1;
            long stamp = 0;
            for (String line : Files.readAllLines(file)) {
                String[] fields = line.trim().split("\\s+");
                if (fields.length == 2 && fields[0].equals("recovery-point")) {
                    recoveryPoint = Long.parseLong(fields[1]);
                } else if (fields.length == 2 && fields[0].equals("clean-shutdown")) {
                    clean = Boolean.parseBoolean(fields[1]) ? 1 : 0;
                } else if (fields.length == 2 && fields[0].equals("stamp")) {
                    stamp = Long.parseLong(fields[1]);
                }
            }
            if (recoveryPoint < 0 || clean < 0) {
                throw new IllegalStateException(file + " does not name a recovery point and a shutdown mark");
            }
            return Optional.of(new Checkpoint(recoveryPoint, clean == 1, stamp));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The data directory's periodic checkpoint by replica directory name: after a version and a count line, one
     * {@code directory stamp recovery-point high-watermark log-start-offset} line per replica (docs/storage.md).
     */
    private static Map<String, Checkpoint> readDirectoryCheckpoint(Path dataDir) {
        Path file = dataDir.resolve(CHECKPOINT);
        Map<String, Checkpoint> lines = new HashMap<>();
        if (!Files.isRegularFile(file)) {
            return lines;
        }
        try {
            List<String> content = Files.readAllLines(file);
            for (String line : content.subList(Math.min(2, content.size()), content.size())) {
                String[] fields = line.trim().split("\\s+");
                if (fields.length != 5) {
                    throw new IllegalStateException(file + " has a line that is not 'directory stamp offsets': "
                            + line);
                }
                lines.put(fields[0], new Checkpoint(Long.parseLong(fields[2]), false, Long.parseLong(fields[1])));
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void requireUnlocked(Path dataDir) {
        Path lock = dataDir.resolve(".lock");
        if (!Files.exists(lock)) {
            return;
        }
        try (FileChannel channel = FileChannel.open(lock, StandardOpenOption.WRITE)) {
            FileLock held = channel.tryLock();
            if (held == null) {
                throw new IllegalStateException(dataDir + " is locked by a live process: no power loss while it runs");
            }
            held.release();
        } catch (OverlappingFileLockException e) {
            throw new IllegalStateException(dataDir + " is locked by this JVM", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> replicaDirs(Path dataDir) {
        try (Stream<Path> entries = Files.list(dataDir)) {
            return entries.filter(Files::isDirectory).filter(dir -> Files.exists(dir.resolve(CHECKPOINT))
                    || !segmentFiles(dir).isEmpty()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> segmentFiles(Path replica) {
        try (Stream<Path> files = Files.list(replica)) {
            return files.filter(file -> file.getFileName().toString().endsWith(LOG_SUFFIX)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long baseOffset(Path segment) {
        String file = segment.getFileName().toString();
        return Long.parseLong(file.substring(0, file.length() - LOG_SUFFIX.length()));
    }
}

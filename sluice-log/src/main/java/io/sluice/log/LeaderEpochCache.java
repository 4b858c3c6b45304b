package io.sluice.log;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * The leader-epoch cache of one replica: for each leader epoch that wrote to this log, the first offset it wrote.
 * Followers use it to find where their log diverges from a new leader's (KIP-101/279): they ask the leader for the
 * end of their latest epoch and truncate there, never merely to their high watermark.
 *
 * <p>Invariant: entries are strictly increasing in epoch and non-decreasing in start offset. Changes are persisted to
 * {@value #FILE_NAME} in the partition directory, in Kafka's checkpoint layout:
 * <pre>
 *   0                 version
 *   2                 number of entries
 *   0 0               epoch startOffset
 *   3 1200
 * </pre>
 * Every change is durable before its method returns, except an epoch learned while appending
 * ({@link #assignUnflushed}): that one is written by the next {@link #flush()}, which the log runs before its
 * recovery point passes the epoch's start (as Kafka does since KAFKA-15046). Until then crash recovery, which
 * rescans every batch from the recovery point's segment on, relearns it from the batches' headers; so the append path
 * never waits for an fsync, while a cut or a new log start (which recovery cannot relearn) is durable at once.
 *
 * <p>Thread-safe: the entries are guarded by the cache's monitor, held only in memory; the file is written outside
 * it, under a lock of its own, from a snapshot numbered by version so that an older snapshot never overwrites a newer.
 */
public final class LeaderEpochCache {

    public static final String FILE_NAME = "leader-epoch-checkpoint";
    private static final String VERSION = "0";

    private final CheckpointFile checkpoint;
    private final List<EpochEntry> entries;
    /** Serializes writes of the file; taken before the monitor, never inside it. */
    private final ReentrantLock fileLock = new ReentrantLock();
    /** Counts changes to the entries (guarded by the monitor). */
    private long version;
    /** The version the file holds (guarded by {@link #fileLock}). */
    private long writtenVersion;

    private LeaderEpochCache(CheckpointFile checkpoint, List<EpochEntry> entries) {
        this.checkpoint = checkpoint;
        this.entries = entries;
    }

    /** Loads the cache from {@code file}, or starts empty when the file does not exist. */
    public static LeaderEpochCache open(Path file) throws IOException {
        CheckpointFile checkpoint = new CheckpointFile(file);
        Optional<List<String>> lines = checkpoint.read();
        return new LeaderEpochCache(checkpoint, lines.isPresent() ? parse(file, lines.get()) : new ArrayList<>());
    }

    /**
     * Records that {@code epoch} starts writing at {@code startOffset}, durably. Re-assigning the latest epoch at or
     * after its recorded start changes nothing. Otherwise entries that the new one contradicts (an epoch at or above
     * it, or a start offset at or beyond it) are dropped first, so the invariant holds whatever order appends arrive
     * in.
     */
    public void assign(int epoch, long startOffset) throws IOException {
        requireValid(epoch, startOffset);
        change(() -> assignInMemory(epoch, startOffset));
    }

    /**
     * As {@link #assign}, but the file is written by the next {@link #flush()} (or durable change), not now: for an
     * epoch learned from the batches being appended, which crash recovery relearns from them as long as the log's
     * recovery point has not passed them.
     */
    public synchronized void assignUnflushed(int epoch, long startOffset) {
        requireValid(epoch, startOffset);
        if (assignInMemory(epoch, startOffset)) {
            version++;
        }
    }

    /** Writes changes not yet in the file ({@link #assignUnflushed}); nothing when there are none. */
    public void flush() throws IOException {
        change(() -> false);
    }

    private static void requireValid(int epoch, long startOffset) {
        if (epoch < 0 || startOffset < 0) {
            throw new IllegalArgumentException("epoch " + epoch + " and start offset " + startOffset + " must be >= 0");
        }
    }

    /** Whether the entries changed. Called under the monitor. */
    private boolean assignInMemory(int epoch, long startOffset) {
        EpochEntry latest = entries.isEmpty() ? null : entries.getLast();
        if (latest != null && latest.epoch() == epoch && latest.startOffset() <= startOffset) {
            return false;
        }
        entries.removeIf(e -> e.epoch() >= epoch || e.startOffset() >= startOffset);
        entries.add(new EpochEntry(epoch, startOffset));
        return true;
    }

    public synchronized OptionalInt latestEpoch() {
        return entries.isEmpty() ? OptionalInt.empty() : OptionalInt.of(entries.getLast().epoch());
    }

    /**
     * Where {@code requestedEpoch} ended in this log: for the latest epoch, the log end; for an older one, the start
     * of the next higher epoch, paired with the largest known epoch at or below the requested one (or the requested
     * epoch itself when it precedes every entry). {@link EpochEndOffset#UNDEFINED} when the requested epoch is newer
     * than any here, undefined, or the cache is empty.
     */
    public synchronized EpochEndOffset endOffsetFor(int requestedEpoch, long logEndOffset) {
        if (requestedEpoch == EpochEndOffset.UNDEFINED_EPOCH || entries.isEmpty()) {
            return EpochEndOffset.UNDEFINED;
        }
        if (entries.getLast().epoch() == requestedEpoch) {
            return new EpochEndOffset(requestedEpoch, logEndOffset);
        }
        EpochEntry floor = null;
        for (EpochEntry entry : entries) {
            if (entry.epoch() > requestedEpoch) {
                return floor == null
                        ? new EpochEndOffset(requestedEpoch, entry.startOffset())
                        : new EpochEndOffset(floor.epoch(), entry.startOffset());
            }
            floor = entry;
        }
        return EpochEndOffset.UNDEFINED;
    }

    /** Forgets epochs that start at or after {@code endOffset}: the log was truncated to end there. */
    public void truncateFromEnd(long endOffset) throws IOException {
        change(() -> entries.removeIf(e -> e.startOffset() >= endOffset));
    }

    /**
     * Forgets epochs wholly below {@code startOffset} (the log start moved there); the epoch in force at
     * {@code startOffset} is kept, starting at {@code startOffset}.
     */
    public void truncateFromStart(long startOffset) throws IOException {
        change(() -> {
            int inForce = -1;
            for (int i = 0; i < entries.size() && entries.get(i).startOffset() <= startOffset; i++) {
                inForce = i;
            }
            if (inForce < 0 || (inForce == 0 && entries.getFirst().startOffset() == startOffset)) {
                return false;
            }
            EpochEntry kept = new EpochEntry(entries.get(inForce).epoch(), startOffset);
            entries.subList(0, inForce + 1).clear();
            entries.addFirst(kept);
            return true;
        });
    }

    public void clear() throws IOException {
        change(() -> {
            boolean changed = !entries.isEmpty();
            entries.clear();
            return changed;
        });
    }

    public synchronized List<EpochEntry> entries() {
        return List.copyOf(entries);
    }

    /**
     * Applies {@code change} to the entries under the monitor, then writes the file if it lacks any change (this one
     * or an unflushed one), outside the monitor: readers and unflushed assigns never wait for the fsync.
     */
    private void change(BooleanSupplier change) throws IOException {
        fileLock.lock();
        try {
            List<String> lines;
            long snapshot;
            synchronized (this) {
                if (change.getAsBoolean()) {
                    version++;
                }
                if (version == writtenVersion) {
                    return;
                }
                snapshot = version;
                lines = new ArrayList<>(entries.size() + 2);
                lines.add(VERSION);
                lines.add(Integer.toString(entries.size()));
                for (EpochEntry entry : entries) {
                    lines.add(entry.epoch() + " " + entry.startOffset());
                }
            }
            checkpoint.write(lines);
            writtenVersion = snapshot;
        } finally {
            fileLock.unlock();
        }
    }

    private static List<EpochEntry> parse(Path file, List<String> lines) throws IOException {
        if (lines.size() < 2 || !lines.get(0).equals(VERSION)) {
            throw new CorruptCheckpointException(file, "expected version " + VERSION + " and an entry count");
        }
        int count;
        try {
            count = Integer.parseInt(lines.get(1).trim());
        } catch (NumberFormatException e) {
            throw new CorruptCheckpointException(file, "entry count '" + lines.get(1) + "' is not a number");
        }
        if (count < 0 || count != lines.size() - 2) {
            throw new CorruptCheckpointException(file, "declares " + count + " entries but holds " + (lines.size() - 2));
        }
        List<EpochEntry> entries = new ArrayList<>(count);
        for (String line : lines.subList(2, lines.size())) {
            String[] fields = line.trim().split("\\s+");
            try {
                if (fields.length != 2) {
                    throw new NumberFormatException();
                }
                EpochEntry entry = new EpochEntry(Integer.parseInt(fields[0]), Long.parseLong(fields[1]));
                EpochEntry previous = entries.isEmpty() ? null : entries.getLast();
                if (entry.epoch() < 0 || entry.startOffset() < 0 || (previous != null
                        && (entry.epoch() <= previous.epoch() || entry.startOffset() < previous.startOffset()))) {
                    throw new CorruptCheckpointException(file, "entry '" + line + "' is out of order");
                }
                entries.add(entry);
            } catch (NumberFormatException e) {
                throw new CorruptCheckpointException(file, "entry '" + line + "' is not 'epoch offset'");
            }
        }
        return entries;
    }
}

package io.sluice.log;

import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import io.sluice.protocol.TopicPartition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * All partition logs of one data directory:
 *
 * <pre>
 *   &lt;data-dir&gt;/
 *     .lock                          held by this manager while open ({@link DirectoryLock})
 *     log-state-checkpoint           every log's offsets, from {@link #checkpoint} ({@link DirectoryStateCheckpoint})
 *     orders-0/                      one {@link PartitionLog} per topic-partition
 *     orders-1/
 *     payments-0.3f2a…-delete/       a deleted partition whose files are being removed
 *     refunds-2.9c1d…-stray/         a replica set aside: kept, never opened again, for an operator to inspect
 * </pre>
 *
 * <p>{@link #open} locks the directory, then opens (and recovers) every partition directory in parallel on the
 * caller's executor, so a node with many partitions restarts in the time of its slowest recovery rather than their
 * sum. Directories whose names are not {@code topic-partition} (strays among them) are left alone.
 *
 * <p>Thread-safe: lookups are lock-free; creating and deleting partitions serialize on the manager. The manager
 * starts no threads; the owner calls {@link #deleteOldSegments()}, {@link #maybeFlush()} and {@link #checkpoint()}
 * periodically (or per log).
 */
public final class LogManager implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(LogManager.class.getName());
    static final String DELETE_DIR_SUFFIX = "-delete";
    static final String STRAY_DIR_SUFFIX = "-stray";

    private final Path dataDir;
    private final DirectoryLock directoryLock;
    private final Clock clock;
    private final LogChannelFactory channels;
    private final Map<TopicPartition, PartitionLog> logs = new ConcurrentHashMap<>();
    /** Shared by every log of this directory, so that one follower poll waits on all of them at once. */
    private final LogEndWatch logEndWatch = new LogEndWatch();
    private final DirectoryStateCheckpoint stateCheckpoint;
    /** What {@link #checkpoint} wrote last (guarded by the checkpoint file's monitor). */
    private Map<String, LogStateCheckpoint.State> lastCheckpoint = Map.of();
    private volatile boolean closed;

    private LogManager(Path dataDir, DirectoryLock directoryLock, Clock clock, LogChannelFactory channels) {
        this.stateCheckpoint = new DirectoryStateCheckpoint(dataDir);
        this.dataDir = dataDir;
        this.directoryLock = directoryLock;
        this.clock = clock;
        this.channels = channels;
    }

    /**
     * Locks {@code dataDir} (created if missing) and opens every partition log in it, in parallel on
     * {@code executor}.
     *
     * @param configs the settings of each partition found on disk
     * @throws LogDirectoryLockedException if another process or manager holds the directory
     * @throws IOException                 if a partition cannot be opened; nothing stays open or locked then
     */
    public static LogManager open(Path dataDir, Function<TopicPartition, LogConfig> configs, Clock clock,
                                  Executor executor) throws IOException {
        return open(dataDir, configs, clock, executor, LogChannelFactory.DEFAULT);
    }

    /** As {@link #open(Path, Function, Clock, Executor)}, with segment files opened through {@code channels}. */
    public static LogManager open(Path dataDir, Function<TopicPartition, LogConfig> configs, Clock clock,
                                  Executor executor, LogChannelFactory channels) throws IOException {
        DirectoryLock lock = DirectoryLock.acquire(dataDir);
        LogManager manager = new LogManager(dataDir, lock, clock, channels);
        try {
            manager.loadAll(configs, executor);
        } catch (IOException | RuntimeException e) {
            manager.closeAfterFailedOpen(e);
            throw e;
        }
        return manager;
    }

    private void loadAll(Function<TopicPartition, LogConfig> configs, Executor executor) throws IOException {
        List<Path> dirs;
        try (Stream<Path> list = Files.list(dataDir)) {
            dirs = list.filter(Files::isDirectory).sorted().toList();
        }
        Map<String, LogStateCheckpoint.State> periodic = readDirectoryCheckpoint();
        Map<TopicPartition, CompletableFuture<PartitionLog>> opening = new TreeMap<>();
        for (Path dir : dirs) {
            String name = dir.getFileName().toString();
            if (name.endsWith(DELETE_DIR_SUFFIX)) {
                deleteRecursively(dir); // a deletion interrupted by a crash
                continue;
            }
            if (name.endsWith(STRAY_DIR_SUFFIX)) {
                LOG.log(Level.WARNING, "Keeping {0}: a replica set aside as stray; remove it once it is not needed", dir);
                continue;
            }
            Optional<TopicPartition> partition = parsePartition(name);
            if (partition.isEmpty()) {
                LOG.log(Level.INFO, "Ignoring {0}: not a topic-partition directory", dir);
                continue;
            }
            TopicPartition tp = partition.get();
            opening.put(tp, CompletableFuture.supplyAsync(() -> {
                try {
                    PartitionLog log = PartitionLog.open(dir, configs.apply(tp), clock, channels, periodic.get(name));
                    log.reportLogEndTo(logEndWatch);
                    return log;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, executor));
        }
        IOException failure = null;
        for (Map.Entry<TopicPartition, CompletableFuture<PartitionLog>> entry : opening.entrySet()) {
            try {
                logs.put(entry.getKey(), entry.getValue().join());
            } catch (CompletionException e) {
                Throwable cause = e.getCause() instanceof UncheckedIOException u ? u.getCause() : e.getCause();
                IOException error = new IOException("Cannot open the log of " + entry.getKey() + ": " + cause, cause);
                if (failure == null) {
                    failure = error;
                } else {
                    failure.addSuppressed(error);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** The periodic checkpoint's lines by directory name; none if it is missing or corrupt (the logs' own suffice). */
    private Map<String, LogStateCheckpoint.State> readDirectoryCheckpoint() throws IOException {
        try {
            return stateCheckpoint.read();
        } catch (CorruptCheckpointException e) {
            LOG.log(Level.WARNING, "{0}; each log starts from its own checkpoint", e.getMessage());
            return Map.of();
        }
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The log of {@code partition}, if this directory holds it. */
    public Optional<PartitionLog> log(TopicPartition partition) {
        return Optional.ofNullable(logs.get(partition));
    }

    /** A snapshot of every log, by partition. */
    public Map<TopicPartition, PartitionLog> logs() {
        return Map.copyOf(logs);
    }

    /** The log of {@code partition}, created empty with {@code config} if it does not exist yet. */
    public synchronized PartitionLog getOrCreateLog(TopicPartition partition, LogConfig config) throws IOException {
        ensureOpen();
        PartitionLog existing = logs.get(partition);
        if (existing != null) {
            return existing;
        }
        PartitionLog log = PartitionLog.open(dataDir.resolve(partition.toString()), config, clock, channels);
        log.reportLogEndTo(logEndWatch);
        logs.put(partition, log);
        return log;
    }

    /**
     * Closes and deletes the log of {@code partition}: its directory is renamed with a {@code -delete} suffix first,
     * so a crash midway leaves nothing that would be reopened as a partition.
     *
     * @return whether there was such a log
     */
    public synchronized boolean deleteLog(TopicPartition partition) throws IOException {
        ensureOpen();
        PartitionLog log = logs.remove(partition);
        if (log == null) {
            return false;
        }
        log.close();
        Path renamed = dataDir.resolve(partition + "." + UUID.randomUUID().toString().replace("-", "")
                + DELETE_DIR_SUFFIX);
        Files.move(log.directory(), renamed);
        CheckpointFile.fsyncDirectory(dataDir);
        deleteRecursively(renamed);
        return true;
    }

    /**
     * Closes the log of {@code partition} and keeps its files under a new name with a {@code -stray} suffix, which
     * this manager never opens again: for a replica the metadata no longer assigns here without saying it was deleted.
     *
     * @return the directory the files are kept in, if there was such a log
     */
    public synchronized Optional<Path> setAsideLog(TopicPartition partition) throws IOException {
        ensureOpen();
        PartitionLog log = logs.remove(partition);
        if (log == null) {
            return Optional.empty();
        }
        log.close();
        Path renamed = dataDir.resolve(partition + "." + UUID.randomUUID().toString().replace("-", "")
                + STRAY_DIR_SUFFIX);
        Files.move(log.directory(), renamed);
        CheckpointFile.fsyncDirectory(dataDir);
        return Optional.of(renamed);
    }

    /** Size and offsets of every partition, in partition order. */
    public List<LogSize> sizes() {
        List<LogSize> sizes = new ArrayList<>();
        for (Map.Entry<TopicPartition, PartitionLog> entry : new TreeMap<>(logs).entrySet()) {
            PartitionLog log = entry.getValue();
            sizes.add(new LogSize(entry.getKey(), log.sizeInBytes(), log.segmentCount(), log.logStartOffset(),
                    log.logEndOffset()));
        }
        return sizes;
    }

    /** The partitions whose logs failed on I/O and refuse service until the directory is reopened. */
    public List<TopicPartition> offlinePartitions() {
        return logs.entrySet().stream().filter(e -> e.getValue().isOffline()).map(Map.Entry::getKey).sorted()
                .toList();
    }

    /** Applies retention to every online log; returns the number of segments deleted. */
    public int deleteOldSegments() {
        int deleted = 0;
        for (PartitionLog log : onlineLogs()) {
            try {
                deleted += log.deleteOldSegments();
            } catch (SluiceException e) {
                LOG.log(Level.ERROR, "Retention failed for {0}: {1}", log.directory(), e.getMessage());
            }
        }
        return deleted;
    }

    /**
     * Forgets, in every online log, producers not seen for {@code expirationMs} ({@code producer.id.expiration.ms});
     * returns how many were forgotten.
     */
    public int removeExpiredProducers(long expirationMs) {
        int removed = 0;
        for (PartitionLog log : onlineLogs()) {
            try {
                removed += log.removeExpiredProducers(expirationMs);
            } catch (SluiceException e) {
                LOG.log(Level.ERROR, "Producer expiry failed for {0}: {1}", log.directory(), e.getMessage());
            }
        }
        return removed;
    }

    /** Applies the flush policy of every online log. */
    public void maybeFlush() {
        for (PartitionLog log : onlineLogs()) {
            try {
                log.maybeFlush();
            } catch (SluiceException e) {
                LOG.log(Level.ERROR, "Flush failed for {0}: {1}", log.directory(), e.getMessage());
            }
        }
    }

    /**
     * Checkpoints the recovery point, high watermark and log start offset of every online log in one file for the
     * directory (Kafka's {@code replica.high.watermark.checkpoint.interval.ms}), written and fsynced once, and not at
     * all when nothing changed: one fsync per interval however many partitions, where a file per log cost two fsyncs
     * per changed log. A cut, a new log start, open and close still write the log's own file at once; see
     * {@link LogStateCheckpoint} for how the two agree.
     */
    public void checkpoint() {
        // Read and written under one lock, so that an older reading never overwrites a newer one.
        synchronized (stateCheckpoint) {
            Map<String, LogStateCheckpoint.State> states = new TreeMap<>();
            for (PartitionLog log : onlineLogs()) {
                try {
                    states.put(log.directory().getFileName().toString(), log.directoryCheckpointState());
                } catch (SluiceException e) {
                    LOG.log(Level.DEBUG, "Not checkpointing {0}: {1}", log.directory(), e.getMessage());
                }
            }
            if (states.equals(lastCheckpoint)) {
                return;
            }
            try {
                stateCheckpoint.write(states);
                lastCheckpoint = states;
            } catch (IOException e) {
                LOG.log(Level.ERROR, "Checkpoint of {0} failed: {1}", stateCheckpoint.path(), e.getMessage());
            }
        }
    }

    /** Closes every log cleanly, then releases the directory lock. Idempotent. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        IOException failure = null;
        for (PartitionLog log : logs.values()) {
            try {
                log.close();
            } catch (IOException e) {
                failure = addTo(failure, e);
            }
        }
        logs.clear();
        try {
            directoryLock.close();
        } catch (IOException e) {
            failure = addTo(failure, e);
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void closeAfterFailedOpen(Exception cause) {
        try {
            close();
        } catch (IOException e) {
            cause.addSuppressed(e);
        }
    }

    private List<PartitionLog> onlineLogs() {
        return logs.values().stream().filter(log -> !log.isOffline()).toList();
    }

    private void ensureOpen() {
        if (closed) {
            throw new SluiceException(ErrorCode.STORAGE_ERROR, "Log manager of " + dataDir + " is closed");
        }
    }

    private static Optional<TopicPartition> parsePartition(String name) {
        try {
            TopicPartition tp = TopicPartition.parse(name);
            return tp.toString().equals(name) ? Optional.of(tp) : Optional.empty();
        } catch (SluiceException e) {
            return Optional.empty();
        }
    }

    private static IOException addTo(IOException failure, IOException e) {
        if (failure == null) {
            return e;
        }
        failure.addSuppressed(e);
        return failure;
    }

    static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> tree = Files.walk(dir)) {
            for (Path path : tree.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}

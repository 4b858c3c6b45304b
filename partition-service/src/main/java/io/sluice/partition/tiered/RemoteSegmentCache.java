package io.sluice.partition.tiered;

import io.sluice.internal.SluiceJson;
import io.sluice.internal.remote.RemoteSegment;
import io.sluice.log.AbortedTxn;
import io.sluice.log.ReadOnlySegment;
import io.sluice.protocol.TopicPartition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.type.TypeReference;

/**
 * Remote segments fetched for reads, on local disk ({@code <data dir>/remote-cache}), at most {@code capacity} bytes
 * of them (and always the last one fetched): each segment is fetched whole once, with its indexes and its aborted
 * transactions, and then read like a local segment, with zero copy. The least recently read go first when room is
 * needed; an evicted segment's files are unlinked at once and its file closed a grace period later, so reads in
 * flight finish. A segment is fetched once however many readers want it at the same time. The directory is emptied
 * on start: nothing in it outlives the process.
 */
final class RemoteSegmentCache implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RemoteSegmentCache.class);
    private static final long CLOSE_GRACE_SECONDS = 60;

    /** A segment ready to read. */
    record Cached(RemoteSegment segment, ReadOnlySegment files, List<AbortedTxn> abortedTxns, Path dir) {

        long sizeBytes() {
            return files.sizeInBytes();
        }
    }

    private final Path root;
    private final long capacity;
    private final ObjectStore store;
    private final Executor downloads;
    private final ScheduledExecutorService closer;
    /** By segment id, least recently read first (guarded by itself). */
    private final LinkedHashMap<String, Cached> cached = new LinkedHashMap<>(16, 0.75f, true);
    private final Map<String, CompletableFuture<Cached>> loading = new ConcurrentHashMap<>();
    private long cachedBytes;

    RemoteSegmentCache(Path root, long capacity, ObjectStore store, Executor downloads,
                       ScheduledExecutorService closer) throws IOException {
        this.root = root;
        this.capacity = capacity;
        this.store = store;
        this.downloads = downloads;
        this.closer = closer;
        deleteRecursively(root);
        Files.createDirectories(root);
    }

    /** The segment, if it is cached (then counted as read now). */
    Optional<Cached> get(String segmentId) {
        synchronized (cached) {
            return Optional.ofNullable(cached.get(segmentId));
        }
    }

    /** Whether the segment is cached or being fetched. */
    boolean has(String segmentId) {
        synchronized (cached) {
            return cached.containsKey(segmentId) || loading.containsKey(segmentId);
        }
    }

    /** Fetches the segment unless it is cached or being fetched; the future completes when it is cached. */
    CompletableFuture<Cached> load(TopicPartition tp, String topicId, RemoteSegment segment) {
        Optional<Cached> hit = get(segment.id());
        if (hit.isPresent()) {
            return CompletableFuture.completedFuture(hit.get());
        }
        return loading.computeIfAbsent(segment.id(), id -> {
            CompletableFuture<Cached> future = CompletableFuture.supplyAsync(() -> fetch(tp, topicId, segment),
                    downloads);
            future.whenComplete((value, error) -> loading.remove(id));
            return future;
        });
    }

    long cachedBytes() {
        synchronized (cached) {
            return cachedBytes;
        }
    }

    private Cached fetch(TopicPartition tp, String topicId, RemoteSegment segment) {
        Path dir = root.resolve(segment.id());
        try {
            deleteRecursively(dir);
            Files.createDirectories(dir);
            long base = segment.baseOffset();
            require(store.get(RemoteKeys.segment(tp, topicId, segment, RemoteKeys.LOG),
                    ReadOnlySegment.logFile(dir, base)), segment);
            require(store.get(RemoteKeys.segment(tp, topicId, segment, RemoteKeys.OFFSET_INDEX),
                    ReadOnlySegment.offsetIndexFile(dir, base)), segment);
            require(store.get(RemoteKeys.segment(tp, topicId, segment, RemoteKeys.TIME_INDEX),
                    ReadOnlySegment.timeIndexFile(dir, base)), segment);
            Path aborted = dir.resolve("aborted.json");
            require(store.get(RemoteKeys.segment(tp, topicId, segment, RemoteKeys.ABORTED_TXNS), aborted), segment);
            List<AbortedTxn> abortedTxns = SluiceJson.mapper().readValue(Files.readString(aborted),
                    new TypeReference<List<AbortedTxn>>() { });
            Cached entry = new Cached(segment, ReadOnlySegment.open(dir, base), abortedTxns, dir);
            insert(entry);
            return entry;
        } catch (IOException e) {
            try {
                deleteRecursively(dir);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new UncheckedIOException("Fetching remote segment " + segment.id() + " of " + tp + " failed", e);
        }
    }

    private static void require(boolean found, RemoteSegment segment) throws IOException {
        if (!found) {
            throw new IOException("An object of remote segment " + segment.id() + " is missing from the store");
        }
    }

    private void insert(Cached entry) {
        synchronized (cached) {
            cached.put(entry.segment().id(), entry);
            cachedBytes += entry.sizeBytes();
            var eldest = cached.entrySet().iterator();
            while (cachedBytes > capacity && cached.size() > 1 && eldest.hasNext()) {
                Cached evicted = eldest.next().getValue();
                if (evicted == entry) {
                    break;
                }
                eldest.remove();
                cachedBytes -= evicted.sizeBytes();
                evict(evicted);
            }
        }
    }

    /** Unlinks the files now (open channels keep reading them) and closes the segment after the grace period. */
    private void evict(Cached entry) {
        try {
            deleteRecursively(entry.dir());
        } catch (IOException e) {
            LOG.warn("Could not delete evicted remote segment {}: {}", entry.dir(), e.toString());
        }
        closer.schedule(() -> closeQuietly(entry), CLOSE_GRACE_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        synchronized (cached) {
            cached.values().forEach(RemoteSegmentCache::closeQuietly);
            cached.clear();
            cachedBytes = 0;
        }
    }

    private static void closeQuietly(Cached entry) {
        try {
            entry.files().close();
        } catch (IOException e) {
            LOG.debug("Closing cached remote segment {}: {}", entry.dir(), e.toString());
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }
}

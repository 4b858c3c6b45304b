package io.sluice.partition.tiered;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.sluice.internal.SluiceJson;
import io.sluice.internal.metadata.MetadataView;
import io.sluice.internal.metadata.NodeInfo;
import io.sluice.internal.metadata.NodeStatus;
import io.sluice.internal.remote.RemoteLog;
import io.sluice.internal.remote.RemoteLogApi;
import io.sluice.internal.remote.RemoteLogStart;
import io.sluice.internal.remote.RemoteSegment;
import io.sluice.log.AbortedTxn;
import io.sluice.log.LogConfig;
import io.sluice.log.PartitionLog;
import io.sluice.log.ReadOnlySegment;
import io.sluice.log.SealedSegment;
import io.sluice.log.TimestampOffset;
import io.sluice.partition.PartitionProperties;
import io.sluice.partition.replica.Partition;
import io.sluice.partition.replica.ReplicaManager;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import io.sluice.protocol.TopicPartition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Tiered storage on one node (docs/storage.md, "Tiered storage"), for the topics with {@code remote.storage.enable}:
 *
 * <ul>
 *   <li><b>Copies.</b> As the leader of a partition it copies each sealed segment below the last stable offset to
 *   object storage, with its indexes, producer snapshot, aborted transactions and leader epochs, oldest first from
 *   the first offset not yet copied. Each copy is recorded at the coordinator in two steps, started before the first
 *   object is written and finished after the last; only a finished copy is read, and a started one that never
 *   finished (its leader died, the store failed) is deleted by the next round of whichever replica leads. Every
 *   record carries the leader epoch, and the coordinator refuses an older leader's once a newer one has written.</li>
 *   <li><b>Local retention.</b> Every replica tells its log how far the copies reach, so retention deletes local
 *   segments by {@code local.retention.*}, and only those copied.</li>
 *   <li><b>Remote retention.</b> The leader deletes remote segments past {@code retention.ms}, and the oldest ones
 *   below the local log while the whole log exceeds {@code retention.bytes}: recorded delete-started, objects
 *   deleted, record removed.</li>
 *   <li><b>Deleted topics.</b> The node that led a deleted topic's partitions deletes their objects; the live node
 *   with the lowest id also sweeps the bucket now and then for the objects of topics deleted while their leader was
 *   down.</li>
 *   <li><b>Reads</b> ({@link RemoteReads}) below the local log, from a disk cache of fetched segments
 *   ({@link RemoteSegmentCache}), with the next segment fetched ahead for a sequential reader.</li>
 * </ul>
 *
 * <p>Rounds run every {@code copy-interval} on one thread of their own, so one partition's copy is never made twice at
 * once here. When the store is unreachable a round fails and leaves every local segment in place (the copy lag
 * grows, and so does disk use, which the {@code SluiceRemoteCopyLagging} alert reports); the next round tries
 * again.
 */
final class TieredStorage implements RemoteReads, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TieredStorage.class);
    /** Copies per partition per round, so one partition far behind does not hold back the others for long. */
    private static final int COPIES_PER_ROUND = 16;
    /** The sweep for deleted topics' objects runs in the first round and every this many rounds after it. */
    static final int SWEEP_EVERY_ROUNDS = 20;

    private final ReplicaManager replicas;
    private final RemoteLogApi remoteLogs;
    private final ObjectStore store;
    private final RemoteSegmentCache cache;
    private final Clock clock;
    private final Duration interval;
    private final Duration timeout;
    private final ScheduledExecutorService rounds;
    private final ExecutorService downloads;
    /** The remote log of every tiered partition here as last read or written, for reads between rounds. */
    private final Map<TopicPartition, RemoteLog> known = new ConcurrentHashMap<>();
    /** The tiered partitions this node led (round thread only), by the topic id their objects are under. */
    private final Map<TopicPartition, String> led = new java.util.HashMap<>();
    private final int nodeId;
    /** Rounds run so far (round thread only). */
    private long roundsRun;
    private final AtomicLong copyLagBytes = new AtomicLong();
    private final Counter copiedBytes;
    private final Counter copiedSegments;
    private final Counter copyFailures;
    private final Counter deletedSegments;
    private final Counter remoteReadBytes;
    private final Timer segmentFetches;

    TieredStorage(ReplicaManager replicas, RemoteLogApi remoteLogs, ObjectStore store,
                         PartitionProperties properties, Clock clock, MeterRegistry meters) throws IOException {
        this.replicas = replicas;
        this.remoteLogs = remoteLogs;
        this.store = store;
        this.clock = clock;
        this.nodeId = properties.nodeId();
        PartitionProperties.RemoteStorage settings = properties.remoteStorage();
        this.interval = settings.copyInterval();
        this.timeout = settings.requestTimeout();
        ScheduledThreadPoolExecutor roundThread = new ScheduledThreadPoolExecutor(1,
                Thread.ofPlatform().name("tiered-storage").daemon(true).factory());
        // On close the evicted segments' delayed closes are not waited for: the cache closes every segment itself.
        roundThread.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.rounds = roundThread;
        this.downloads = Executors.newFixedThreadPool(2, Thread.ofPlatform().name("remote-fetch-", 0).daemon(true)
                .factory());
        this.cache = new RemoteSegmentCache(properties.dataDir().resolve("remote-cache"),
                settings.cacheSize().toBytes(), store, downloads, rounds);
        this.copiedBytes = Counter.builder("sluice.partition.remote.copied.bytes").baseUnit("bytes")
                .description("Bytes of segments copied to remote storage").register(meters);
        this.copiedSegments = Counter.builder("sluice.partition.remote.copied.segments")
                .description("Segments copied to remote storage").register(meters);
        this.copyFailures = Counter.builder("sluice.partition.remote.copy.failures")
                .description("Rounds of a partition's copies or remote deletions that failed").register(meters);
        this.deletedSegments = Counter.builder("sluice.partition.remote.deleted.segments")
                .description("Remote segments deleted (retention, incomplete copies)").register(meters);
        this.remoteReadBytes = Counter.builder("sluice.partition.remote.read.bytes").baseUnit("bytes")
                .description("Record bytes served from remote segments").register(meters);
        this.segmentFetches = Timer.builder("sluice.partition.remote.fetch.latency")
                .description("Time to fetch one remote segment into the read cache").publishPercentileHistogram()
                .register(meters);
        registerCopyLag(meters, copyLagBytes);
        Gauge.builder("sluice.partition.remote.cache.bytes", cache, RemoteSegmentCache::cachedBytes)
                .baseUnit("bytes").description("Bytes of remote segments in the read cache").register(meters);
    }

    /**
     * The copy lag, registered by every node, with remote storage or without (then always 0), so that the alert on it
     * has a series everywhere.
     */
    static void registerCopyLag(MeterRegistry meters, AtomicLong lag) {
        Gauge.builder("sluice.partition.remote.copy.lag.bytes", lag, AtomicLong::get).baseUnit("bytes")
                .description("Bytes of sealed segments this node leads that are not copied to remote storage yet")
                .register(meters);
    }

    void start() {
        LOG.info("Tiered storage on: copying sealed segments of tiered topics every {}", interval);
        rounds.scheduleWithFixedDelay(this::roundLogged, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A round whose failure is logged: a periodic task that throws is never run again. */
    private void roundLogged() {
        try {
            round();
        } catch (RuntimeException | Error e) {
            LOG.error("Tiered storage round failed; the next one runs as usual", e);
        }
    }

    /** Ends the rounds (the one under way finishes) and closes the cache and the store. */
    @Override
    public void close() {
        rounds.shutdown();
        downloads.shutdown();
        try {
            rounds.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
            downloads.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        cache.close();
        store.close();
    }

    // ------------------------------------------------------------------ rounds

    /** One pass over the tiered partitions here. Package-private: tests run rounds by hand. */
    void round() {
        long lag = 0;
        for (Partition partition : replicas.partitions()) {
            PartitionLog log = partition.log();
            if (!log.config().tiered().remoteStorageEnable()) {
                continue;
            }
            try {
                if (partition.isLeader()) {
                    led.put(partition.topicPartition(), partition.topicId());
                    lag += lead(partition);
                } else {
                    follow(partition);
                }
            } catch (RuntimeException | IOException e) {
                copyFailures.increment();
                LOG.warn("Tiered storage round of {} failed (local segments stay): {}", partition.topicPartition(),
                        e.toString());
            }
        }
        copyLagBytes.set(lag);
        forgetPartitionsGone();
        if (roundsRun++ % SWEEP_EVERY_ROUNDS == 0 && isSweeper()) {
            try {
                sweepDeletedTopics();
            } catch (IOException e) {
                copyFailures.increment();
                LOG.warn("The sweep for deleted topics' remote objects failed; a later round tries again: {}",
                        e.toString());
            }
        }
    }

    /** Whether this node sweeps: the live node with the lowest id, so that one node lists the bucket, not all. */
    private boolean isSweeper() {
        return replicas.metadata().metadata().nodes().stream()
                .filter(node -> node.status() == NodeStatus.ALIVE)
                .mapToInt(NodeInfo::id).min().orElse(nodeId) == nodeId;
    }

    /**
     * Deletes the objects of topics that no longer exist, which the node that led their partitions could not delete
     * (it was down when the topic was deleted, and forgot the partitions it led when it restarted). The bucket's
     * topic directories are listed first, then each one whose topic this node does not know is asked of the active
     * coordinator: a topic's objects are written only by a leader the coordinator told of the topic, so a directory
     * listed before the coordinator answers that its topic (by name and id) is gone belongs to a deleted topic, never
     * to one just created. A directory the coordinator cannot answer for now is left for a later sweep. Package-private:
     * tests sweep by hand.
     */
    void sweepDeletedTopics() throws IOException {
        List<String> directories = store.listDirectories("");
        MetadataView view = replicas.metadata();
        for (String directory : directories) {
            Optional<Map.Entry<String, String>> topic = RemoteKeys.topicDirectory(directory);
            if (topic.isEmpty() || view.topic(topic.get().getKey())
                    .filter(known -> known.id().equals(topic.get().getValue())).isPresent()) {
                continue;
            }
            if (topicGone(topic.get().getKey(), topic.get().getValue())) {
                List<String> keys = store.list(directory);
                store.delete(keys);
                LOG.info("Deleted the {} remote objects under {}, whose topic no longer exists", keys.size(),
                        directory);
            }
        }
    }

    /** Whether the active coordinator says topic {@code name} of id {@code topicId} is gone; false when unsure. */
    private boolean topicGone(String name, String topicId) {
        try {
            RemoteLog remote = remoteLogs.remoteLog(new TopicPartition(name, 0)).block(timeout);
            return remote != null && !remote.topicId().equals(topicId);
        } catch (SluiceException e) {
            return e.errorCode() == ErrorCode.UNKNOWN_TOPIC;
        } catch (RuntimeException e) {
            LOG.debug("Asking the coordinator whether topic {} ({}) exists failed: {}", name, topicId, e.toString());
            return false;
        }
    }

    /**
     * The partitions this node led that it hosts no more: when their topic is gone (deleted, or deleted and created
     * again under another id), the objects of their remote segments are deleted (the coordinator removed their
     * records with the topic); when the replica only moved away, the new leader carries on.
     */
    private void forgetPartitionsGone() {
        for (var it = led.entrySet().iterator(); it.hasNext(); ) {
            var entry = it.next();
            TopicPartition tp = entry.getKey();
            String topicId = entry.getValue();
            if (replicas.partition(tp).filter(p -> p.topicId().equals(topicId)).isPresent()) {
                continue;
            }
            boolean topicGone = replicas.metadata().topic(tp.topic()).map(t -> !t.id().equals(topicId)).orElse(true);
            try {
                if (topicGone) {
                    List<String> keys = store.list(RemoteKeys.partitionPrefix(tp, topicId));
                    store.delete(keys);
                    LOG.info("Deleted the {} remote objects of {} (topic id {}), whose topic is gone", keys.size(), tp,
                            topicId);
                }
                it.remove();
                known.remove(tp);
            } catch (IOException e) {
                copyFailures.increment();
                LOG.warn("Deleting the remote objects of deleted {} failed; the next round tries again: {}", tp,
                        e.toString());
            }
        }
    }

    /** As the leader: clean up, apply remote retention, copy. Answers the bytes still to copy. */
    private long lead(Partition partition) throws IOException {
        TopicPartition tp = partition.topicPartition();
        int epoch = partition.leaderEpoch();
        PartitionLog log = partition.log();
        RemoteLog remote = fetchRemoteLog(tp);
        for (RemoteSegment segment : remote.segments()) {
            // This node copies one partition at a time, so no copy of this one is under way: one not finished never will be.
            if (!segment.readable()) {
                remote = delete(partition, segment, epoch);
            }
        }
        for (RemoteSegment segment : expired(remote, log)) {
            remote = delete(partition, segment, epoch);
        }
        for (SealedSegment sealed : log.sealedSegmentsFrom(remote.copiedEndOffset(), COPIES_PER_ROUND)) {
            if (!partition.isLeader() || partition.leaderEpoch() != epoch) {
                break;
            }
            remote = copy(partition, sealed, epoch);
        }
        log.remoteCopiedUpTo(remote.copiedEndOffset());
        long lag = 0;
        for (SealedSegment left : log.sealedSegmentsFrom(remote.copiedEndOffset(), Integer.MAX_VALUE)) {
            lag += left.sizeBytes();
        }
        return lag;
    }

    /** As a follower: learn how far the copies reach, so local retention may delete what they hold. */
    private void follow(Partition partition) {
        RemoteLog remote = fetchRemoteLog(partition.topicPartition());
        partition.log().remoteCopiedUpTo(remote.copiedEndOffset());
    }

    private RemoteLog copy(Partition partition, SealedSegment sealed, int epoch) throws IOException {
        TopicPartition tp = partition.topicPartition();
        RemoteSegment segment = new RemoteSegment(UUID.randomUUID().toString(), sealed.baseOffset(),
                sealed.endOffset(), sealed.maxTimestamp(), sealed.sizeBytes(), epoch, RemoteSegment.State.COPY_STARTED);
        update(tp, segment);
        String topicId = partition.topicId();
        store.put(RemoteKeys.segment(tp, topicId, segment, RemoteKeys.OFFSET_INDEX), sealed.offsetIndex());
        store.put(RemoteKeys.segment(tp, topicId, segment, RemoteKeys.TIME_INDEX), sealed.timeIndex());
        if (sealed.producerSnapshot() != null) {
            store.put(RemoteKeys.segment(tp, topicId, segment, RemoteKeys.PRODUCER_SNAPSHOT), sealed.producerSnapshot());
        }
        store.put(RemoteKeys.segment(tp, topicId, segment, RemoteKeys.ABORTED_TXNS),
                SluiceJson.mapper().writeValueAsBytes(sealed.abortedTxns()));
        store.put(RemoteKeys.segment(tp, topicId, segment, RemoteKeys.LEADER_EPOCHS),
                SluiceJson.mapper().writeValueAsBytes(sealed.leaderEpochs()));
        store.put(RemoteKeys.segment(tp, topicId, segment, RemoteKeys.LOG), sealed.logFile());
        RemoteLog remote = update(tp, segment.moveTo(RemoteSegment.State.COPY_FINISHED, epoch));
        LOG.debug("Copied segment {} of {} (offsets {} to {}) to remote storage", segment.id(), tp,
                segment.baseOffset(), segment.endOffset());
        copiedBytes.increment(sealed.sizeBytes());
        copiedSegments.increment();
        return remote;
    }

    private RemoteLog delete(Partition partition, RemoteSegment segment, int epoch) throws IOException {
        TopicPartition tp = partition.topicPartition();
        if (segment.state() != RemoteSegment.State.DELETE_STARTED) {
            update(tp, segment.moveTo(RemoteSegment.State.DELETE_STARTED, epoch));
        }
        store.delete(RemoteKeys.allOf(tp, partition.topicId(), segment));
        RemoteLog remote = update(tp, segment.moveTo(RemoteSegment.State.DELETED, epoch));
        deletedSegments.increment();
        return remote;
    }

    /**
     * The remote segments DeleteRecords and the topic's retention drop, oldest first: those wholly below the remote
     * log's start offset, then those whose newest record is older than {@code retention.ms}, then, while the whole log
     * (remote below the local log, and local) exceeds {@code retention.bytes}, the oldest below the local log.
     */
    private List<RemoteSegment> expired(RemoteLog remote, PartitionLog log) {
        LogConfig config = log.config();
        List<RemoteSegment> readable = remote.readable();
        List<RemoteSegment> expired = new ArrayList<>();
        long now = clock.millis();
        int next = 0;
        while (next < readable.size() && readable.get(next).endOffset() < remote.logStartOffset()) {
            expired.add(readable.get(next++));
        }
        if (config.retentionMs() >= 0) {
            while (next < readable.size() && readable.get(next).maxTimestamp() >= 0
                    && now - readable.get(next).maxTimestamp() > config.retentionMs()) {
                expired.add(readable.get(next++));
            }
        }
        if (config.retentionBytes() >= 0) {
            long localStart = log.logStartOffset();
            long total = log.sizeInBytes();
            for (int i = next; i < readable.size(); i++) {
                if (readable.get(i).endOffset() < localStart) {
                    total += readable.get(i).sizeBytes();
                }
            }
            while (next < readable.size() && readable.get(next).endOffset() < localStart
                    && total > config.retentionBytes()) {
                total -= readable.get(next).sizeBytes();
                expired.add(readable.get(next++));
            }
        }
        return expired;
    }

    private RemoteLog fetchRemoteLog(TopicPartition tp) {
        return remember(tp, remoteLogs.remoteLog(tp).block(timeout));
    }

    private RemoteLog update(TopicPartition tp, RemoteSegment update) {
        return remember(tp, remoteLogs.updateRemoteSegment(tp, update).block(timeout));
    }

    /**
     * Keeps {@code remote} as what this node knows of the partition's remote log, with the highest log start offset
     * known: an answer read before a DeleteRecords may arrive after it, and must not make its records readable again.
     */
    private RemoteLog remember(TopicPartition tp, RemoteLog remote) {
        return known.merge(tp, remote, (before, now) -> now.withLogStartOf(before));
    }

    // ------------------------------------------------------------------- reads

    @Override
    public long logStartOffset(Partition partition) {
        long local = partition.log().logStartOffset();
        RemoteLog remote = known.get(partition.topicPartition());
        if (remote == null || !partition.log().config().tiered().remoteStorageEnable()) {
            return local;
        }
        return remote.startOffset().filter(start -> start < local).orElse(local);
    }

    @Override
    public Optional<RemoteRead> read(Partition partition, long offset, int maxBytes, boolean committed) {
        TopicPartition tp = partition.topicPartition();
        RemoteLog remote = known.get(tp);
        if (remote == null || !partition.log().config().tiered().remoteStorageEnable()) {
            return Optional.empty();
        }
        Optional<RemoteSegment> holding = remote.segmentHolding(offset);
        if (holding.isEmpty()) {
            return Optional.empty();
        }
        RemoteSegment segment = holding.get();
        Optional<RemoteSegmentCache.Cached> cached = cache.get(segment.id());
        if (cached.isEmpty()) {
            return Optional.of(RemoteRead.pending(fetchTimed(tp, partition.topicId(), segment)));
        }
        try {
            ReadOnlySegment.Read read = cached.get().files().read(offset, maxBytes, segment.endOffset() + 1);
            long next = read.nextOffset();
            remoteReadBytes.increment(read.region().length());
            // A reader that came this far reads on: fetch the segment after this one before it asks.
            if (next > segment.endOffset() - (segment.endOffset() - segment.baseOffset()) / 2) {
                remote.segmentHolding(segment.endOffset() + 1)
                        .filter(after -> !cache.has(after.id()))
                        .ifPresent(after -> fetchTimed(tp, partition.topicId(), after));
            }
            List<AbortedTxn> aborted = committed ? cached.get().abortedTxns().stream()
                    .filter(txn -> txn.lastOffset() >= offset && txn.firstOffset() < next).toList() : List.of();
            return Optional.of(new RemoteRead(read.region(), next, aborted, null));
        } catch (IOException e) {
            throw new UncheckedIOException("Reading remote segment " + segment.id() + " of " + tp + " failed", e);
        }
    }

    @Override
    public Mono<Void> deleteRecordsBefore(Partition partition, long offset) {
        if (!partition.log().config().tiered().remoteStorageEnable()) {
            return Mono.empty();
        }
        TopicPartition tp = partition.topicPartition();
        return remoteLogs.advanceLogStart(tp, new RemoteLogStart(partition.leaderEpoch(), offset))
                .doOnNext(remote -> remember(tp, remote))
                .then();
    }

    @Override
    public long lastTieredOffset(Partition partition) {
        RemoteLog remote = known.get(partition.topicPartition());
        return remote == null ? -1 : remote.copiedEndOffset() - 1;
    }

    @Override
    public Optional<TimestampOffset> offsetForTimestamp(Partition partition, long timestamp) {
        TopicPartition tp = partition.topicPartition();
        RemoteLog remote = known.get(tp);
        if (remote == null || !partition.log().config().tiered().remoteStorageEnable()) {
            return Optional.empty();
        }
        long localStart = partition.log().logStartOffset();
        for (RemoteSegment segment : remote.readable()) {
            if (segment.baseOffset() >= localStart || segment.maxTimestamp() < timestamp
                    || segment.endOffset() < remote.logStartOffset()) {
                continue;
            }
            try {
                RemoteSegmentCache.Cached cached = fetchTimed(tp, partition.topicId(), segment)
                        .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                Optional<TimestampOffset> found = cached.files().offsetForTimestamp(timestamp,
                        Math.max(segment.baseOffset(), remote.logStartOffset()));
                if (found.isPresent()) {
                    return found;
                }
            } catch (IOException | java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                throw ErrorCode.STORAGE_ERROR.exception("Timestamp lookup in remote segment " + segment.id()
                        + " of " + tp + " failed: " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw ErrorCode.STORAGE_ERROR.exception("Interrupted");
            }
        }
        return Optional.empty();
    }

    /**
     * Fetches the segment into the cache unless it is there or on its way. A fetch that fails (the store is down, or
     * the segment was deleted since this node last read the remote log) refreshes what this node knows of the remote
     * log, so the next read looks again.
     */
    private CompletableFuture<RemoteSegmentCache.Cached> fetchTimed(TopicPartition tp, String topicId,
                                                                   RemoteSegment segment) {
        boolean first = !cache.has(segment.id());
        long started = System.nanoTime();
        CompletableFuture<RemoteSegmentCache.Cached> load = cache.load(tp, topicId, segment);
        if (first) {
            load.whenComplete((cached, error) -> {
                if (error == null) {
                    segmentFetches.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
                } else {
                    LOG.warn("Fetching remote segment {} of {} failed: {}", segment.id(), tp, error.toString());
                    remoteLogs.remoteLog(tp).subscribe(remote -> remember(tp, remote),
                            refresh -> LOG.debug("Refreshing the remote log of {} failed: {}", tp, refresh.toString()));
                }
            });
        }
        return load;
    }
}

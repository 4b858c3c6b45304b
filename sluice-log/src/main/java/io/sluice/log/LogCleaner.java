package io.sluice.log;

import io.sluice.protocol.TopicPartition;
import io.sluice.protocol.record.CompressionType;
import io.sluice.protocol.record.FileBatch;
import io.sluice.protocol.record.FileBatchIterator;
import io.sluice.protocol.record.Record;
import io.sluice.protocol.record.RecordBatch;
import io.sluice.protocol.record.RecordBatchBuilder;
import io.sluice.protocol.record.TimestampType;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Log compaction for the logs of one data directory (Kafka's LogCleaner, one cleaner thread): keeps the latest record
 * per key in logs whose {@code cleanup.policy} includes {@code compact}.
 *
 * <p>One {@link #cleanFilthiestLog()} first rolls the active segment of any compacted log that has kept its first
 * record longer than {@code max.compaction.lag.ms} (see {@link PartitionLog#maybeRollForCompaction()}), then picks the
 * compacted log with the highest dirty ratio among those worth cleaning
 * (see {@link CleanPlan}), then
 * <ol>
 *   <li>maps each key of the dirty part to its latest offset, segment by segment, until the map's memory budget is
 *       spent (the budget may be passed by one segment's keys); the cleaning ends where the map ends;</li>
 *   <li>rewrites the segments from the log start to there, in groups of adjacent segments whose sizes add up to at
 *       most {@code segment.bytes} (small segments merge), keeping a record unless the map holds a later offset for
 *       its key, it has no key, or it is a tombstone whose batch's delete horizon has passed. Offsets are kept (gaps
 *       are normal); a batch with nothing removed is copied byte for byte, a batch with some records removed is
 *       re-encoded (same base offset, last offset delta, producer fields, epoch and compression; new CRC); a batch
 *       with nothing left goes. A batch that keeps a tombstone is stamped with a delete horizon
 *       ({@code now + delete.retention.ms}, KIP-534) the first time, and its tombstones go in the first cleaning
 *       after it. As in Kafka, the last batch of each producer the log has state for keeps at least its header (an
 *       empty batch, uncompressed): a replica that rebuilds producer state from the log (a new follower, a lost
 *       snapshot) must still find the producer's last sequence and offsets there;</li>
 *   <li>swaps each rewritten group in, crash-safely (see {@link SegmentedLog#replaceSegments}); indexes are built as
 *       the new segment is written;</li>
 *   <li>records the new clean offset in the directory's {@link CleanerCheckpoint}.</li>
 * </ol>
 * Reads go through the {@link Throttler}. Only the swap takes the log's writer lock; appends, reads and replication
 * go on during the rest. A segment that leaves the log meanwhile (retention, a follower's cut) stops the cleaning of
 * that log; the next round plans again.
 *
 * <p>Thread model: one thread calls {@link #cleanFilthiestLog()} (the owner's cleaner thread); {@link #dirtiness()}
 * may be called from any thread. The cleaner never reads the wall clock nor starts threads.
 */
public final class LogCleaner {

    private static final System.Logger LOG = System.getLogger(LogCleaner.class.getName());
    /** Rough heap cost of one key map entry beyond the key's bytes: the entry, the wrapper, the boxed offset. */
    private static final int MAP_ENTRY_OVERHEAD = 96;

    private final Supplier<Map<TopicPartition, PartitionLog>> logs;
    private final CleanerCheckpoint checkpoint;
    private final Clock clock;
    private final long offsetMapBytes;
    private final Throttler throttler;
    private final SwapSteps steps;
    /** The clean offset of each log (the checkpoint's content); the cleaner thread writes, anyone reads. */
    private final Map<TopicPartition, Long> cleanOffsets = new ConcurrentHashMap<>();
    /** Cleaner thread only: the earliest delete horizon a cleaning stamped per log, when tombstones become due. */
    private final Map<TopicPartition, Long> tombstonesDue = new HashMap<>();
    /** Set by {@link #shutdown()}: the cleaning in progress stops at its next batch. */
    private volatile boolean stopping;

    /**
     * @param offsetMapBytes the memory the key map of one cleaning may use ({@code log.cleaner.dedupe.buffer.size})
     * @param throttler      the I/O rate limit ({@code log.cleaner.io.max.bytes.per.second})
     */
    public LogCleaner(LogManager logs, Clock clock, long offsetMapBytes, Throttler throttler) throws IOException {
        this(logs::logs, new CleanerCheckpoint(logs.dataDir()), clock, offsetMapBytes, throttler, SwapSteps.NONE);
    }

    LogCleaner(Supplier<Map<TopicPartition, PartitionLog>> logs, CleanerCheckpoint checkpoint, Clock clock,
               long offsetMapBytes, Throttler throttler, SwapSteps steps) throws IOException {
        this.logs = logs;
        this.checkpoint = checkpoint;
        this.clock = clock;
        this.offsetMapBytes = offsetMapBytes;
        this.throttler = throttler;
        this.steps = steps;
        cleanOffsets.putAll(checkpoint.read());
    }

    /**
     * Makes a cleaning in progress stop at its next batch (it throws InterruptedException; its unfinished segment is
     * deleted, swaps already done stay). Never interrupts the thread: an interrupt during file I/O would close the
     * segment's channel under the log's other readers.
     */
    public void shutdown() {
        stopping = true;
    }

    private void step(long bytes) throws InterruptedException {
        if (stopping) {
            throw new InterruptedException("the log cleaner is shutting down");
        }
        throttler.maybeThrottle(bytes);
    }

    /** The clean offset recorded for {@code partition}, if any. */
    public Optional<Long> cleanOffset(TopicPartition partition) {
        return Optional.ofNullable(cleanOffsets.get(partition));
    }

    /** How dirty each online compacted log is. */
    public List<LogDirtiness> dirtiness() {
        List<LogDirtiness> result = new ArrayList<>();
        long now = clock.millis();
        for (Map.Entry<TopicPartition, PartitionLog> entry : logs.get().entrySet()) {
            PartitionLog log = entry.getValue();
            if (log.isOffline() || !log.config().compaction().policy().compacts()) {
                continue;
            }
            try {
                CleanPlan plan = plan(entry.getKey(), log, log.recoveryPoint(), now);
                result.add(new LogDirtiness(entry.getKey(), plan.cleanBytes(), plan.dirtyBytes()));
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.DEBUG, "No dirtiness for {0}: {1}", entry.getKey(), e.toString());
            }
        }
        return result;
    }

    /**
     * Cleans the dirtiest compacted log worth cleaning, if there is one.
     *
     * @return what was done, or empty when no log needed cleaning
     * @throws InterruptedException if the thread was interrupted while throttled (shutdown)
     */
    public Optional<CleanResult> cleanFilthiestLog() throws InterruptedException {
        long now = clock.millis();
        TopicPartition filthiest = null;
        double worst = -1;
        for (Map.Entry<TopicPartition, PartitionLog> entry : logs.get().entrySet()) {
            PartitionLog log = entry.getValue();
            CompactionConfig config = log.config().compaction();
            if (log.isOffline() || !config.policy().compacts()) {
                continue;
            }
            try {
                log.maybeRollForCompaction();
                CleanPlan plan = plan(entry.getKey(), log, log.recoveryPoint(), now);
                Long due = tombstonesDue.get(entry.getKey());
                boolean tombstones = due != null && due <= now && !plan.cleanable().isEmpty();
                if ((plan.worthCleaning(config) || tombstones) && plan.dirtyRatio() > worst) {
                    filthiest = entry.getKey();
                    worst = plan.dirtyRatio();
                }
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "Cannot plan the cleaning of {0}: {1}", entry.getKey(), e.toString());
            }
        }
        if (filthiest == null) {
            return Optional.empty();
        }
        PartitionLog log = logs.get().get(filthiest);
        try {
            return Optional.of(clean(filthiest, log));
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.ERROR, "Cleaning {0} failed: {1}", filthiest, e.toString());
            return Optional.empty();
        }
    }

    /** Cleans {@code log} whatever its dirty ratio (the chosen one, or a test's). */
    CleanResult clean(TopicPartition partition, PartitionLog log) throws IOException, InterruptedException {
        long now = clock.millis();
        CompactionConfig config = log.config().compaction();
        // The recovery point on disk, not in memory: cleaned segments must be below where a crash recovery starts.
        CleanPlan plan = plan(partition, log, log.durableRecoveryPoint(), now);
        if (plan.cleanable().isEmpty()) {
            return new CleanResult(partition, 0, plan.firstDirty(), 0, 0, 0, 0, 0, 0, true);
        }
        Map<ByteBuffer, Long> latest = new HashMap<>();
        Predicate<RecordBatch> aborted = abortedIn(log.abortedTxns());
        long bytesRead = 0;
        long mapBytes = 0;
        long endOffset = plan.firstDirty();
        for (int i : plan.dirtyIndexes()) {
            if (mapBytes > offsetMapBytes) {
                break; // the map is full: clean up to here, the rest next time
            }
            LogSegment segment = plan.cleanable().get(i);
            FileBatchIterator batches = batches(segment);
            for (FileBatch header = batches.nextBatch(); header != null; header = batches.nextBatch()) {
                RecordBatch batch = header.load();
                bytesRead += batch.sizeInBytes();
                step(batch.sizeInBytes());
                if (batch.isControlBatch() || aborted.test(batch)) {
                    continue; // an aborted record supersedes nothing
                }
                for (Record record : batch.records()) {
                    if (record.key() != null && latest.put(ByteBuffer.wrap(record.key()), record.offset()) == null) {
                        mapBytes += record.key().length + MAP_ENTRY_OVERHEAD;
                    }
                }
            }
            endOffset = plan.ends()[i];
        }
        if (endOffset <= plan.firstDirty() && !tombstonesDueNow(partition, now)) {
            return new CleanResult(partition, plan.dirtyRatio(), plan.firstDirty(), bytesRead, 0, 0, 0, 0, 0, true);
        }
        endOffset = Math.max(endOffset, plan.firstDirty());
        tombstonesDue.remove(partition);

        // Saturating: delete.retention.ms may be "forever" (Long.MAX_VALUE).
        long horizon = config.deleteRetentionMs() > Long.MAX_VALUE - now ? Long.MAX_VALUE
                : now + config.deleteRetentionMs();
        Rewrite rewrite = new Rewrite(latest, log.lastProducerBatchOffsets(), aborted, now, horizon);
        long before = 0;
        long after = 0;
        int segmentsBefore = 0;
        int segmentsAfter = 0;
        boolean completed = true;
        for (List<Integer> group : groups(plan, endOffset, log.config())) {
            List<LogSegment> segments = group.stream().map(plan.cleanable()::get).toList();
            long groupEnd = plan.ends()[group.getLast()];
            LogSegment cleaned = log.createCleanedSegment(segments.getFirst().baseOffset());
            try {
                for (LogSegment segment : segments) {
                    before += segment.size();
                    FileBatchIterator batches = batches(segment);
                    for (FileBatch header = batches.nextBatch(); header != null; header = batches.nextBatch()) {
                        RecordBatch batch = header.load();
                        bytesRead += batch.sizeInBytes();
                        step(batch.sizeInBytes());
                        ByteBuffer kept = rewrite.apply(batch);
                        if (kept != null) {
                            cleaned.append(kept, now);
                        }
                    }
                }
                cleaned.onBecomeInactive();
                cleaned.flush();
                steps.reached(SwapStep.CLEANED_WRITTEN);
            } catch (IOException | RuntimeException | InterruptedException e) {
                cleaned.deleteFiles();
                throw e;
            }
            // From here a failure takes the log offline and reopening it completes the swap: keep the files.
            if (!log.replaceSegments(segments, cleaned, groupEnd, steps)) {
                // Retention or a cut took a segment: the groups after this one stay dirty, so the checkpoint stays.
                cleaned.deleteFiles();
                completed = false;
                break;
            }
            after += cleaned.size();
            segmentsBefore += segments.size();
            segmentsAfter++;
        }
        if (rewrite.earliestHorizon != Long.MAX_VALUE) {
            tombstonesDue.put(partition, rewrite.earliestHorizon);
        }
        if (completed) {
            cleanOffsets.put(partition, endOffset);
            cleanOffsets.keySet().retainAll(logs.get().keySet());
            checkpoint.write(cleanOffsets);
        }
        LOG.log(Level.INFO, "Cleaned {0} up to offset {1}: {2} segments of {3} bytes became {4} of {5} bytes, {6} records"
                        + " removed", partition, endOffset, segmentsBefore, before, segmentsAfter, after,
                rewrite.removed);
        return new CleanResult(partition, plan.dirtyRatio(), endOffset, bytesRead, before, after, segmentsBefore,
                segmentsAfter, rewrite.removed, completed);
    }

    /**
     * Whether a batch belongs to one of {@code txns}: a transactional batch of the producer inside an aborted range.
     * The plan ends below the last stable offset, so every transaction there has its marker.
     */
    static Predicate<RecordBatch> abortedIn(List<AbortedTxn> txns) {
        if (txns.isEmpty()) {
            return batch -> false;
        }
        Map<Long, List<AbortedTxn>> byProducer = new HashMap<>();
        txns.forEach(txn -> byProducer.computeIfAbsent(txn.producerId(), id -> new ArrayList<>()).add(txn));
        return batch -> {
            List<AbortedTxn> ranges = batch.isTransactional() ? byProducer.get(batch.producerId()) : null;
            if (ranges != null) {
                for (AbortedTxn txn : ranges) {
                    if (txn.firstOffset() <= batch.baseOffset() && batch.baseOffset() <= txn.lastOffset()) {
                        return true;
                    }
                }
            }
            return false;
        };
    }

    private boolean tombstonesDueNow(TopicPartition partition, long now) {
        Long due = tombstonesDue.get(partition);
        return due != null && due <= now;
    }

    private CleanPlan plan(TopicPartition partition, PartitionLog log, long recoveryPoint, long now)
            throws IOException {
        return CleanPlan.of(log.segmentsForCleaning(), log.offsets(), log.lastStableOffset(), recoveryPoint,
                cleanOffsets.getOrDefault(partition, 0L), log.config().compaction(), now);
    }

    /**
     * The cleanable segments below {@code endOffset} in runs of neighbours that fit one segment: at most
     * {@code segment.bytes} together (before cleaning, so the result surely fits) and offsets within the indexes'
     * 4-byte relative range.
     */
    static List<List<Integer>> groups(CleanPlan plan, long endOffset, LogConfig config) {
        List<List<Integer>> groups = new ArrayList<>();
        List<Integer> current = new ArrayList<>();
        long size = 0;
        for (int i = 0; i < plan.cleanable().size() && plan.ends()[i] <= endOffset; i++) {
            LogSegment segment = plan.cleanable().get(i);
            boolean fits = !current.isEmpty()
                    && size + segment.size() <= config.segmentBytes()
                    && plan.ends()[i] - 1 - plan.cleanable().get(current.getFirst()).baseOffset() <= Integer.MAX_VALUE;
            if (!current.isEmpty() && !fits) {
                groups.add(current);
                current = new ArrayList<>();
                size = 0;
            }
            current.add(i);
            size += segment.size();
        }
        if (!current.isEmpty()) {
            groups.add(current);
        }
        return groups;
    }

    /** The batches of a sealed segment, read one at a time. */
    private static FileBatchIterator batches(LogSegment segment) {
        return new FileBatchIterator(segment.channel(), 0, segment.size(), Integer.MAX_VALUE);
    }

    /** The per-batch rule of one cleaning. */
    private static final class Rewrite {
        private final Map<ByteBuffer, Long> latest;
        /** Producer id → last offset of its last batch: batches that keep their header even when emptied. */
        private final Map<Long, Long> lastProducerBatches;
        private final Predicate<RecordBatch> aborted;
        private final long now;
        private final long newHorizon;
        long earliestHorizon = Long.MAX_VALUE;
        long removed;

        Rewrite(Map<ByteBuffer, Long> latest, Map<Long, Long> lastProducerBatches, Predicate<RecordBatch> aborted,
                long now, long newHorizon) {
            this.latest = latest;
            this.lastProducerBatches = lastProducerBatches;
            this.aborted = aborted;
            this.now = now;
            this.newHorizon = newHorizon;
        }

        /** The batch to write in place of {@code batch}: itself, a re-encoded remainder, or null for nothing. */
        ByteBuffer apply(RecordBatch batch) {
            if (batch.isControlBatch()) {
                return batch.buffer(); // markers stay: replaying the log rebuilds its transactions from them
            }
            if (aborted.test(batch)) {
                removed += batch.recordCount();
                return isLastOfItsProducer(batch) ? emptyHeader(batch) : null;
            }
            List<Record> records = batch.records();
            List<Record> kept = new ArrayList<>(records.size());
            boolean tombstones = false;
            for (Record record : records) {
                if (retain(batch, record)) {
                    kept.add(record);
                    tombstones |= record.value() == null;
                }
            }
            removed += records.size() - kept.size();
            if (kept.isEmpty()) {
                return isLastOfItsProducer(batch) ? emptyHeader(batch) : null;
            }
            long horizon = batch.deleteHorizonMs();
            if (tombstones) {
                horizon = horizon == RecordBatch.NO_TIMESTAMP ? newHorizon : horizon;
                earliestHorizon = Math.min(earliestHorizon, horizon);
            }
            if (kept.size() == records.size() && horizon == batch.deleteHorizonMs()) {
                return batch.buffer();
            }
            RecordBatchBuilder builder = RecordBatchBuilder.of(batch.compressionType(), batch.sizeInBytes())
                    .baseOffset(batch.baseOffset())
                    .partitionLeaderEpoch(batch.partitionLeaderEpoch())
                    .producer(batch.producerId(), batch.producerEpoch(), batch.baseSequence())
                    .transactional(batch.isTransactional())
                    .lastOffsetDelta(batch.lastOffsetDelta());
            if (batch.timestampType() == TimestampType.LOG_APPEND_TIME) {
                builder.logAppendTime(batch.maxTimestamp());
            }
            if (horizon != RecordBatch.NO_TIMESTAMP) {
                builder.deleteHorizon(horizon);
            }
            for (Record record : kept) {
                builder.appendWithOffsetDelta((int) (record.offset() - batch.baseOffset()), record.timestamp(),
                        record.key(), record.value(), record.headers());
            }
            return builder.build();
        }

        private boolean isLastOfItsProducer(RecordBatch batch) {
            Long last = batch.producerId() < 0 ? null : lastProducerBatches.get(batch.producerId());
            return last != null && last == batch.lastOffset();
        }

        /** The batch without its records: same offsets, epoch and producer fields. */
        private static ByteBuffer emptyHeader(RecordBatch batch) {
            if (batch.recordCount() == 0) {
                return batch.buffer();
            }
            RecordBatchBuilder builder = RecordBatchBuilder.of(CompressionType.NONE, 0)
                    .baseOffset(batch.baseOffset())
                    .partitionLeaderEpoch(batch.partitionLeaderEpoch())
                    .producer(batch.producerId(), batch.producerEpoch(), batch.baseSequence())
                    .transactional(batch.isTransactional())
                    .lastOffsetDelta(batch.lastOffsetDelta());
            if (batch.timestampType() == TimestampType.LOG_APPEND_TIME) {
                builder.logAppendTime(batch.maxTimestamp());
            }
            return builder.build();
        }

        private boolean retain(RecordBatch batch, Record record) {
            if (record.key() == null) {
                return false; // as Kafka: a compacted log has no place for a record without a key
            }
            Long newest = latest.get(ByteBuffer.wrap(record.key()));
            if (newest != null && newest > record.offset()) {
                return false;
            }
            long horizon = batch.deleteHorizonMs();
            return record.value() != null || horizon == RecordBatch.NO_TIMESTAMP || now < horizon;
        }
    }
}

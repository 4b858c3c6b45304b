package io.sluice.log;

import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import io.sluice.protocol.record.BufferBatchIterator;
import io.sluice.protocol.record.CorruptRecordException;
import io.sluice.protocol.record.EndTxnMarker;
import io.sluice.protocol.record.RecordBatch;
import io.sluice.protocol.record.TimestampType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The log of one partition replica: a directory of {@link LogSegment}s, a {@link LeaderEpochCache} and a state
 * checkpoint (see {@link LogStateCheckpoint}), with the offsets that bound it:
 *
 * <pre>
 *   logStartOffset  ≤  highWatermark  ≤  logEndOffset
 *   first readable      consumers see      next offset to
 *   offset              below this         be written
 * </pre>
 *
 * <p><b>Thread model.</b> One writer at a time: appends, truncation, rolling, retention, flushing, high watermark
 * updates and close serialize on a lock. Reads ({@link #read}, {@link #offsetForTimestamp}, the offset getters) take
 * no lock: after each write the log publishes its end as an immutable {@link LogOffsetMetadata} in a volatile field,
 * and a reader bounds itself by the snapshot it read first, so it never sees bytes of an append in progress. The log
 * never starts threads and never reads the wall clock: the owner calls {@link #deleteOldSegments()},
 * {@link #maybeFlush()} and {@link #checkpoint()} periodically, and time comes from the injected {@link Clock}.
 * Futures from {@link #awaitHighWatermark} and {@link #awaitLogEndOffset} complete on the thread that advanced the
 * offset, after it released the lock: attach anything slow to them with the {@code *Async} variants.
 *
 * <p><b>Idempotent producers.</b> Every replica keeps the {@link ProducerStateManager producer state} of its log,
 * updated by every append: a leader refuses a batch whose producer epoch or sequence does not follow (Kafka's error
 * codes) and answers a batch it already holds with the offsets it was first written at, appending nothing. The state
 * is snapshotted at every segment roll and on close, and rebuilt from the latest snapshot and the batches after it on
 * open and after a truncation.
 *
 * <p><b>Transactions.</b> A producer's transactional batches stay unstable until the transaction coordinator has the
 * leader write the producer's marker ({@link #appendMarker}) and the high watermark passes it. The last stable offset
 * (LSO) is the first offset of the lowest transaction still unstable, or the high watermark; read_committed reads
 * ({@link FetchIsolation#TXN_COMMITTED}) end there and come with the aborted transactions among their records.
 * Retention never deletes a segment at or above the LSO.
 *
 * <p><b>Failure.</b> An I/O error while writing marks the log offline: the failing call and every later one throw
 * {@link SluiceException} with {@link ErrorCode#STORAGE_ERROR}, waiters fail, and nothing of the failed write is
 * visible (the log end did not move). Reopening the directory recovers it, cutting any partial bytes.
 */
public final class PartitionLog implements AutoCloseable {

    private final Path dir;
    private final String name;
    private final Clock clock;
    private final SegmentedLog local;
    private final LeaderEpochCache epochCache;
    private final LogStateCheckpoint stateCheckpoint;
    /** Writer-only (under the writer lock). */
    private final ProducerStateManager producerState;
    /** The producer state's aborted transactions: a concurrent map, read without the lock. */
    private final NavigableMap<Long, AbortedTxn> aborted;
    /** Published after every write that may change it (under the writer lock); read without it. */
    private volatile UnstableTxns unstable = UnstableTxns.NONE;
    private final OffsetWaiters highWatermarkWaiters = new OffsetWaiters(this::highWatermark);
    private final OffsetWaiters logEndWaiters = new OffsetWaiters(this::logEndOffset);
    /** Where follower long polls over many logs wait; its own until a {@link LogManager} makes it share one. */
    private volatile LogEndWatch logEndWatch = new LogEndWatch();
    private final WriterGuard guard;
    /** Serializes checkpoint writes; taken inside the writer lock or alone, never the other way round. */
    private final ReentrantLock checkpointLock = new ReentrantLock();
    /** Writer-only: numbers checkpoint snapshots in the order they were read. */
    private long checkpointSequence;
    /** The last checkpoint written (guarded by {@link #checkpointLock}). */
    private CheckpointSnapshot lastCheckpoint = new CheckpointSnapshot(0, null);
    /** The stamp of the own checkpoint file on disk, set once it is written (0: none yet). */
    private volatile long writtenStamp;

    private volatile LogConfig config;
    /** Raised by compare-and-set (leaders, without the writer lock); lowered and set only under the writer lock. */
    private final AtomicReference<LogOffsetMetadata> highWatermark = new AtomicReference<>();
    /**
     * The last rise of the high watermark by a leader ({@link #advanceHighWatermark}) to where its log then ended,
     * within one segment; null until there is one. Current while the high watermark is its {@code to}: the records
     * it made readable are then the bytes between its two positions ({@link #readLastRise}).
     */
    private volatile Rise lastRise;
    private volatile long logStartOffset;
    /**
     * In a tiered log, the offset after the last one copied to remote storage, as its owner learned it; retention
     * deletes by time and size only below it (see {@link Retention}). 0 until told: nothing is known copied.
     */
    private volatile long remoteCopiedEndOffset;

    private PartitionLog(Path dir, LogConfig config, Clock clock, LogChannelFactory channels,
                         LogLoader.Loaded loaded) throws IOException {
        this.dir = dir;
        this.name = dir.getFileName().toString();
        this.config = config;
        this.clock = clock;
        this.local = new SegmentedLog(dir, clock, channels, loaded.segments(), loaded.logEndOffset(),
                loaded.recoveryPoint());
        this.epochCache = loaded.epochCache();
        this.stateCheckpoint = new LogStateCheckpoint(dir);
        this.producerState = ProducerStateManager.load(dir, loaded.segments(), loaded.logEndOffset(),
                config.maxBatchSizeOnDisk(), clock.millis());
        this.logStartOffset = loaded.logStartOffset();
        this.highWatermark.set(local.offsetMetadata(loaded.highWatermark()));
        this.aborted = producerState.aborted();
        this.unstable = producerState.unstable(loaded.highWatermark());
        this.guard = new WriterGuard(name, List.of(highWatermarkWaiters, logEndWaiters),
                () -> logEndWatch.changed(this));
    }

    /**
     * Opens the log in {@code dir} (created if missing), recovering it as {@link LogLoader} describes. The caller
     * must hold the data directory's {@link DirectoryLock}.
     */
    public static PartitionLog open(Path dir, LogConfig config, Clock clock) throws IOException {
        return open(dir, config, clock, LogChannelFactory.DEFAULT);
    }

    static PartitionLog open(Path dir, LogConfig config, Clock clock, LogChannelFactory channels) throws IOException {
        return open(dir, config, clock, channels, null);
    }

    /** As {@link #open(Path, LogConfig, Clock)}, with the log's line in its data directory's periodic checkpoint. */
    static PartitionLog open(Path dir, LogConfig config, Clock clock, LogChannelFactory channels,
                             LogStateCheckpoint.State periodic) throws IOException {
        LogLoader.Loaded loaded = new LogLoader(dir, config, clock, channels, periodic).load();
        try {
            PartitionLog log = new PartitionLog(dir, config, clock, channels, loaded);
            // From now until a clean close the directory is "in use": a crash means recovery from the recovery point.
            log.writeCheckpoint(false);
            return log;
        } catch (IOException | RuntimeException e) {
            for (LogSegment segment : loaded.segments().all()) {
                try {
                    segment.channel().close();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    // ---------------------------------------------------------------- appends

    /**
     * Appends a produce request as leader: validates every batch (CRC, {@code max.message.bytes}, whole batches) and
     * writes nothing if one is bad; then assigns offsets from the log end and {@code leaderEpoch} by rewriting the
     * batches in {@code records} in place (and stamps them under LogAppendTime), and writes them. Batches with a
     * producer id are checked against the producer state first (see {@link ProducerStateManager#checkLeaderAppend}):
     * if they were all written before, nothing is written and the result ({@link AppendResult#duplicate()}) carries
     * their original offsets.
     *
     * @throws SluiceException CORRUPT_RECORD, INVALID_RECORD, RECORD_TOO_LARGE; FENCED_LEADER_EPOCH if a newer epoch
     *                         has written here; OUT_OF_ORDER_SEQUENCE_NUMBER, INVALID_PRODUCER_EPOCH,
     *                         UNKNOWN_PRODUCER_ID for an idempotent batch that does not follow its producer's last
     *                         one; STORAGE_ERROR if the log is offline or the write fails
     */
    public AppendResult appendAsLeader(ByteBuffer records, int leaderEpoch) {
        return appendAsLeader(List.of(records), leaderEpoch).getFirst().orThrow();
    }

    /**
     * Appends the entries of a produce request for this log as leader, in order, each exactly as
     * {@link #appendAsLeader(ByteBuffer, int)} would and with its own outcome: an entry refused (a bad batch, a
     * producer sequence that does not follow, a fenced epoch) is that entry's answer, and the entries after it are
     * still appended. All of them take the writer lock once, and waiters (followers' long polls, the high watermark's)
     * are woken once, after the last: a follower woken by the first entry would otherwise read only part of them and
     * need a second round for the rest. A storage failure takes the log offline: the entries before it keep their
     * results, it and the entries after it are answered STORAGE_ERROR. A transactional batch that would open a
     * transaction is refused (INVALID_TXN_STATE): see {@link #appendAsLeader(List, int, TxnVerifications)}.
     */
    public List<LeaderAppendOutcome> appendAsLeader(List<ByteBuffer> entries, int leaderEpoch) {
        return appendAsLeader(entries, leaderEpoch, TxnVerifications.NONE);
    }

    /**
     * As {@link #appendAsLeader(List, int)}, with the transaction coordinator's answers for the entries'
     * {@link #transactionStarts}: a transactional batch that would open a transaction here is appended only if its
     * producer's start was verified and no marker of that producer was written since the verification began.
     */
    public List<LeaderAppendOutcome> appendAsLeader(List<ByteBuffer> entries, int leaderEpoch,
                                                    TxnVerifications verified) {
        LogConfig cfg = config;
        // Validated outside the lock; an entry that fails it is refused alone.
        List<Object> validated = new ArrayList<>(entries.size());
        for (ByteBuffer records : entries) {
            try {
                validated.add(ValidatedRecords.forLeader(records, cfg));
            } catch (SluiceException e) {
                validated.add(e);
            }
        }
        List<LeaderAppendOutcome> outcomes = new ArrayList<>(entries.size());
        try {
            writeAndWake("append", () -> {
                for (Object entry : validated) {
                    if (entry instanceof SluiceException refused) {
                        outcomes.add(LeaderAppendOutcome.refused(refused));
                        continue;
                    }
                    try {
                        AppendResult result = appendLocked((ValidatedRecords) entry, leaderEpoch, cfg, verified);
                        outcomes.add(LeaderAppendOutcome.appended(result));
                    } catch (CorruptRecordException e) {
                        throw e; // raised by bytes read back from disk: the writer guard takes the log offline
                    } catch (SluiceException e) {
                        outcomes.add(LeaderAppendOutcome.refused(e));
                    }
                }
                return null;
            });
        } catch (SluiceException e) {
            // Offline or closed, before the first entry or at one of them: the rest are not written.
            while (outcomes.size() < entries.size()) {
                outcomes.add(LeaderAppendOutcome.refused(e));
            }
        }
        return outcomes;
    }

    /** One entry of {@link #appendAsLeader(List, int, TxnVerifications)}, under the writer lock. */
    private AppendResult appendLocked(ValidatedRecords validated, int leaderEpoch, LogConfig cfg,
                                      TxnVerifications verified) throws IOException {
        OptionalInt latest = epochCache.latestEpoch();
        if (latest.isPresent() && leaderEpoch < latest.getAsInt()) {
            throw ErrorCode.FENCED_LEADER_EPOCH.exception("Append to " + name + " in leader epoch " + leaderEpoch
                    + ", but epoch " + latest.getAsInt() + " has written here");
        }
        long now = clock.millis();
        boolean logAppendTime = cfg.timestampType() == TimestampType.LOG_APPEND_TIME;
        Optional<ProducerStateManager.Duplicate> duplicate = producerState.checkLeaderAppend(validated.batches(),
                verified);
        if (duplicate.isPresent()) {
            ProducerStateManager.Duplicate d = duplicate.get();
            return new AppendResult(d.firstOffset(), d.lastOffset(),
                    logAppendTime ? d.timestamp() : RecordBatch.NO_TIMESTAMP, d.timestamp(), 0, 0, logStartOffset,
                    true);
        }
        validated.assignOffsets(local.logEnd().offset(), leaderEpoch,
                logAppendTime ? now : RecordBatch.NO_TIMESTAMP);
        if (isNewEpoch(leaderEpoch)) {
            // Recovery relearns it from these batches until a flush passes them (see LeaderEpochCache).
            epochCache.assignUnflushed(leaderEpoch, validated.firstOffset());
        }
        append(validated, cfg, now);
        return new AppendResult(validated.firstOffset(), validated.lastOffset(),
                logAppendTime ? now : RecordBatch.NO_TIMESTAMP, validated.maxTimestamp(), validated.recordCount(),
                validated.sizeInBytes(), logStartOffset, false);
    }

    /**
     * The batches of these produce entries that would open a transaction here (Kafka's KIP-890 part 1): transactional
     * batches of a producer without a transaction open here at their epoch, which do not repeat one of its last
     * batches. Each distinct producer and epoch once, with the guard its verification runs under (see
     * {@link TxnStart}). Reads batch headers only; a batch whose header does not parse is left to the append, which
     * refuses it. Empty, without taking the writer lock, when no entry holds a transactional batch.
     */
    public List<TxnStart> transactionStarts(List<ByteBuffer> entries) {
        List<RecordBatch> transactional = new ArrayList<>();
        for (ByteBuffer entry : entries) {
            if (RecordBatch.producerIdAt(entry) == RecordBatch.NO_PRODUCER_ID) {
                continue;
            }
            try {
                for (RecordBatch batch : BufferBatchIterator.batches(entry)) {
                    if (batch.isTransactional() && !batch.isControlBatch() && batch.producerId() >= 0) {
                        transactional.add(batch);
                    }
                }
            } catch (CorruptRecordException e) {
                // the append refuses the entry
            }
        }
        if (transactional.isEmpty()) {
            return List.of();
        }
        return guard.write("transaction verification", () -> {
            Map<Long, Short> seen = new HashMap<>();
            List<TxnStart> starts = new ArrayList<>();
            long now = clock.millis();
            for (RecordBatch batch : transactional) {
                Short before = seen.putIfAbsent(batch.producerId(), batch.producerEpoch());
                if (Objects.equals(before, batch.producerEpoch())) {
                    continue;
                }
                VerificationGuard started = producerState.startVerification(batch.producerId(),
                        batch.producerEpoch(), batch.baseSequence(), batch.lastSequence(), now);
                if (started != null) {
                    starts.add(new TxnStart(batch.producerId(), batch.producerEpoch(), started));
                }
            }
            return starts;
        });
    }

    /**
     * Appends batches fetched from the leader, offsets and epochs already assigned. They must continue this log:
     * none starts below the log end offset or below the end of the batch before it. They may skip offsets (a
     * compacted leader's gaps), as in Kafka.
     *
     * @throws UnexpectedAppendOffsetException if they do not continue the log (nothing is written)
     * @throws SluiceException                 CORRUPT_RECORD for a bad batch, STORAGE_ERROR as for leader appends
     */
    public AppendResult appendAsFollower(ByteBuffer records) {
        LogConfig cfg = config;
        ValidatedRecords validated = ValidatedRecords.forFollower(records, cfg);
        return writeAndWake("append", () -> {
            validated.ensureContinues(name, local.logEnd().offset());
            for (RecordBatch batch : validated.batches()) {
                // The leader's epochs as they are, even one lower than an epoch this log recorded last: an epoch
                // this replica led in without writing, which the leader's records now contradict. Written by the next
                // flush: recovery relearns it from these batches until then (see LeaderEpochCache).
                if (batch.partitionLeaderEpoch() >= 0) {
                    epochCache.assignUnflushed(batch.partitionLeaderEpoch(), batch.baseOffset());
                }
            }
            append(validated, cfg, clock.millis());
            return new AppendResult(validated.firstOffset(), validated.lastOffset(), RecordBatch.NO_TIMESTAMP,
                    validated.maxTimestamp(), validated.recordCount(), validated.sizeInBytes(), logStartOffset, false);
        });
    }

    /**
     * Writes validated batches (rolling first if needed), publishes the new log end, applies flush.messages and
     * records the batches in the producer state (after a roll's snapshot, which describes the log before them).
     */
    private void append(ValidatedRecords records, LogConfig cfg, long now) throws IOException {
        long activeBase = local.segments().last().baseOffset();
        local.append(records, cfg, now);
        if (local.segments().last().baseOffset() != activeBase) {
            snapshotProducerStateAt(local.segments().last().baseOffset());
        }
        producerState.update(records.batches(), now);
        unstable = producerState.unstable(highWatermark.get().offset());
        long end = local.logEnd().offset();
        if (end - local.recoveryPoint() >= cfg.flushMessages()) {
            epochCache.flush();
            local.flushUpTo(end);
        }
    }

    /**
     * Writes a transaction marker as leader, at the transaction coordinator's request: a control batch of
     * {@code producerId} and {@code producerEpoch} that commits or aborts the producer's open transaction here (a
     * marker for a producer without one is written all the same: the coordinator sends it to every partition the
     * transaction named). It is replicated and counted against acks like any batch.
     *
     * @throws SluiceException FENCED_LEADER_EPOCH as for appends; INVALID_PRODUCER_EPOCH for an epoch older than the
     *                         producer's here; TRANSACTION_COORDINATOR_FENCED for a coordinator epoch older than the
     *                         one of the producer's last marker here; STORAGE_ERROR
     */
    public AppendResult appendMarker(long producerId, short producerEpoch, EndTxnMarker marker, int leaderEpoch) {
        LogConfig cfg = config;
        return writeAndWake("marker", () -> {
            OptionalInt latest = epochCache.latestEpoch();
            if (latest.isPresent() && leaderEpoch < latest.getAsInt()) {
                throw ErrorCode.FENCED_LEADER_EPOCH.exception("Marker for " + name + " in leader epoch " + leaderEpoch
                        + ", but epoch " + latest.getAsInt() + " has written here");
            }
            producerState.checkMarker(producerId, producerEpoch, marker.coordinatorEpoch());
            long now = clock.millis();
            ValidatedRecords validated = ValidatedRecords.forMarker(marker.toBatch(producerId, producerEpoch, now),
                    cfg);
            validated.assignOffsets(local.logEnd().offset(), leaderEpoch, RecordBatch.NO_TIMESTAMP);
            if (isNewEpoch(leaderEpoch)) {
                epochCache.assignUnflushed(leaderEpoch, validated.firstOffset());
            }
            append(validated, cfg, now);
            return new AppendResult(validated.firstOffset(), validated.lastOffset(), RecordBatch.NO_TIMESTAMP,
                    validated.maxTimestamp(), validated.recordCount(), validated.sizeInBytes(), logStartOffset, false);
        });
    }

    /** Writes the producer state as of {@code offset} (the log end before the batches being appended, if any). */
    private void snapshotProducerStateAt(long offset) throws IOException {
        producerState.updateMapEndOffset(offset);
        producerState.takeSnapshot();
    }


    // ------------------------------------------------------------------ reads

    /**
     * Reads whole batches from the one holding {@code fetchOffset}, up to {@code maxBytes} (but with
     * {@code minOneBatch} at least one batch, however large), below the log end ({@link FetchIsolation#LOG_END},
     * followers) or the high watermark (consumers). An offset between the bound and the log end reads nothing. The
     * batches come from one segment (a region is one file); {@link LogReadResult#nextFetchOffset()} says where to
     * continue. In a compacted log an offset may have been removed: the read then starts at the next batch, and
     * when no batch below the bound remains after the offset, it reads nothing and continues at the bound.
     * Lock-free.
     *
     * @throws SluiceException OFFSET_OUT_OF_RANGE below the log start or above the log end; STORAGE_ERROR offline
     */
    public LogReadResult read(long fetchOffset, int maxBytes, FetchIsolation isolation, boolean minOneBatch) {
        guard.ensureUsable();
        // Read in this order so the snapshot keeps start <= high watermark <= end: each only grows meanwhile.
        long start = logStartOffset;
        LogOffsetMetadata hw = highWatermark.get();
        LogOffsetMetadata end = local.logEnd();
        LogOffsets offsets = new LogOffsets(start, hw.offset(), end.offset());
        long lastStable = unstable.lastStableOffset(hw.offset());
        if (fetchOffset < start || fetchOffset > end.offset()) {
            throw outOfRange(fetchOffset, start, end.offset());
        }
        try {
            if (fetchOffset >= boundOffset(isolation, offsets, lastStable)) {
                return new LogReadResult(fetchOffset, FileRegion.empty(), fetchOffset, offsets, lastStable, List.of());
            }
            LogOffsetMetadata bound = bound(isolation, hw, end, lastStable);
            LogSegment.Read read = local.read(fetchOffset, maxBytes, bound, minOneBatch);
            // No batch below the bound holds this offset or a later one: the cleaner removed [offset, bound), so the
            // next read starts at the bound (a compacted log has gaps).
            long next = read == null ? bound.offset() : read.nextOffset();
            List<AbortedTxn> abortedTxns = isolation == FetchIsolation.TXN_COMMITTED && read != null
                    ? ProducerStateManager.abortedIn(aborted, fetchOffset, next) : List.of();
            return new LogReadResult(fetchOffset, read == null ? FileRegion.empty() : read.region(), next, offsets,
                    lastStable, abortedTxns);
        } catch (IOException e) {
            // Not marked offline: a reader racing a truncation can see a shorter file than its snapshot promised.
            throw new SluiceException(ErrorCode.STORAGE_ERROR, "Read of " + name + " at offset " + fetchOffset
                    + " failed: " + e, e);
        }
    }

    /**
     * {@link #read}'s answer when {@code fetchOffset} is at or past where a read with {@code isolation} ends, which
     * needs no file: nothing, with the log's offsets. Null when the read would find records, or has an error to report
     * (the log unusable, the offset out of range): {@link #read} answers those. Lock-free and free of I/O, so a long
     * poll may call it on an event loop to learn that it has to wait.
     */
    public LogReadResult readIfNothing(long fetchOffset, FetchIsolation isolation) {
        if (!guard.isUsable()) {
            return null;
        }
        long start = logStartOffset;
        long hw = highWatermark.get().offset();
        long end = local.logEnd().offset();
        LogOffsets offsets = new LogOffsets(start, hw, end);
        long lastStable = unstable.lastStableOffset(hw);
        if (fetchOffset < start || fetchOffset > end || fetchOffset < boundOffset(isolation, offsets, lastStable)) {
            return null;
        }
        return new LogReadResult(fetchOffset, FileRegion.empty(), fetchOffset, offsets, lastStable, List.of());
    }

    /**
     * {@link #read}'s answer, found without reading a file, for a consumer read at where the high watermark stood
     * before its last rise by this leader ({@link #advanceHighWatermark}) while that rise is the latest: the records
     * it made readable, the bytes between the two offsets' positions in their segment. Null whenever that cannot be
     * exactly the read's answer — a follower read, another offset, a high watermark that moved again or was set, a
     * rise over a segment roll, more bytes than {@code maxBytes}, an open transaction below the high watermark for a
     * {@link FetchIsolation#TXN_COMMITTED} read, an unusable log: {@link #read} answers those. Lock-free and free of
     * I/O, so a long poll woken by the rise may answer on the thread that raised it (an event loop).
     */
    public LogReadResult readLastRise(long fetchOffset, int maxBytes, FetchIsolation isolation) {
        Rise rise = lastRise;
        if (rise == null || rise.from().offset() != fetchOffset || isolation == FetchIsolation.LOG_END
                || !guard.isUsable()) {
            return null;
        }
        long start = logStartOffset;
        LogOffsetMetadata hw = highWatermark.get();
        LogOffsetMetadata end = local.logEnd();
        if (hw != rise.to() || fetchOffset < start) {
            return null;
        }
        long lastStable = unstable.lastStableOffset(hw.offset());
        if (isolation == FetchIsolation.TXN_COMMITTED && lastStable != hw.offset()) {
            return null;
        }
        int length = rise.to().position() - rise.from().position();
        LogSegment segment = rise.segment();
        if (length <= 0 || length > maxBytes || local.segments().floor(fetchOffset) != segment || segment.isDeleted()) {
            return null;
        }
        List<AbortedTxn> abortedTxns = isolation == FetchIsolation.TXN_COMMITTED
                ? ProducerStateManager.abortedIn(aborted, fetchOffset, hw.offset()) : List.of();
        return new LogReadResult(fetchOffset, new FileRegion(segment.channel(), rise.from().position(), length),
                hw.offset(), new LogOffsets(start, hw.offset(), end.offset()), lastStable, abortedTxns);
    }

    /** Where a read with {@code isolation} ends, as an offset (its position in a segment needs no lookup here). */
    private static long boundOffset(FetchIsolation isolation, LogOffsets offsets, long lastStable) {
        return switch (isolation) {
            case LOG_END -> offsets.logEndOffset();
            case HIGH_WATERMARK -> offsets.highWatermark();
            case TXN_COMMITTED -> lastStable;
        };
    }

    /** Where a read with {@code isolation} ends, given the offsets it read first. */
    private LogOffsetMetadata bound(FetchIsolation isolation, LogOffsetMetadata hw, LogOffsetMetadata end,
                                    long lastStable) throws IOException {
        return switch (isolation) {
            case LOG_END -> end;
            case HIGH_WATERMARK -> hw;
            case TXN_COMMITTED -> lastStable == hw.offset() ? hw : local.offsetMetadata(lastStable);
        };
    }

    /** The bound of a lookup with {@code isolation} now. */
    private LogOffsetMetadata bound(FetchIsolation isolation) throws IOException {
        LogOffsetMetadata hw = highWatermark.get();
        return bound(isolation, hw, local.logEnd(), unstable.lastStableOffset(hw.offset()));
    }

    /** A consumer read: below the high watermark, at least one batch. */
    public LogReadResult readForConsumer(long fetchOffset, int maxBytes) {
        return read(fetchOffset, maxBytes, FetchIsolation.HIGH_WATERMARK, true);
    }

    /** A follower read: below the log end, at least one batch. */
    public LogReadResult readForFollower(long fetchOffset, int maxBytes) {
        return read(fetchOffset, maxBytes, FetchIsolation.LOG_END, true);
    }

    /**
     * The earliest record at or after the log start whose timestamp is at least {@code timestamp}, below the bound
     * {@code isolation} sets; empty if there is none (a consumer then starts at the latest offset). Lock-free.
     */
    public Optional<TimestampOffset> offsetForTimestamp(long timestamp, FetchIsolation isolation) {
        guard.ensureUsable();
        try {
            return local.offsetForTimestamp(timestamp, logStartOffset, bound(isolation));
        } catch (IOException e) {
            throw new SluiceException(ErrorCode.STORAGE_ERROR, "Timestamp lookup in " + name + " failed: " + e, e);
        }
    }

    /** The earliest readable offset (Kafka's ListOffsets EARLIEST). */
    /**
     * The first record with the largest timestamp from the log start to the bound {@code isolation} sets (Kafka's
     * ListOffsets MAX_TIMESTAMP, KIP-734); empty if no record there has a timestamp. Lock-free.
     */
    public Optional<TimestampOffset> maxTimestampOffset(FetchIsolation isolation) {
        guard.ensureUsable();
        try {
            return local.maxTimestampOffset(logStartOffset, bound(isolation));
        } catch (IOException e) {
            throw new SluiceException(ErrorCode.STORAGE_ERROR, "Max-timestamp lookup in " + name + " failed: " + e, e);
        }
    }

    public long logStartOffset() {
        return logStartOffset;
    }

    /**
     * The end of what read_committed consumers see (Kafka's ListOffsets LATEST under read_committed): the first
     * offset of the lowest transaction still open or not yet below the high watermark, else the high watermark.
     */
    public long lastStableOffset() {
        return unstable.lastStableOffset(highWatermark.get().offset());
    }

    /** Every aborted transaction still in the log, in marker order (the log cleaner removes their records). */
    public List<AbortedTxn> abortedTxns() {
        return List.copyOf(aborted.values());
    }

    /** The end of what consumers see (Kafka's ListOffsets LATEST). */
    public long highWatermark() {
        return highWatermark.get().offset();
    }

    public long logEndOffset() {
        return local.logEnd().offset();
    }

    /** Offsets below this were fsynced; crash recovery starts here. */
    public long recoveryPoint() {
        return local.recoveryPoint();
    }

    public LogOffsets offsets() {
        return new LogOffsets(logStartOffset, highWatermark.get().offset(), local.logEnd().offset());
    }

    public long sizeInBytes() {
        return local.segments().sizeInBytes();
    }

    public int segmentCount() {
        return local.segments().count();
    }

    public Path directory() {
        return dir;
    }

    public LogConfig config() {
        return config;
    }

    /** Applies new settings (altered topic configs) to later appends, rolls and retention passes. */
    public void updateConfig(LogConfig newConfig) {
        guard.write("config update", () -> config = newConfig);
    }

    public boolean isOffline() {
        return guard.isOffline();
    }

    // ------------------------------------------------- high watermark, waiting

    /**
     * Sets the high watermark (a follower copying its leader's), clamped to [log start, log end]; it may go down.
     *
     * @return the high watermark now in force
     */
    public long updateHighWatermark(long offset) {
        return writeAndWake("high watermark update", () -> {
            setHighWatermark(Math.min(Math.max(offset, logStartOffset), local.logEnd().offset()));
            return highWatermark.get().offset();
        });
    }

    /**
     * Raises the high watermark to {@code offset} (a leader whose in-sync replicas all reached it); never lowers it
     * and never passes the log end; wakes the waiters it satisfies on this thread.
     *
     * @return whether it moved
     */
    public boolean maybeIncrementHighWatermark(long offset) {
        boolean moved = advanceHighWatermark(offset);
        if (moved) {
            highWatermarkWaiters.wake();
        }
        return moved;
    }

    /**
     * {@link #maybeIncrementHighWatermark} without waking anyone: for a caller holding a lock of its own, which then
     * calls {@link #wakeHighWatermarkWaiters} after releasing it, so that the answers the waiters complete (and
     * everything chained to them) never run inside that lock. Lock-free: a compare-and-set that never waits for an
     * append or an fsync. Not to be raced with {@link #truncateTo} (a leader raises it, a follower truncates; the
     * replica's own role lock keeps them apart), though a raise that lands during a cut is corrected by the cut.
     */
    public boolean advanceHighWatermark(long offset) {
        guard.ensureUsable();
        while (true) {
            // The current value first, then the end: a cut that lowers the end also replaces the value read here.
            LogOffsetMetadata current = highWatermark.get();
            LogOffsetMetadata end = local.logEnd();
            long target = Math.min(offset, end.offset());
            if (target <= current.offset()) {
                return false;
            }
            LogOffsetMetadata next;
            try {
                next = target == end.offset() ? end : local.offsetMetadata(target);
            } catch (IOException e) {
                throw new SluiceException(ErrorCode.STORAGE_ERROR, "Locating offset " + target + " in " + name
                        + " failed: " + e, e);
            }
            if (highWatermark.compareAndSet(current, next)) {
                noteRise(current, next, end);
                return true;
            }
        }
    }

    /**
     * Keeps {@code from → to} as {@link #lastRise} when it ends at the log end {@code end} in the segment it started
     * in, that segment still the active one: both offsets are then batch boundaries (or where the first batch holding
     * {@code from} starts), and what lies between is whole batches of one file.
     */
    private void noteRise(LogOffsetMetadata from, LogOffsetMetadata to, LogOffsetMetadata end) {
        if (to != end || from.segmentBaseOffset() != to.segmentBaseOffset()) {
            return;
        }
        LogSegment active = local.segments().last();
        if (active != null && active.baseOffset() == to.segmentBaseOffset()) {
            lastRise = new Rise(from, to, active);
        }
    }

    /** A rise of the high watermark from one offset to another in {@code segment}. */
    private record Rise(LogOffsetMetadata from, LogOffsetMetadata to, LogSegment segment) {
    }

    /** Completes the high-watermark waiters the current high watermark satisfies (see {@link #advanceHighWatermark}). */
    public void wakeHighWatermarkWaiters() {
        highWatermarkWaiters.wake();
    }

    /**
     * Completes with the high watermark once it is at least {@code offset}; fails with STORAGE_ERROR if the log goes
     * offline or closes first. Cancel it (or let {@code orTimeout} expire it) to stop waiting; nothing is retained.
     */
    public CompletableFuture<Long> awaitHighWatermark(long offset) {
        return highWatermarkWaiters.await(offset);
    }

    /** The polls waiting for the high watermark now ({@link #awaitHighWatermark}): a consumer's long poll parked here. */
    public int highWatermarkWaiting() {
        return highWatermarkWaiters.size();
    }

    /** As {@link #awaitHighWatermark}, for the log end offset: a leader's long poll for follower fetches. */
    public CompletableFuture<Long> awaitLogEndOffset(long offset) {
        return logEndWaiters.await(offset);
    }

    /**
     * The watch this log reports its log end moves (and its failure or close) to, for a poll over many logs at once;
     * shared by the logs of one {@link LogManager}.
     */
    public LogEndWatch logEndWatch() {
        return logEndWatch;
    }

    /** Reports to {@code watch} from now on; set before the log is handed out, so no poll waits on the old one. */
    void reportLogEndTo(LogEndWatch watch) {
        this.logEndWatch = watch;
    }

    /** False once the log went offline or closed: reads and writes then fail with STORAGE_ERROR. */
    public boolean isUsable() {
        return guard.isUsable();
    }

    private void setHighWatermark(long offset) throws IOException {
        highWatermark.set(local.offsetMetadata(offset));
    }

    // ------------------------------------------------------------ leader epochs

    public OptionalInt latestEpoch() {
        return epochCache.latestEpoch();
    }

    /** Where {@code epoch} ended in this log (KIP-101/279), for a follower finding its divergence point. */
    public EpochEndOffset endOffsetForEpoch(int epoch) {
        guard.ensureUsable();
        return epochCache.endOffsetFor(epoch, local.logEnd().offset());
    }

    /**
     * Records, durably, that this replica became leader in {@code epoch} at the current log end (no-op unless newer):
     * no batch carries an epoch that has not written yet, so recovery could not relearn it.
     */
    public void assignEpochStartOffset(int epoch) {
        guard.write("leader epoch update", () -> {
            if (isNewEpoch(epoch)) {
                epochCache.assign(epoch, local.logEnd().offset());
            }
            return null;
        });
    }

    /** Epochs only move forward: an unset one, or one not above the latest recorded, is not new. */
    private boolean isNewEpoch(int epoch) {
        OptionalInt latest = epochCache.latestEpoch();
        return epoch >= 0 && (latest.isEmpty() || epoch > latest.getAsInt());
    }

    public List<EpochEntry> epochEntries() {
        return epochCache.entries();
    }

    // ------------------------------------------ truncation, retention, flushing

    /**
     * Removes everything from {@code offset} on (a follower cutting back to its divergence point): segments,
     * index entries and epochs; the high watermark and recovery point follow. An offset inside a batch removes that
     * whole batch. Below the first segment the log restarts empty at {@code offset}.
     *
     * @return whether anything was removed
     */
    public boolean truncateTo(long offset) {
        requireNonNegative(offset);
        return writeAndWake("truncation", () -> {
            if (offset >= local.logEnd().offset()) {
                return false;
            }
            if (offset < local.segments().first().baseOffset()) {
                restartAt(offset);
                return true;
            }
            if (highWatermark.get().offset() > offset) {
                // Lower it before the log end so that readers never see a high watermark above the log end.
                highWatermark.set(local.offsetMetadata(offset));
            }
            long newEnd = local.truncateTo(offset, config);
            epochCache.truncateFromEnd(newEnd);
            producerState.reload(local.segments(), newEnd, config.maxBatchSizeOnDisk(), clock.millis());
            logStartOffset = Math.min(logStartOffset, newEnd);
            if (highWatermark.get().offset() > newEnd) {
                highWatermark.set(local.logEnd());
            }
            unstable = producerState.unstable(highWatermark.get().offset());
            writeCheckpoint(false);
            return true;
        });
    }

    /**
     * Deletes every segment and the epoch cache and restarts the log empty at {@code offset}, which becomes log
     * start, high watermark and log end (a follower too far behind the leader's log start).
     */
    public void truncateFullyAndStartAt(long offset) {
        requireNonNegative(offset);
        writeAndWake("restart", () -> {
            restartAt(offset);
            return null;
        });
    }

    private void restartAt(long offset) throws IOException {
        local.restartAt(offset, config);
        highWatermark.set(local.logEnd());
        logStartOffset = offset;
        epochCache.clear();
        producerState.clear(offset);
        unstable = UnstableTxns.NONE;
        writeCheckpoint(false);
    }

    /**
     * Applies retention (see {@link Retention}): deletes the oldest sealed segments that end at or below the log
     * start offset, are older than {@code retention.ms} by their newest record, or exceed {@code retention.bytes},
     * then moves the log start offset to the first remaining segment. Never deletes the active segment or a segment
     * holding offsets at or above the last stable offset (so no open transaction loses records). Also removes the files of segments deleted more than
     * {@code file.delete.delay.ms} ago.
     *
     * @return the number of segments deleted
     */
    public int deleteOldSegments() {
        return guard.write("retention", () -> {
            LogConfig cfg = config;
            long now = clock.millis();
            List<LogSegment> expired = Retention.deletable(local.segments(), lastStableOffset(), logStartOffset, cfg,
                    remoteCopiedEndOffset, now);
            removeSegments(expired);
            if (!expired.isEmpty()) {
                moveLogStartOffset(local.segments().first().baseOffset());
            }
            local.deleteDueFiles(now);
            return expired.size();
        });
    }

    /**
     * Tells a tiered log that every offset below {@code copiedEndOffset} is in remote storage, readable there: the
     * retention passes after may delete the sealed local segments wholly below it by {@code local.retention.*}. Only
     * ever raised.
     */
    public void remoteCopiedUpTo(long copiedEndOffset) {
        guard.write("remote copy update", () -> {
            remoteCopiedEndOffset = Math.max(remoteCopiedEndOffset, copiedEndOffset);
            return null;
        });
    }

    /**
     * The sealed segments a tiered log's leader may copy to remote storage, oldest first, from the one holding
     * {@code fromOffset} (or the first after it): each wholly below the last stable offset (so below the high
     * watermark, and holding no open transaction), at most {@code max} of them. Each names its files as they are
     * now; retention of an uncopied segment in a tiered log happens only by the log start (DeleteRecords), and a copy
     * that finds a file gone is simply not made.
     */
    public List<SealedSegment> sealedSegmentsFrom(long fromOffset, int max) {
        return guard.write("sealed segments", () -> {
            long stable = lastStableOffset();
            List<SealedSegment> sealed = new ArrayList<>();
            List<LogSegment> all = local.segments().all();
            List<EpochEntry> epochs = epochCache.entries();
            for (int i = 0; i < all.size() - 1 && sealed.size() < max; i++) {
                LogSegment segment = all.get(i);
                long next = all.get(i + 1).baseOffset();
                if (next > stable) {
                    break;
                }
                if (next <= fromOffset || next <= logStartOffset) {
                    continue;
                }
                Path snapshot = LogFileUtils.producerSnapshotFile(dir, next);
                sealed.add(new SealedSegment(segment.baseOffset(), next - 1, segment.size(),
                        segment.largestTimestamp(), LogFileUtils.logFile(dir, segment.baseOffset()),
                        LogFileUtils.offsetIndexFile(dir, segment.baseOffset()),
                        LogFileUtils.timeIndexFile(dir, segment.baseOffset()),
                        java.nio.file.Files.exists(snapshot) ? snapshot : null,
                        ProducerStateManager.abortedIn(aborted, segment.baseOffset(), next),
                        SealedSegment.epochsWithin(epochs, segment.baseOffset(), next)));
            }
            return sealed;
        });
    }

    /**
     * Makes offsets below {@code offset} unreadable (Kafka's DeleteRecords, KIP-107): the log start offset moves there,
     * durably, and the segments wholly below it are deleted as retention deletes them. Reads below it then answer
     * OFFSET_OUT_OF_RANGE. An offset at or below the log start changes nothing.
     *
     * @return the log start offset afterwards
     * @throws SluiceException OFFSET_OUT_OF_RANGE if {@code offset} is negative or above the high watermark
     */
    public long deleteRecordsBefore(long offset) {
        return guard.write("delete records", () -> {
            if (offset < 0 || offset > highWatermark.get().offset()) {
                throw outOfRange(offset, logStartOffset, highWatermark.get().offset());
            }
            advanceLogStartOffset(offset);
            return logStartOffset;
        });
    }

    /**
     * A follower takes its leader's log start offset (from each fetch answer, as Kafka's followers do), but never
     * past its own high watermark: the leader's log start is at most the leader's high watermark, which the follower
     * reaches soon enough, and until then the offsets between stay readable here. Does nothing, without the lock,
     * when the log start is already there — the case of nearly every fetch.
     *
     * @return the log start offset afterwards
     */
    public long maybeIncrementLogStartOffset(long leaderLogStartOffset) {
        if (leaderLogStartOffset <= logStartOffset) {
            return logStartOffset;
        }
        return guard.write("log start update", () -> {
            advanceLogStartOffset(Math.min(leaderLogStartOffset, highWatermark.get().offset()));
            return logStartOffset;
        });
    }

    /** Moves the log start up to {@code offset} and deletes the segments now wholly below it. Under the lock. */
    private void advanceLogStartOffset(long offset) throws IOException {
        if (offset > logStartOffset) {
            moveLogStartOffset(offset);
            removeSegments(Retention.belowLogStart(local.segments(), highWatermark.get().offset(), logStartOffset));
            local.deleteDueFiles(clock.millis());
        }
    }

    /** Deletes a prefix of the segments, and the producer snapshots below the new first one. Under the lock. */
    private void removeSegments(List<LogSegment> prefix) throws IOException {
        for (LogSegment segment : prefix) {
            local.removeSegment(segment, config);
        }
        if (!prefix.isEmpty()) {
            producerState.deleteSnapshotsBelow(local.segments().first().baseOffset());
        }
    }

    private void moveLogStartOffset(long offset) throws IOException {
        if (offset > logStartOffset) {
            logStartOffset = offset;
            producerState.removeAbortedBelow(offset);
            epochCache.truncateFromStart(offset);
            writeCheckpoint(false);
        }
    }

    /** Fsyncs everything written so far and moves the recovery point to the log end. */
    public void flush() {
        flush(guard.write("flush", () -> local.planFlush(local.logEnd().offset())));
    }

    /**
     * The owner's periodic duty: fsyncs everything if {@code flush.ms} has passed since the last flush, else the
     * segments rolled since (which keeps crash recovery short), and removes files of deleted segments whose delay
     * has passed. The fsyncs run outside the writer lock: appends and high-watermark updates go on meanwhile.
     *
     * @return whether anything was flushed
     */
    public boolean maybeFlush() {
        return flush(guard.write("flush", () -> {
            long now = clock.millis();
            local.deleteDueFiles(now);
            long end = local.logEnd().offset();
            long recoveryPoint = local.recoveryPoint();
            long activeBase = local.segments().last().baseOffset();
            long upTo = end > recoveryPoint && now - local.lastFlushTimeMs() >= config.flushMs() ? end
                    : Math.max(activeBase, recoveryPoint);
            return local.planFlush(upTo);
        }));
    }

    /**
     * Runs a flush planned under the writer lock without it, then moves the recovery point under it. A segment that
     * left the log meanwhile (retention, a follower's cut) may have closed its file: the plan is dropped and the next
     * flush plans again. Any other failure to fsync takes the log offline, as under the lock.
     */
    private boolean flush(SegmentedLog.FlushPlan plan) {
        if (plan == null) {
            return false;
        }
        try {
            plan.sync();
        } catch (IOException e) {
            if (plan.touchesRemovedSegment()) {
                return false;
            }
            throw guard.fail("flush", e);
        }
        try {
            // Epochs learned while appending must be on disk before the recovery point passes their batches:
            // recovery relearns epochs only from the recovery point's segment on.
            epochCache.flush();
        } catch (IOException e) {
            throw guard.fail("flush", e);
        }
        guard.write("flush", () -> {
            local.completeFlush(plan);
            return null;
        });
        return true;
    }

    /**
     * Persists the recovery point, high watermark and log start offset (the owner calls this periodically): the
     * values are read under the writer lock, the file is written and fsynced outside it, and not at all when they have
     * not changed since the last checkpoint — an idle log costs no I/O.
     */
    public void checkpoint() {
        CheckpointSnapshot snapshot = guard.write("checkpoint", () -> snapshot(false));
        try {
            writeCheckpoint(snapshot, false);
        } catch (IOException e) {
            throw guard.fail("checkpoint", e);
        }
    }

    /**
     * Checkpoints under the writer lock (a cut, a new log start, open and close: the file must agree at once), even
     * when the values equal the last ones written: the data directory's periodic line for this log may hold newer
     * ones under the current stamp (a cut back to an earlier state must outrank it).
     */
    private void writeCheckpoint(boolean cleanShutdown) throws IOException {
        writeCheckpoint(snapshot(cleanShutdown), true);
    }

    /** The state to checkpoint, numbered in the order it was read; called under the writer lock. */
    private CheckpointSnapshot snapshot(boolean cleanShutdown) {
        return new CheckpointSnapshot(++checkpointSequence, new LogStateCheckpoint.State(local.recoveryPoint(),
                highWatermark.get().offset(), logStartOffset, cleanShutdown, 0));
    }

    /**
     * Writes {@code snapshot} under a new stamp, unless a newer one was written already or it holds the same values as
     * the last one written and not {@code evenIfUnchanged}.
     */
    private void writeCheckpoint(CheckpointSnapshot snapshot, boolean evenIfUnchanged) throws IOException {
        checkpointLock.lock();
        try {
            if (snapshot.sequence() <= lastCheckpoint.sequence()
                    || (!evenIfUnchanged && snapshot.state().sameAs(lastCheckpoint.state()))) {
                return;
            }
            LogStateCheckpoint.State state = snapshot.state().withStamp(LogStateCheckpoint.newStamp());
            stateCheckpoint.write(state);
            lastCheckpoint = new CheckpointSnapshot(snapshot.sequence(), state);
            writtenStamp = state.stamp();
        } finally {
            checkpointLock.unlock();
        }
    }

    /**
     * This log's line for its data directory's periodic checkpoint ({@link LogManager#checkpoint}): the offsets now,
     * read under the writer lock, with the stamp of the own checkpoint file on disk. An own file written after this
     * read carries another stamp, so the line can only ever stand for a state newer than the own file's.
     */
    LogStateCheckpoint.State directoryCheckpointState() {
        return guard.write("checkpoint", () -> new LogStateCheckpoint.State(local.recoveryPoint(),
                highWatermark.get().offset(), logStartOffset, false, writtenStamp));
    }

    /** A checkpoint's values and the order in which they were read. */
    private record CheckpointSnapshot(long sequence, LogStateCheckpoint.State state) {
    }

    // ------------------------------------------------------ producer state

    /**
     * Forgets producers this replica has not seen a batch of for {@code expirationMs}
     * ({@code producer.id.expiration.ms}); the owner calls this periodically.
     *
     * @return how many were forgotten
     */
    public int removeExpiredProducers(long expirationMs) {
        return guard.write("producer expiry", () -> producerState.removeExpired(clock.millis(), expirationMs));
    }

    /** Every producer's state, by producer id (a copy). */
    Map<Long, ProducerStateEntry> producerStates() {
        return guard.write("producer state read", producerState::producers);
    }

    /** The last offset of each known producer's last batch: batches the cleaner keeps (a copy). */
    Map<Long, Long> lastProducerBatchOffsets() {
        return guard.write("producer state read", producerState::lastBatchOffsets);
    }

    /** Every producer with state here, by producer id. */
    public List<ProducerDescription> describeProducers() {
        return guard.write("producer state read", () -> producerState.producers().values().stream()
                .sorted(Comparator.comparingLong(ProducerStateEntry::producerId))
                .map(ProducerStateEntry::describe)
                .toList());
    }

    /** The number of producers with state here. */
    public int producerCount() {
        return guard.write("producer state read", () -> producerState.producers().size());
    }

    // ------------------------------------------------------------ compaction

    /**
     * Rolls the active segment of a compacted log whose first record is older than {@code max.compaction.lag.ms}
     * (KIP-354): the cleaner never touches the active segment, so without this an idle log would keep its last
     * records uncompacted for good.
     *
     * @return whether it rolled
     */
    public boolean maybeRollForCompaction() {
        CompactionConfig compaction = config.compaction();
        if (!compaction.policy().compacts() || compaction.maxCompactionLagMs() == Long.MAX_VALUE) {
            return false;
        }
        return guard.write("roll for compaction", () -> {
            LogSegment active = local.segments().last();
            long since = active.rollingBaseTimeMs();
            if (active.size() == 0 || since < 0 || clock.millis() - since <= compaction.maxCompactionLagMs()) {
                return false;
            }
            local.roll(config);
            snapshotProducerStateAt(local.logEnd().offset());
            return true;
        });
    }

    /** The segments in offset order, the last the active one: what the log cleaner plans over. Lock-free. */
    List<LogSegment> segmentsForCleaning() {
        guard.ensureUsable();
        return local.segments().all();
    }

    /**
     * The recovery point as the state checkpoint on disk has it, checkpointing first: a crash recovers (and so checks
     * offset continuity) from there, which is why the cleaner, whose segments have gaps, only cleans below it.
     */
    long durableRecoveryPoint() {
        checkpoint();
        checkpointLock.lock();
        try {
            LogStateCheckpoint.State state = lastCheckpoint.state();
            return state == null ? 0 : state.recoveryPoint();
        } finally {
            checkpointLock.unlock();
        }
    }

    /** Starts a segment the cleaner fills, under a {@code .cleaned} name (see {@link LogCleaner}). */
    LogSegment createCleanedSegment(long baseOffset) throws IOException {
        return LogSegment.createCleaned(dir, baseOffset, config, local.channels());
    }

    /**
     * Swaps a cleaned segment in for {@code group} under the writer lock (see {@link SegmentedLog#replaceSegments}).
     * An I/O failure midway takes the log offline; reopening completes the swap.
     *
     * @return false if the group changed meanwhile (nothing was swapped; the caller deletes the cleaned files)
     */
    boolean replaceSegments(List<LogSegment> group, LogSegment cleaned, long groupEnd, SwapSteps steps) {
        return guard.write("cleaner swap", () -> local.replaceSegments(group, cleaned, groupEnd, config, steps));
    }

    // ------------------------------------------------------ close and failure

    /**
     * A write that may move the high watermark or log end. Waiters are woken after the lock is released, so the
     * callbacks that completing them runs never execute inside the writer's critical section.
     */
    private <T> T writeAndWake(String operation, WriterGuard.StorageAction<T> action) {
        try {
            return guard.write(operation, action);
        } finally {
            logEndWaiters.wake();
            highWatermarkWaiters.wake();
            logEndWatch.changed(this);
        }
    }

    /**
     * Closes cleanly: flushes, seals the active segment's indexes, checkpoints recovery point = log end with the
     * clean-shutdown mark (so the next open skips recovery), and fails pending waiters. An offline log only releases
     * its files. Idempotent.
     */
    @Override
    public void close() throws IOException {
        guard.close(() -> {
            local.closeCleanly();
            // The next open skips recovery, so it relearns no epoch: write those learned while appending.
            epochCache.flush();
            // The next open then loads this snapshot and replays nothing.
            snapshotProducerStateAt(local.logEnd().offset());
            writeCheckpoint(true);
        }, local::closeFiles);
    }

    /**
     * Drops the log as a crash would: closes its files without flushing, sealing or checkpointing, so the next open
     * runs recovery. For tests of recovery.
     */
    void abandon() throws IOException {
        guard.close(local::closeFiles, local::closeFiles);
    }

    /** Deletes the files of this closed log (its partition was removed from this node). */
    void deleteFiles() throws IOException {
        guard.whenClosed(local::deleteAllFiles);
    }

    private void requireNonNegative(long offset) {
        if (offset < 0) {
            throw ErrorCode.INVALID_OFFSET.exception("Offset " + offset + " for " + name + " is negative");
        }
    }

    private SluiceException outOfRange(long offset, long start, long end) {
        return new SluiceException(ErrorCode.OFFSET_OUT_OF_RANGE, "Offset " + offset + " is out of range for "
                + name + ": valid offsets are " + start + " to " + end);
    }

    @Override
    public String toString() {
        return "PartitionLog[" + name + ", " + offsets() + "]";
    }
}

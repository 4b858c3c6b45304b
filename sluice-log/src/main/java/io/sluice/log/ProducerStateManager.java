package io.sluice.log;

import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.record.EndTxnMarker;
import io.sluice.protocol.record.FileBatch;
import io.sluice.protocol.record.FileBatchIterator;
import io.sluice.protocol.record.RecordBatch;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.stream.Stream;

/**
 * The producer state of one partition log (Kafka's ProducerStateManager): per producer id, the epoch and last five
 * batches it wrote here ({@link ProducerStateEntry}), as of the batches below {@link #mapEndOffset()}. A leader checks
 * each idempotent batch against it before writing ({@link #checkLeaderAppend}); every replica updates it from what it
 * writes ({@link #update}), so a follower that becomes leader already knows every producer.
 *
 * <p><b>Durability.</b> State is not written on every append: it is rebuilt from the log's batch headers (producer
 * id, epoch, base sequence, last offset delta). To keep that short, a snapshot file {@code <offset>.snapshot}
 * ({@link ProducerSnapshotFile}) records the state as of {@code <offset>} whenever the log rolls a segment and when it
 * closes; {@link #load} starts from the latest snapshot at or below the log end and replays the batches after it.
 * Snapshots above a new log end (a truncation, a recovery that cut a torn tail) describe batches that are gone and
 * are deleted.
 *
 * <p><b>Transactions.</b> A producer's first transactional batch opens its transaction on the partition; the control
 * batch with its marker ({@link EndTxnMarker}) closes it. The state keeps the open transactions and the closed ones
 * whose marker may still be above the high watermark ({@link #unstable}: what the last stable offset is computed from)
 * and every aborted transaction still in the log ({@link #aborted}, for read_committed reads). All of it is in the
 * snapshots and rebuilt by replaying markers, like the rest.
 *
 * <p><b>Verification</b> (Kafka's KIP-890 part 1). A leader appends a batch that would open a transaction only after
 * the transaction coordinator confirmed that the producer's open transaction has added this partition
 * ({@link #startVerification}, {@link TxnVerifications}); a marker of the producer written while it asked withdraws
 * the producer's {@link VerificationGuard}, so a batch delayed past the end of its transaction cannot open a new one
 * that nobody would ever end.
 *
 * <p><b>Expiry.</b> A producer not seen for {@code producer.id.expiration.ms} (by this replica's clock: when it
 * appended, replicated or replayed the producer's last batch) is forgotten by {@link #removeExpired}, unless its
 * transaction is open; its next batch must start a new session at sequence 0.
 *
 * <p>Thread model: called by {@link PartitionLog} under its writer lock, or before the log is published.
 */
final class ProducerStateManager {

    private static final System.Logger LOG = System.getLogger(ProducerStateManager.class.getName());

    private final Path dir;
    private final Map<Long, ProducerStateEntry> producers = new HashMap<>();
    /** Open transactions: first offset → producer id. */
    private final TreeMap<Long, Long> ongoing = new TreeMap<>();
    /** Closed transactions whose marker may be above the high watermark: first offset → marker offset. */
    private final TreeMap<Long, Long> completing = new TreeMap<>();
    /** Aborted transactions by marker offset; read without the writer lock (see {@link #aborted}). */
    private final ConcurrentSkipListMap<Long, AbortedTxn> aborted = new ConcurrentSkipListMap<>();
    /** Producers whose next batch opens a transaction here and is being verified (leader only; not persisted). */
    private final Map<Long, VerificationGuard> verifying = new HashMap<>();
    private long mapEndOffset;

    private ProducerStateManager(Path dir) {
        this.dir = dir;
    }

    /**
     * The state of the log in {@code dir} whose segments hold the batches up to {@code logEndOffset}: the latest
     * usable snapshot at or below the log end, then the batches after it.
     */
    static ProducerStateManager load(Path dir, LogSegments segments, long logEndOffset, int maxBatchSize, long nowMs)
            throws IOException {
        ProducerStateManager state = new ProducerStateManager(dir);
        state.reload(segments, logEndOffset, maxBatchSize, nowMs);
        return state;
    }

    /** State as of the batches below this offset. */
    long mapEndOffset() {
        return mapEndOffset;
    }

    /** An independent copy of every producer's state, by producer id. */
    Map<Long, ProducerStateEntry> producers() {
        Map<Long, ProducerStateEntry> copy = new HashMap<>();
        producers.forEach((id, entry) -> copy.put(id, entry.copy()));
        return copy;
    }

    /** The last offset of each known producer's last batch: what the log cleaner must not remove. */
    Map<Long, Long> lastBatchOffsets() {
        Map<Long, Long> offsets = new HashMap<>();
        producers.forEach((id, entry) -> offsets.put(id, entry.lastOffset()));
        return offsets;
    }

    // ------------------------------------------------------------- leader check

    /**
     * The guard under which a leader verifies a transactional batch of {@code producerId} at {@code epoch} before
     * appending it, or null when the batch needs no verification: it goes on the producer's transaction open here at
     * that epoch, or it repeats one of the producer's last batches (answered with their offsets, whatever the
     * coordinator says). A producer already being verified keeps its guard.
     */
    VerificationGuard startVerification(long producerId, short epoch, int firstSeq, int lastSeq, long nowMs) {
        ProducerStateEntry entry = producers.get(producerId);
        if (entry != null && (entry.currentTxnFirstOffset() >= 0 && entry.producerEpoch() == epoch
                || entry.findDuplicate(epoch, firstSeq, lastSeq) != null)) {
            return null;
        }
        return verifying.computeIfAbsent(producerId, id -> new VerificationGuard(id, nowMs));
    }

    /**
     * Checks a leader append's batches against the state, changing nothing (Kafka's checks for a client append):
     * <ul>
     *   <li>a batch without producer id is not checked;</li>
     *   <li>an epoch older than the producer's is INVALID_PRODUCER_EPOCH;</li>
     *   <li>a batch equal (epoch, first and last sequence) to one of the producer's last five is a duplicate;</li>
     *   <li>an unknown producer must start at sequence 0 (else UNKNOWN_PRODUCER_ID), a newer epoch too (else
     *       OUT_OF_ORDER_SEQUENCE_NUMBER), and a batch in the same epoch must follow the last sequence by one
     *       (else OUT_OF_ORDER_SEQUENCE_NUMBER). Batches of one producer in one append chain.</li>
     *   <li>a transactional batch that would open a transaction here must have been verified with the transaction
     *       coordinator under the guard still kept for its producer ({@link TxnVerifications#require}), else
     *       INVALID_TXN_STATE or the coordinator's reason.</li>
     * </ul>
     *
     * @return the batches' original offsets if every batch is a duplicate, else empty (write them)
     * @throws io.sluice.protocol.SluiceException with the codes above; INVALID_RECORD for a batch with a producer id
     *                                            but no epoch or sequence, or an append mixing duplicates and new
     *                                            batches
     */
    Optional<Duplicate> checkLeaderAppend(List<RecordBatch> batches, TxnVerifications verified) {
        Map<Long, Pending> pending = null; // the common append has no producer id: allocate nothing for it
        BatchMetadata firstDuplicate = null;
        BatchMetadata lastDuplicate = null;
        int written = 0;
        for (RecordBatch batch : batches) {
            long producerId = batch.producerId();
            if (producerId == RecordBatch.NO_PRODUCER_ID || batch.isControlBatch()) {
                written++;
                continue;
            }
            short epoch = batch.producerEpoch();
            int firstSeq = batch.baseSequence();
            if (producerId < 0 || epoch < 0 || firstSeq < 0) {
                throw ErrorCode.INVALID_RECORD.exception("Record batch of producer " + producerId + " has epoch "
                        + epoch + " and base sequence " + firstSeq + "; an idempotent batch needs both");
            }
            int lastSeq = batch.lastSequence();
            ProducerStateEntry entry = producers.get(producerId);
            if (pending == null) {
                pending = new HashMap<>();
            }
            Pending current = pending.get(producerId);
            if (current == null && entry != null) {
                if (epoch < entry.producerEpoch()) {
                    throw ErrorCode.INVALID_PRODUCER_EPOCH.exception("Producer " + producerId + " wrote in epoch "
                            + epoch + ", but epoch " + entry.producerEpoch() + " has written here");
                }
                BatchMetadata duplicate = entry.findDuplicate(epoch, firstSeq, lastSeq);
                if (duplicate != null) {
                    firstDuplicate = firstDuplicate == null ? duplicate : firstDuplicate;
                    lastDuplicate = duplicate;
                    continue;
                }
                current = new Pending(entry.producerEpoch(), entry.lastSeq(), entry.currentTxnFirstOffset() >= 0);
            }
            checkSequence(producerId, current, epoch, firstSeq);
            boolean inTxn = current != null && current.inTxn() && epoch == current.epoch();
            if (!inTxn && batch.isTransactional()) {
                verified.require(producerId, epoch, verifying.get(producerId));
            }
            if (inTxn && !batch.isTransactional()) {
                throw ErrorCode.INVALID_TXN_STATE.exception("Producer " + producerId + " wrote a non-transactional"
                        + " batch while its transaction on this partition is open");
            }
            pending.put(producerId, new Pending(epoch, lastSeq, inTxn || batch.isTransactional()));
            written++;
        }
        if (firstDuplicate == null) {
            return Optional.empty();
        }
        if (written > 0) {
            throw ErrorCode.INVALID_RECORD.exception("The append mixes batches already written with new ones;"
                    + " send a batch that is retried alone");
        }
        return Optional.of(new Duplicate(firstDuplicate.firstOffset(), lastDuplicate.lastOffset(),
                lastDuplicate.timestamp()));
    }

    private static void checkSequence(long producerId, Pending current, short epoch, int firstSeq) {
        if (current == null) {
            if (firstSeq != 0) {
                throw ErrorCode.UNKNOWN_PRODUCER_ID.exception("Producer " + producerId + " is unknown here (or"
                        + " expired) and its batch starts at sequence " + firstSeq + ", not 0");
            }
        } else if (epoch < current.epoch()) {
            throw ErrorCode.INVALID_PRODUCER_EPOCH.exception("Producer " + producerId + " wrote in epoch " + epoch
                    + ", but epoch " + current.epoch() + " has written here");
        } else if (epoch > current.epoch()) {
            if (firstSeq != 0) {
                throw ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER.exception("Producer " + producerId + " starts epoch "
                        + epoch + " at sequence " + firstSeq + ", not 0");
            }
        } else if (!inSequence(current.lastSeq(), firstSeq)) {
            throw ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER.exception("Producer " + producerId + " in epoch " + epoch
                    + " sent sequence " + firstSeq + " after " + current.lastSeq());
        }
    }

    /** As Kafka: the next sequence is the last plus one, wrapping to 0 after Integer.MAX_VALUE. */
    static boolean inSequence(int lastSeq, int nextSeq) {
        return nextSeq == lastSeq + 1L || (nextSeq == 0 && lastSeq == Integer.MAX_VALUE);
    }

    /** A producer's epoch, last sequence and open transaction as the batches before this one in an append leave them. */
    private record Pending(short epoch, int lastSeq, boolean inTxn) {
    }

    /** The offsets a duplicate append was first written at, and the max timestamp it was written with. */
    record Duplicate(long firstOffset, long lastOffset, long timestamp) {
    }

    /**
     * Checks a marker the transaction coordinator asks the leader to write: a producer epoch older than the
     * producer's here is INVALID_PRODUCER_EPOCH, a coordinator epoch older than the one of its last marker here
     * TRANSACTION_COORDINATOR_FENCED (a deposed coordinator's late request). Changes nothing.
     */
    void checkMarker(long producerId, short producerEpoch, int coordinatorEpoch) {
        ProducerStateEntry entry = producers.get(producerId);
        if (entry == null) {
            return;
        }
        if (producerEpoch < entry.producerEpoch()) {
            throw ErrorCode.INVALID_PRODUCER_EPOCH.exception("Marker for producer " + producerId + " in epoch "
                    + producerEpoch + ", but epoch " + entry.producerEpoch() + " has written here");
        }
        if (coordinatorEpoch < entry.coordinatorEpoch()) {
            throw ErrorCode.TRANSACTION_COORDINATOR_FENCED.exception("Marker for producer " + producerId
                    + " from coordinator epoch " + coordinatorEpoch + ", but epoch " + entry.coordinatorEpoch()
                    + " has written here");
        }
    }

    // ------------------------------------------------------------------ update

    /** Records a written batch (offsets assigned): leader, follower and replay alike; no checks. */
    void update(RecordBatch batch, long seenMs) {
        if (batch.isControlBatch()) {
            updateMarker(batch, seenMs);
            return;
        }
        update(batch.producerId(), batch.producerEpoch(), batch.isTransactional(), batch.baseSequence(),
                batch.lastSequence(), batch.baseOffset(), batch.lastOffset(), batch.maxTimestamp(), seenMs);
    }

    /**
     * As {@link #update(RecordBatch, long)}, from a batch header read from a segment file (replay); a control batch
     * is read whole (one small record) to learn whether it commits or aborts.
     */
    void update(FileBatch batch, long seenMs) throws IOException {
        if (batch.isControlBatch()) {
            updateMarker(batch.load(), seenMs);
            return;
        }
        update(batch.producerId(), batch.producerEpoch(), batch.isTransactional(), batch.baseSequence(),
                batch.lastSequence(), batch.baseOffset(), batch.lastOffset(), batch.maxTimestamp(), seenMs);
    }

    private void update(long producerId, short epoch, boolean transactional, int firstSeq, int lastSeq,
                        long firstOffset, long lastOffset, long maxTimestamp, long seenMs) {
        if (producerId >= 0 && firstSeq >= 0) {
            ProducerStateEntry entry = producers.computeIfAbsent(producerId,
                    id -> new ProducerStateEntry(id, epoch, seenMs));
            entry.addBatch(epoch, new BatchMetadata(firstSeq, lastSeq, firstOffset, lastOffset, maxTimestamp), seenMs);
            if (transactional && entry.currentTxnFirstOffset() < 0) {
                entry.currentTxnFirstOffset(firstOffset);
                ongoing.put(firstOffset, producerId);
                verifying.remove(producerId);
            }
        }
        mapEndOffset = Math.max(mapEndOffset, lastOffset + 1);
    }

    /**
     * A marker closes its producer's open transaction here (a marker without one, as for a partition the
     * transaction wrote nothing to, only records the epochs). An abort is remembered for read_committed reads.
     */
    private void updateMarker(RecordBatch batch, long seenMs) {
        long producerId = batch.producerId();
        long offset = batch.baseOffset();
        mapEndOffset = Math.max(mapEndOffset, batch.lastOffset() + 1);
        if (producerId < 0 || batch.recordCount() == 0) {
            return; // a cleaned-out control batch keeps only its offsets
        }
        verifying.remove(producerId);
        EndTxnMarker marker = EndTxnMarker.of(batch);
        ProducerStateEntry entry = producers.computeIfAbsent(producerId,
                id -> new ProducerStateEntry(id, batch.producerEpoch(), seenMs));
        entry.markerWritten(batch.producerEpoch(), marker.coordinatorEpoch(), seenMs);
        long first = entry.currentTxnFirstOffset();
        if (first < 0) {
            return;
        }
        entry.currentTxnFirstOffset(-1);
        ongoing.remove(first);
        completing.put(first, offset);
        if (!marker.commit()) {
            long stable = ongoing.isEmpty() ? offset + 1 : Math.min(ongoing.firstKey(), offset + 1);
            aborted.put(offset, new AbortedTxn(producerId, first, offset, stable));
        }
    }

    // ------------------------------------------------------------ transactions

    /**
     * The transactions that hold the last stable offset back under {@code highWatermark}: those open, and those
     * whose marker is at or above it (the closed ones below it are forgotten here).
     */
    UnstableTxns unstable(long highWatermark) {
        completing.values().removeIf(marker -> marker < highWatermark);
        if (ongoing.isEmpty() && completing.isEmpty()) {
            return UnstableTxns.NONE;
        }
        TreeMap<Long, Long> spans = new TreeMap<>(completing);
        ongoing.keySet().forEach(first -> spans.put(first, Long.MAX_VALUE));
        List<UnstableTxns.Span> list = new ArrayList<>(spans.size());
        spans.forEach((first, marker) -> list.add(new UnstableTxns.Span(first, marker)));
        return new UnstableTxns(list);
    }

    /**
     * The aborted transactions still in the log, by marker offset. Safe to read without the writer lock: an entry
     * is added when its marker is written, and a reader bounded by a last stable offset it read before cannot be
     * misled by one added since (its marker lies at or above that bound, and so does its first offset, since the
     * transaction was open when the bound was read).
     */
    NavigableMap<Long, AbortedTxn> aborted() {
        return aborted;
    }

    /**
     * The aborted transactions a read of [{@code fetchOffset}, {@code upperBound}) must filter: those with a record
     * in the range (marker at or after the fetch offset, first offset below the bound), in marker order. Lock-free.
     */
    static List<AbortedTxn> abortedIn(NavigableMap<Long, AbortedTxn> aborted, long fetchOffset, long upperBound) {
        List<AbortedTxn> found = new ArrayList<>();
        for (AbortedTxn txn : aborted.tailMap(fetchOffset, true).values()) {
            if (txn.firstOffset() < upperBound) {
                found.add(txn);
            }
            if (txn.lastStableOffset() >= upperBound) {
                break;
            }
        }
        return found;
    }

    /** Forgets aborted transactions whose marker lies below {@code logStartOffset} (their records are gone). */
    void removeAbortedBelow(long logStartOffset) {
        aborted.headMap(logStartOffset).clear();
    }

    /** Records every batch of an append. */
    void update(List<RecordBatch> batches, long seenMs) {
        for (RecordBatch batch : batches) {
            update(batch, seenMs);
        }
    }

    /** The state now agrees with a log that ends at {@code offset} (a roll or restart with no batch between). */
    void updateMapEndOffset(long offset) {
        mapEndOffset = offset;
    }

    /**
     * Forgets producers whose last batch this replica saw {@code expirationMs} or more before {@code nowMs}.
     *
     * @return how many were forgotten
     */
    int removeExpired(long nowMs, long expirationMs) {
        int before = producers.size();
        producers.values().removeIf(entry -> entry.currentTxnFirstOffset() < 0
                && nowMs - entry.lastSeenMs() >= expirationMs);
        // A verification whose append never came (refused, or the request gave up) is forgotten as well.
        verifying.values().removeIf(guard -> nowMs - guard.createdMs() >= expirationMs);
        return before - producers.size();
    }

    // -------------------------------------------------- snapshots, truncation

    /** Writes {@code <mapEndOffset>.snapshot} (fsynced, atomic). */
    void takeSnapshot() throws IOException {
        new ProducerSnapshotFile(dir, mapEndOffset).write(producers.values(), aborted.values(), completing);
    }

    /**
     * Rebuilds the state for a log that now ends at {@code logEndOffset} (after a truncation, or on open): snapshots
     * above it are deleted, the latest one at or below it is loaded (a corrupt one is deleted and an older one tried),
     * and the batches from there to the log end are replayed.
     */
    void reload(LogSegments segments, long logEndOffset, int maxBatchSize, long nowMs) throws IOException {
        clearState();
        long from = segments.first().baseOffset();
        for (ProducerSnapshotFile snapshot : snapshots().reversed()) {
            if (snapshot.offset() > logEndOffset) {
                Files.deleteIfExists(snapshot.path());
                continue;
            }
            try {
                Optional<ProducerSnapshotFile.Content> read = snapshot.read();
                if (read.isPresent()) {
                    producers.putAll(read.get().producers());
                    producers.values().stream().filter(entry -> entry.currentTxnFirstOffset() >= 0)
                            .forEach(entry -> ongoing.put(entry.currentTxnFirstOffset(), entry.producerId()));
                    read.get().aborted().forEach(txn -> aborted.put(txn.lastOffset(), txn));
                    completing.putAll(read.get().completing());
                    from = snapshot.offset();
                    break;
                }
            } catch (CorruptCheckpointException e) {
                LOG.log(Level.WARNING, "{0}; deleting it and rebuilding producer state from the log", e.getMessage());
                Files.deleteIfExists(snapshot.path());
            }
        }
        mapEndOffset = from;
        replay(segments, from, logEndOffset, maxBatchSize, nowMs);
        mapEndOffset = logEndOffset;
    }

    private void clearState() {
        producers.clear();
        verifying.clear();
        ongoing.clear();
        completing.clear();
        aborted.clear();
    }

    /** Forgets everything and deletes every snapshot: the log restarts empty at {@code offset}. */
    void clear(long offset) throws IOException {
        clearState();
        for (ProducerSnapshotFile snapshot : snapshots()) {
            Files.deleteIfExists(snapshot.path());
        }
        mapEndOffset = offset;
    }

    /**
     * Deletes snapshots below {@code offset} (the first segment's base after retention), but never the latest one:
     * the state they describe is already in memory and in later snapshots.
     */
    void deleteSnapshotsBelow(long offset) throws IOException {
        List<ProducerSnapshotFile> all = snapshots();
        for (int i = 0; i < all.size() - 1; i++) {
            if (all.get(i).offset() < offset) {
                Files.deleteIfExists(all.get(i).path());
            }
        }
    }

    /** The snapshot files of this log, lowest offset first. */
    List<ProducerSnapshotFile> snapshots() throws IOException {
        List<ProducerSnapshotFile> result = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(LogFileUtils::isProducerSnapshotFile)
                    .mapToLong(f -> LogFileUtils.offsetFromFileName(f).getAsLong())
                    .sorted()
                    .forEach(offset -> result.add(new ProducerSnapshotFile(dir, offset)));
        }
        return result;
    }

    /** Applies the batches in [from, to) of {@code segments} to the state, reading them from the files. */
    private void replay(LogSegments segments, long from, long to, int maxBatchSize, long nowMs) throws IOException {
        List<LogSegment> all = segments.all();
        for (int i = 0; i < all.size(); i++) {
            LogSegment segment = all.get(i);
            long segmentEnd = i + 1 < all.size() ? all.get(i + 1).baseOffset() : Long.MAX_VALUE;
            if (segmentEnd <= from || segment.baseOffset() >= to) {
                continue;
            }
            FileBatchIterator batches = new FileBatchIterator(segment.channel(), 0, segment.size(), maxBatchSize);
            for (FileBatch header = batches.nextBatch(); header != null; header = batches.nextBatch()) {
                if (header.lastOffset() < from) {
                    continue;
                }
                if (header.baseOffset() >= to) {
                    return;
                }
                update(header, nowMs); // the header has all it needs: no record is read
            }
        }
    }
}

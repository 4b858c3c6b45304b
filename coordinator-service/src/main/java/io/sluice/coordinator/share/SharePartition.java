package io.sluice.coordinator.share;

import io.sluice.coordinator.share.AckResult.RecordResult;
import io.sluice.coordinator.share.Acknowledgement.ByAcquisitionId;
import io.sluice.coordinator.share.Acknowledgement.ByRange;
import io.sluice.internal.share.AcknowledgeType;
import io.sluice.internal.share.RecordState;
import io.sluice.internal.share.ShareError;
import io.sluice.protocol.ErrorCode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The state of one share-partition: one share group's progress through one topic-partition (KIP-932's queue
 * semantics). Many members take records from it; each record is locked for one member at a time, and is acknowledged
 * record by record.
 *
 * <p>Where the state lives: in the coordinator, persisted in Redis by the coordinator's fenced writes, like groups'
 * committed offsets and transactions — not next to the partition's leader as Kafka keeps it. So any gateway serves
 * any call (nothing about a consumer is in one gateway's memory), the state survives a coordinator failover (the
 * standby reads Redis when it takes the lease) and a partition-leader failover (the state is not on the leader). The
 * partition's log is read by the gateway as for any reader, and its offsets are passed in here ({@link LogSlice}).
 *
 * <p>The state, and its invariants after every call:
 * <pre>
 *   offsets:  ... done ... | start offset        in-flight window             | end offset   not read yet ...
 *                          | first non-terminal record ... records acquired   |
 * </pre>
 * <ul>
 *   <li>Every record below the start offset is ACKNOWLEDGED or ARCHIVED (or was never in the log: a gap).</li>
 *   <li>The window holds the records of {@code [start offset, end offset)} that the log has, each in a
 *       {@link RecordState}; its first record, if any, is at the start offset and is not terminal (the start offset
 *       moves past the leading run of ACKNOWLEDGED/ARCHIVED records and they leave the window). At most
 *       {@link ShareLimits#maxInFlightRecords()} records are in it.</li>
 *   <li>An ACQUIRED record has one holder, one acquisition id and a lock deadline; acquisition ids are unique within
 *       the share-partition (a counter, never reused, kept across resets).</li>
 *   <li>A record's delivery count (times acquired) never exceeds the delivery limit: a lock that ends, by release or
 *       expiry, at the limit archives the record.</li>
 *   <li>An ACKNOWLEDGED or ARCHIVED record is never acquired again.</li>
 * </ul>
 *
 * <p>Time is the caller's: every call that depends on it takes {@code nowMs}; nothing here reads a clock. A lock is
 * held while {@code nowMs < lockDeadlineMs}; at its deadline it is over, and {@link #expire} ends it.
 *
 * <p>Not thread-safe, and no Spring: the coordinator calls one share-partition from one command sequence at a time,
 * and stores its state ({@link SharePartitionJson}) after each call that changed it.
 */
final class SharePartition {

    private final ShareLimits limits;
    private final TreeMap<Long, InFlightRecord> window = new TreeMap<>();
    /** The offset of the record each current acquisition id (the latest of each record in the window) belongs to. */
    private final Map<Long, Long> offsetByAcquisitionId = new HashMap<>();
    /** The records archived since the last {@link #takeArchived}: not stored, the caller takes them after each call. */
    private final List<ArchivedRecord> archived = new ArrayList<>();
    private long startOffset;
    private long endOffset;
    private long nextAcquisitionId;

    private SharePartition(ShareLimits limits, long startOffset, long endOffset, long nextAcquisitionId) {
        this.limits = limits;
        this.startOffset = startOffset;
        this.endOffset = endOffset;
        this.nextAcquisitionId = nextAcquisitionId;
    }

    /** A new share-partition whose first record to deliver is at {@code startOffset} (resolved by the caller). */
    public static SharePartition startingAt(long startOffset, ShareLimits limits) {
        if (startOffset < 0) {
            throw ErrorCode.INVALID_OFFSET.exception("A share-partition cannot start at offset " + startOffset);
        }
        return new SharePartition(requireLimits(limits), startOffset, startOffset, 0);
    }

    /**
     * A share-partition as it was stored. Refused (IllegalArgumentException, naming the fault) unless the records
     * rise strictly within {@code [startOffset, endOffset)} with unique acquisition ids below
     * {@code nextAcquisitionId}; a leading run of terminal records (none in a stored state) is trimmed. A window
     * larger than the limits allow (they were lowered since) is kept: it only takes no new record until it drains.
     */
    static SharePartition restore(ShareLimits limits, long startOffset, long endOffset, long nextAcquisitionId,
                                  Collection<InFlightRecord> records) {
        if (startOffset < 0 || endOffset < startOffset || nextAcquisitionId < 0) {
            throw new IllegalArgumentException("start offset " + startOffset + ", end offset " + endOffset
                    + ", next acquisition id " + nextAcquisitionId + " are not a share-partition's");
        }
        SharePartition partition = new SharePartition(requireLimits(limits), startOffset, endOffset,
                nextAcquisitionId);
        long previous = startOffset - 1;
        for (InFlightRecord record : records) {
            if (record.offset() <= previous || record.offset() >= endOffset) {
                throw new IllegalArgumentException("record at offset " + record.offset() + " is out of order or"
                        + " outside the window [" + startOffset + ", " + endOffset + ")");
            }
            if (record.state() == null || record.memberId() == null || record.deliveryCount() < 1
                    || record.acquisitionId() < 0 || record.acquisitionId() >= nextAcquisitionId) {
                throw new IllegalArgumentException("record at offset " + record.offset() + " is incomplete: " + record);
            }
            if (partition.offsetByAcquisitionId.put(record.acquisitionId(), record.offset()) != null) {
                throw new IllegalArgumentException("acquisition id " + record.acquisitionId() + " is given twice");
            }
            partition.window.put(record.offset(), record);
            previous = record.offset();
        }
        partition.maybeAdvanceStartOffset();
        return partition;
    }

    private static ShareLimits requireLimits(ShareLimits limits) {
        if (limits == null) {
            throw new IllegalArgumentException("limits");
        }
        return limits;
    }

    public ShareLimits limits() {
        return limits;
    }

    /** Every record below it is acknowledged or archived (Kafka's share-partition start offset, SPSO). */
    public long startOffset() {
        return startOffset;
    }

    /** The next offset not yet read into the window: where the caller's next read of the log starts. */
    public long endOffset() {
        return endOffset;
    }

    /** The acquisition id the next acquired record gets. */
    public long nextAcquisitionId() {
        return nextAcquisitionId;
    }

    /** The records in flight, by offset. */
    public List<InFlightRecord> inFlightRecords() {
        return List.copyOf(window.values());
    }

    /** The record at {@code offset} if it is in the window, else null. */
    public InFlightRecord inFlightRecord(long offset) {
        return window.get(offset);
    }

    /** How many records are ACQUIRED. */
    public int acquiredCount() {
        return (int) window.values().stream().filter(r -> r.state() == RecordState.ACQUIRED).count();
    }

    /**
     * The records {@code memberId} holds at {@code nowMs}: ACQUIRED by it, their lock not past its deadline, by offset.
     * A read: a lock past its deadline is left for {@link #expire}.
     */
    public List<InFlightRecord> heldBy(String memberId, long nowMs) {
        requireMember(memberId);
        return window.values().stream()
                .filter(r -> memberId.equals(r.holder()) && nowMs < r.lockDeadlineMs())
                .toList();
    }

    /**
     * Locks up to {@code maxRecords} records for {@code memberId} until {@code nowMs} plus the lock duration: first
     * the AVAILABLE records of the window, lowest offset first, then new records from {@code log} at and above the end
     * offset, while the window has room. Gaps of the log are stepped over: when every record of the slice at or above
     * the end offset was taken, the end offset moves to the slice's end.
     *
     * <p>Locks past their deadline are not taken here: call {@link #expire} first. Refused (INVALID_REQUEST, nothing
     * changed) for a blank member, {@code maxRecords < 1}, or a slice that starts above the end offset (the records
     * between would never be delivered).
     *
     * @return the records acquired, by offset within each part (available records first); empty when none is
     *         available, the slice has no new record, or the window is full
     */
    public List<AcquiredRecord> acquire(String memberId, int maxRecords, LogSlice log, long nowMs) {
        requireMember(memberId);
        if (maxRecords < 1) {
            throw ErrorCode.INVALID_REQUEST.exception("max records must be at least 1, not " + maxRecords);
        }
        if (log == null || log.from() > endOffset) {
            throw ErrorCode.INVALID_REQUEST.exception("The log slice " + log + " must start at or below the end offset "
                    + endOffset + ": the offsets between would be skipped");
        }
        long deadline = nowMs + limits.lockDurationMs();
        List<AcquiredRecord> acquired = new ArrayList<>();
        for (InFlightRecord record : List.copyOf(window.values())) {
            if (acquired.size() == maxRecords) {
                break;
            }
            if (record.state() != RecordState.AVAILABLE) {
                continue;
            }
            if (record.deliveryCount() >= limits.deliveryLimit()) {
                // Only after the limit was lowered: the record has had its deliveries.
                window.put(record.offset(), archive(record.withState(RecordState.ARCHIVED),
                        DeadLetterCause.DELIVERY_COUNT_EXCEEDED));
                continue;
            }
            acquired.add(lock(record, memberId, deadline));
        }
        boolean readAll = true;
        for (int i = log.indexOf(endOffset); i < log.size(); i++) {
            if (acquired.size() == maxRecords || windowFull()) {
                readAll = false;
                break;
            }
            long offset = log.offset(i);
            acquired.add(lock(new InFlightRecord(offset, RecordState.AVAILABLE, 0, memberId, -1, deadline, false),
                    memberId, deadline));
            endOffset = offset + 1;
        }
        if (readAll) {
            endOffset = Math.max(endOffset, log.to());
        }
        maybeAdvanceStartOffset();
        return acquired;
    }

    private AcquiredRecord lock(InFlightRecord record, String memberId, long deadline) {
        long id = nextAcquisitionId++;
        offsetByAcquisitionId.remove(record.acquisitionId());
        InFlightRecord locked = record.acquired(memberId, id, deadline);
        window.put(locked.offset(), locked);
        offsetByAcquisitionId.put(id, locked.offset());
        return new AcquiredRecord(locked.offset(), id, locked.deliveryCount(), deadline);
    }

    /**
     * Applies {@code memberId}'s acknowledgements at {@code nowMs}, each item to the records it names. An item that
     * is malformed, names no current acquisition, or names a record another item names too is refused as a whole;
     * otherwise each record is checked on its own: it must be ACQUIRED by the member with its lock not past its
     * deadline. A refused item or record is left as it was. Afterwards the start offset moves past the records done.
     *
     * @return one result per item, in the order given
     */
    public List<AckResult> acknowledge(String memberId, List<Acknowledgement> acknowledgements, long nowMs) {
        requireMember(memberId);
        if (acknowledgements == null || acknowledgements.stream().anyMatch(Objects::isNull)) {
            throw ErrorCode.INVALID_REQUEST.exception("The acknowledgements must be a list without nulls");
        }
        int n = acknowledgements.size();
        ShareError[] errors = new ShareError[n];
        long[] first = new long[n];
        long[] last = new long[n];
        for (int i = 0; i < n; i++) {
            switch (acknowledgements.get(i).target()) {
                case ByAcquisitionId(long id) -> {
                    Long offset = offsetByAcquisitionId.get(id);
                    if (id < 0 || id >= nextAcquisitionId) {
                        errors[i] = ShareError.UNKNOWN_ACQUISITION_ID;
                    } else if (offset == null) {
                        errors[i] = ShareError.ACQUISITION_ENDED;
                    } else {
                        first[i] = offset;
                        last[i] = offset;
                    }
                }
                case ByRange(long from, long to) -> {
                    if (from < 0 || to < from) {
                        errors[i] = ShareError.INVALID_RANGE;
                    } else if (from < startOffset || to >= endOffset) {
                        errors[i] = ShareError.OUTSIDE_WINDOW;
                    } else {
                        first[i] = from;
                        last[i] = to;
                    }
                }
            }
        }
        markOverlaps(errors, first, last);
        List<AckResult> results = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Acknowledgement acknowledgement = acknowledgements.get(i);
            if (errors[i] != null) {
                results.add(AckResult.refused(acknowledgement, errors[i]));
                continue;
            }
            boolean byId = acknowledgement.target() instanceof ByAcquisitionId;
            List<RecordResult> records = new ArrayList<>();
            for (InFlightRecord record : List.copyOf(window.subMap(first[i], true, last[i], true).values())) {
                records.add(apply(record, memberId, acknowledgement.type(), byId, nowMs));
            }
            results.add(new AckResult(acknowledgement, null, records));
        }
        maybeAdvanceStartOffset();
        return results;
    }

    /** Refuses every item whose offsets meet another valid item's (both of them): a record is acknowledged once a call. */
    private static void markOverlaps(ShareError[] errors, long[] first, long[] last) {
        List<Integer> valid = new ArrayList<>();
        for (int i = 0; i < errors.length; i++) {
            if (errors[i] == null) {
                valid.add(i);
            }
        }
        valid.sort(Comparator.comparingLong(i -> first[i]));
        boolean[] overlapping = new boolean[errors.length];
        int reach = -1;
        for (int i : valid) {
            if (reach >= 0 && first[i] <= last[reach]) {
                overlapping[i] = true;
                overlapping[reach] = true;
            }
            if (reach < 0 || last[i] > last[reach]) {
                reach = i;
            }
        }
        for (int i = 0; i < errors.length; i++) {
            if (overlapping[i]) {
                errors[i] = ShareError.OVERLAPPING_ACKNOWLEDGEMENT;
            }
        }
    }

    private RecordResult apply(InFlightRecord record, String memberId, AcknowledgeType type, boolean byId,
                               long nowMs) {
        ShareError error = check(record, memberId, byId, nowMs);
        if (error != null) {
            return new RecordResult(record.offset(), error, record.state(), record.lockDeadlineMs());
        }
        InFlightRecord after = switch (type) {
            case ACCEPT -> record.withState(RecordState.ACKNOWLEDGED);
            case REJECT -> archive(record.withState(RecordState.ARCHIVED), DeadLetterCause.CLIENT_REJECT);
            case RELEASE -> archive(record.withState(lockEnd(record)), DeadLetterCause.DELIVERY_COUNT_EXCEEDED);
            case RENEW -> record.renewed(nowMs + limits.lockDurationMs());
        };
        window.put(after.offset(), after);
        return new RecordResult(after.offset(), null, after.state(), after.lockDeadlineMs());
    }

    private static ShareError check(InFlightRecord record, String memberId, boolean byId, long nowMs) {
        boolean mine = memberId.equals(record.memberId());
        if (record.state() == RecordState.ACQUIRED) {
            if (!mine) {
                return ShareError.NOT_HOLDER;
            }
            return nowMs >= record.lockDeadlineMs() ? ShareError.LOCK_EXPIRED : null;
        }
        if (mine && record.lockExpired()) {
            return ShareError.LOCK_EXPIRED;
        }
        return byId && !mine ? ShareError.NOT_HOLDER : ShareError.NOT_ACQUIRED;
    }

    /** Notes {@code record} among the records archived when it is ARCHIVED; returns it. */
    private InFlightRecord archive(InFlightRecord record, DeadLetterCause cause) {
        if (record.state() == RecordState.ARCHIVED) {
            archived.add(new ArchivedRecord(record.offset(), record.deliveryCount(), cause));
        }
        return record;
    }

    /**
     * The records archived since the last call, by the order they were archived in, and forgets them: the records a
     * rejection, or a lock ended at the delivery limit, gave up on (KIP-1191's dead-letter candidates). A reset
     * archives nothing: the records it skips were never given up on. Not part of the stored state.
     */
    public List<ArchivedRecord> takeArchived() {
        List<ArchivedRecord> taken = List.copyOf(archived);
        archived.clear();
        return taken;
    }

    /** Where a lock that ends without an acknowledgement leaves its record: delivered again, or given up on. */
    private RecordState lockEnd(InFlightRecord record) {
        return record.deliveryCount() >= limits.deliveryLimit() ? RecordState.ARCHIVED : RecordState.AVAILABLE;
    }

    /**
     * Ends every lock whose deadline is at or before {@code nowMs}: its record becomes AVAILABLE again, or ARCHIVED
     * when it has reached the delivery limit; then the start offset moves past the records done.
     *
     * @return the locks ended, by offset
     */
    public List<ExpiredLock> expire(long nowMs) {
        List<ExpiredLock> expired = new ArrayList<>();
        for (InFlightRecord record : List.copyOf(window.values())) {
            if (record.state() == RecordState.ACQUIRED && record.lockDeadlineMs() <= nowMs) {
                InFlightRecord after = archive(record.expired(lockEnd(record)),
                        DeadLetterCause.DELIVERY_COUNT_EXCEEDED);
                window.put(after.offset(), after);
                expired.add(new ExpiredLock(after.offset(), after.memberId(), after.acquisitionId(), after.state()));
            }
        }
        maybeAdvanceStartOffset();
        return expired;
    }

    /**
     * Ends every lock {@code memberId} holds, as a release would (the member left the group or expired): each record
     * becomes AVAILABLE again now, or ARCHIVED at the delivery limit; then the start offset moves past the records
     * done. The records keep the member as their last holder, so a late acknowledgement is told LOCK_EXPIRED.
     *
     * @return the locks ended, by offset
     */
    public List<ExpiredLock> releaseHeldBy(String memberId) {
        requireMember(memberId);
        List<ExpiredLock> released = new ArrayList<>();
        for (InFlightRecord record : List.copyOf(window.values())) {
            if (record.state() == RecordState.ACQUIRED && memberId.equals(record.memberId())) {
                InFlightRecord after = archive(record.expired(lockEnd(record)),
                        DeadLetterCause.DELIVERY_COUNT_EXCEEDED);
                window.put(after.offset(), after);
                released.add(new ExpiredLock(after.offset(), after.memberId(), after.acquisitionId(), after.state()));
            }
        }
        maybeAdvanceStartOffset();
        return released;
    }

    /**
     * Whether the window holds {@link ShareLimits#maxInFlightRecords()} records or more: no new record of the log is
     * acquired until an acknowledgement or an expired lock lets the start offset move.
     */
    public boolean windowFull() {
        return window.size() >= limits.maxInFlightRecords();
    }

    /** The earliest deadline among the locks held, or -1 when none is held: when {@link #expire} next has work. */
    public long nextLockDeadlineMs() {
        return window.values().stream().filter(r -> r.state() == RecordState.ACQUIRED)
                .mapToLong(InFlightRecord::lockDeadlineMs).min().orElse(-1);
    }

    /**
     * Moves the start offset to {@code position} in a log whose records are in {@code [logStartOffset, highWatermark)}
     * and forgets the window: the records from there are delivered afresh. Refused, nothing changed, while any record
     * is ACQUIRED (NON_EMPTY_GROUP: its holder still works on it; a lock past its deadline counts until
     * {@link #expire} ends it), and for an offset outside {@code [logStartOffset, highWatermark]} (INVALID_OFFSET).
     */
    public void reset(ResetPosition position, long logStartOffset, long highWatermark) {
        if (position == null || logStartOffset < 0 || highWatermark < logStartOffset) {
            throw ErrorCode.INVALID_REQUEST.exception("A reset needs a position and a log with 0 <= log start offset"
                    + " <= high watermark, not " + position + " in [" + logStartOffset + ", " + highWatermark + ")");
        }
        long offset = switch (position) {
            case ResetPosition.Earliest e -> logStartOffset;
            case ResetPosition.Latest l -> highWatermark;
            case ResetPosition.AtOffset(long at) -> at;
        };
        if (offset < logStartOffset || offset > highWatermark) {
            throw ErrorCode.INVALID_OFFSET.exception("Offset " + offset + " is outside the log [" + logStartOffset
                    + ", " + highWatermark + "]");
        }
        int acquired = acquiredCount();
        if (acquired > 0) {
            throw ErrorCode.NON_EMPTY_GROUP.exception(acquired + " records of the share-partition are acquired:"
                    + " its start offset can be reset only when none is");
        }
        window.clear();
        offsetByAcquisitionId.clear();
        startOffset = offset;
        endOffset = offset;
    }

    private void maybeAdvanceStartOffset() {
        while (!window.isEmpty() && window.firstEntry().getValue().state().terminal()) {
            InFlightRecord done = window.pollFirstEntry().getValue();
            offsetByAcquisitionId.remove(done.acquisitionId());
        }
        startOffset = window.isEmpty() ? endOffset : window.firstKey();
    }

    private static void requireMember(String memberId) {
        if (memberId == null || memberId.isBlank()) {
            throw ErrorCode.INVALID_REQUEST.exception("A share group member id must not be blank");
        }
    }

    @Override
    public String toString() {
        return "SharePartition[start " + startOffset + ", end " + endOffset + ", " + window.size() + " in flight, "
                + acquiredCount() + " acquired]";
    }
}

package io.sluice.partition.replica;

import io.sluice.internal.metadata.PartitionState;
import io.sluice.internal.partition.PartitionBatches;
import io.sluice.log.AppendResult;
import io.sluice.log.LeaderAppendOutcome;
import io.sluice.log.OffsetWaiters;
import io.sluice.log.PartitionLog;
import io.sluice.log.TxnVerifications;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.TopicPartition;
import io.sluice.protocol.config.SchemaValidation;
import io.sluice.protocol.record.EndTxnMarker;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Mono;

/**
 * One partition replica hosted on this node: its log, its role (leader or follower) at a leader epoch, and — while
 * leader — what it knows of its followers, from which it advances the high watermark and proposes ISR changes.
 *
 * <p>High watermark: the smallest log end offset over the maximal ISR (the ISR plus a pending addition: the leader's
 * own and each such follower's last validly reported one), never moving backwards. Followers outside it do not hold
 * it back; that is what the ISR is for.
 *
 * <p>ISR: a follower is added when one of its fetches — made by the process the metadata shows alive — reaches both
 * the high watermark and the first offset of this leader epoch (checked at the fetch, as Kafka does: from then on the
 * joining replica holds the high watermark back, so a follower can join while writes keep moving it); a follower that
 * has not been caught up for {@code lagTimeMax} is proposed for removal on the periodic round. Proposals go to the
 * coordinator (AlterPartition) with the leader and partition epochs; at most one is pending, and the partition adopts
 * the coordinator's answer. One whose outcome is unknown stays pending — its added replicas counting for the high
 * watermark — until it is answered or newer metadata settles it.
 *
 * <p>Thread-safety: role and ISR changes, follower updates and high-watermark computation synchronize on the
 * partition; the log has its own locking and its reads are lock-free. A high watermark moved under the partition's
 * lock wakes its waiters (acks=all answers, consumer long polls) only after the lock is released, so their callbacks
 * never run inside it.
 */
public final class Partition {

    private final TopicPartition topicPartition;
    private final PartitionLog log;
    private final int localNode;
    private volatile String topicId;
    private volatile PartitionState state;
    private volatile Role role;
    private volatile int minInsyncReplicas = 1;
    private volatile SchemaValidation schemaValidation = SchemaValidation.NONE;
    private final Map<Integer, FollowerState> followers = new HashMap<>();
    /**
     * The ISR change proposed to the coordinator and not settled yet (null when none is): in flight, unanswered
     * (to be sent again), or known to be decided in Redis but not yet seen in the metadata.
     */
    private PendingIsrChange pending;
    /** The log end when this replica took its current leadership: the first offset of its leader epoch. */
    private long leaderEpochStartOffset;
    /**
     * Answers of acks=all writes waiting for the high watermark, in the order they began waiting; failed at once, in
     * that order, if the ISR falls below the minimum.
     */
    private final ConcurrentSkipListMap<Long, CompletableFuture<Long>> commitWaiters = new ConcurrentSkipListMap<>();
    private final AtomicLong commitWaiterSequence = new AtomicLong();
    /** DeleteRecords answers waiting for the low watermark ({@link #lowWatermark}). */
    private final OffsetWaiters lowWatermarkWaiters = new OffsetWaiters(this::lowWatermark);

    Partition(TopicPartition topicPartition, String topicId, PartitionLog log, int localNode) {
        this.topicPartition = topicPartition;
        this.topicId = topicId;
        this.log = log;
        this.localNode = localNode;
    }

    public TopicPartition topicPartition() {
        return topicPartition;
    }

    public String topicId() {
        return topicId;
    }

    public PartitionLog log() {
        return log;
    }

    Role role() {
        return role;
    }

    public PartitionState state() {
        return state;
    }

    public int leaderEpoch() {
        PartitionState s = state;
        return s == null ? -1 : s.leaderEpoch();
    }

    public boolean isLeader() {
        return role == Role.LEADER;
    }

    /**
     * Takes a new {@code min.insync.replicas} and recomputes the high watermark at once: lowered, it may let writes
     * the ISR already holds become readable, which no follower fetch would otherwise recompute (see
     * {@link #recordFollowerFetch}); raised above the ISR's size, it answers the acks=all writes still waiting.
     */
    void minInsyncReplicas(int value) {
        synchronized (this) {
            if (value == minInsyncReplicas) {
                return;
            }
            minInsyncReplicas = value;
            advanceHighWatermark();
        }
        log.wakeHighWatermarkWaiters();
    }

    public int minInsyncReplicas() {
        return minInsyncReplicas;
    }

    /** What the topic's records must carry, by its schema validation configs. */
    public SchemaValidation schemaValidation() {
        return schemaValidation;
    }

    void schemaValidation(SchemaValidation rules) {
        this.schemaValidation = rules;
    }

    /**
     * Takes leadership at the state's leader epoch; followers start unknown but with a full lag allowance. A state of
     * the same leadership at an older partition epoch (an older metadata view than the ISR change this leader already
     * adopted) changes nothing: the ISR in it is no longer the one in Redis.
     */
    void becomeLeader(PartitionState newState, long now) {
        becomeLeaderLocked(newState, now);
        log.wakeHighWatermarkWaiters();
    }

    private synchronized void becomeLeaderLocked(PartitionState newState, long now) {
        boolean newLeadership = role != Role.LEADER || state == null || state.leaderEpoch() != newState.leaderEpoch();
        if (!newLeadership && newState.partitionEpoch() < state.partitionEpoch()) {
            return;
        }
        state = newState;
        role = Role.LEADER;
        if (newLeadership) {
            followers.clear();
            pending = null;
            leaderEpochStartOffset = log.logEndOffset();
            log.assignEpochStartOffset(newState.leaderEpoch());
        }
        for (int replica : newState.replicas()) {
            if (replica != localNode) {
                followers.putIfAbsent(replica, FollowerState.unknown(now));
            }
        }
        followers.keySet().retainAll(newState.replicas());
        settlePendingBy(newState);
        advanceHighWatermark();
    }

    /**
     * Follows the state's leader. Every acks=all write still waiting here is answered NOT_LEADER_AFTER_APPEND at once
     * (Kafka completes its delayed produces on a leader change too): this replica truncates to the new leader, so its
     * high watermark passing a write's offset would come only once the new leader has committed as much again, and
     * the writers waiting for these answers send nothing there meanwhile. Waiting left every write in flight at a
     * healed split unanswered until its timeout (issue 47, docs/reliability.md).
     */
    void becomeFollower(PartitionState newState) {
        synchronized (this) {
            state = newState;
            role = Role.FOLLOWER;
            followers.clear();
            pending = null;
        }
        failCommitWaitersOnLeadershipLoss();
    }

    private void failCommitWaitersOnLeadershipLoss() {
        if (commitWaiters.isEmpty()) {
            return;
        }
        String reason = "Node " + localNode + " stopped leading " + topicPartition
                + " before the write was committed; it may have been lost";
        for (CompletableFuture<Long> waiter : List.copyOf(commitWaiters.values())) {
            waiter.completeExceptionally(ErrorCode.NOT_LEADER_AFTER_APPEND.exception(reason));
        }
    }

    /** Metadata changed something other than leadership (ISR, epochs): adopt it if it is not older than ours. */
    void updateState(PartitionState newState) {
        updateStateLocked(newState);
        log.wakeHighWatermarkWaiters();
        lowWatermarkWaiters.wake(); // a follower that left the ISR no longer holds the low watermark back
    }

    private synchronized void updateStateLocked(PartitionState newState) {
        if (state == null || newState.partitionEpoch() >= state.partitionEpoch()) {
            state = newState;
            settlePendingBy(newState);
            advanceHighWatermark();
        }
    }

    /** A state newer than the one a pending ISR change was computed from says how it ended: it is settled. */
    private void settlePendingBy(PartitionState newState) {
        if (pending != null && newState.partitionEpoch() > pending.basePartitionEpoch()) {
            pending = null;
        }
    }

    /**
     * Checks that this replica leads at {@code requestedEpoch} ({@link PartitionBatches#ANY_EPOCH} skips the epoch
     * check); throws the error a router should act on otherwise.
     */
    public void ensureLeader(int requestedEpoch) {
        PartitionState s = state;
        if (role != Role.LEADER || s == null) {
            throw ErrorCode.NOT_LEADER.exception("Node " + localNode + " does not lead " + topicPartition
                    + (s != null && s.hasLeader() ? "; node " + s.leader() + " does" : ""));
        }
        if (requestedEpoch != PartitionBatches.ANY_EPOCH && requestedEpoch < s.leaderEpoch()) {
            throw ErrorCode.FENCED_LEADER_EPOCH.exception("Leader epoch " + requestedEpoch + " for " + topicPartition
                    + " is stale; the current one is " + s.leaderEpoch());
        }
        if (requestedEpoch > s.leaderEpoch()) {
            throw ErrorCode.UNKNOWN_LEADER_EPOCH.exception("Leader epoch " + requestedEpoch + " for " + topicPartition
                    + " is newer than this node's " + s.leaderEpoch() + "; it has not seen that metadata yet");
        }
    }

    /** NOT_ENOUGH_REPLICAS unless the ISR is at least min.insync.replicas (checked before an acks=all write). */
    public void ensureEnoughInsyncReplicas() {
        int isr = state.isr().size();
        if (isr < minInsyncReplicas) {
            throw ErrorCode.NOT_ENOUGH_REPLICAS.exception("The ISR of " + topicPartition + " has " + isr
                    + " replicas; min.insync.replicas is " + minInsyncReplicas);
        }
    }

    /**
     * Appends a produce request's batches as leader at {@code requestedEpoch}, after checking leadership (and, for
     * acks=all, the ISR size) under the partition's lock, so that no leadership change slips between the check and
     * the write; then moves the high watermark (immediately, when the leader is alone in the ISR).
     *
     * @return the append and the leader epoch it was written in (for {@link #awaitCommitted})
     */
    public LeaderAppend appendAsLeader(ByteBuffer batches, int requestedEpoch, boolean requireMinInsync) {
        LeaderAppends appends = appendAsLeader(List.of(batches), requestedEpoch, requireMinInsync);
        return new LeaderAppend(appends.outcomes().getFirst().orThrow(), appends.leaderEpoch());
    }

    /**
     * Appends the entries of a produce request for this partition as leader at {@code requestedEpoch}, in order and
     * each with its own outcome ({@link PartitionLog#appendAsLeader(List, int)}), after the same checks as
     * {@link #appendAsLeader(ByteBuffer, int, boolean)}; the high watermark moves and its waiters wake once, after the
     * last entry.
     *
     * @return each entry's outcome and the leader epoch they were written in (for {@link #awaitCommitted})
     * @throws SluiceException NOT_LEADER, a fenced or unknown epoch, NOT_ENOUGH_REPLICAS: nothing was written
     */
    public LeaderAppends appendAsLeader(List<ByteBuffer> entries, int requestedEpoch, boolean requireMinInsync) {
        return appendAsLeader(entries, requestedEpoch, requireMinInsync, TxnVerifications.NONE);
    }

    /**
     * As {@link #appendAsLeader(List, int, boolean)}, with the transaction coordinator's answers for the entries'
     * {@link PartitionLog#transactionStarts} ({@link PartitionLog#appendAsLeader(List, int, TxnVerifications)}).
     */
    public LeaderAppends appendAsLeader(List<ByteBuffer> entries, int requestedEpoch, boolean requireMinInsync,
                                        TxnVerifications verified) {
        LeaderAppends appends;
        synchronized (this) {
            ensureLeader(requestedEpoch);
            if (requireMinInsync) {
                ensureEnoughInsyncReplicas();
            }
            int epoch = state.leaderEpoch();
            appends = new LeaderAppends(log.appendAsLeader(entries, epoch, verified), epoch);
            advanceHighWatermark();
        }
        log.wakeHighWatermarkWaiters();
        return appends;
    }

    /**
     * Writes a transaction marker as leader at {@code requestedEpoch} ({@link PartitionLog#appendMarker}), after the
     * checks of an acks=all append (leadership and epoch, the ISR at least min.insync.replicas) under the partition's
     * lock; then moves the high watermark, as {@link #appendAsLeader(List, int, boolean)} does. A marker is always
     * written for acks=all: the transaction coordinator may complete the transaction only once every marker is
     * committed.
     *
     * @return the marker's append and the leader epoch it was written in (for {@link #awaitCommitted})
     * @throws SluiceException NOT_LEADER, a fenced or unknown epoch, NOT_ENOUGH_REPLICAS, or the log's refusal
     *                         (INVALID_PRODUCER_EPOCH, TRANSACTION_COORDINATOR_FENCED, STORAGE_ERROR): nothing was
     *                         written
     */
    public LeaderAppend appendMarker(long producerId, short producerEpoch, EndTxnMarker marker, int requestedEpoch) {
        LeaderAppend append;
        synchronized (this) {
            ensureLeader(requestedEpoch);
            ensureEnoughInsyncReplicas();
            int epoch = state.leaderEpoch();
            append = new LeaderAppend(log.appendMarker(producerId, producerEpoch, marker, epoch), epoch);
            advanceHighWatermark();
        }
        log.wakeHighWatermarkWaiters();
        return append;
    }

    /** Batches appended as leader, and the leader epoch they were written in. */
    public record LeaderAppend(AppendResult result, int leaderEpoch) {
    }

    /** Entries appended as leader, each written or refused, and the leader epoch they were written in. */
    public record LeaderAppends(List<LeaderAppendOutcome> outcomes, int leaderEpoch) {
    }

    /**
     * Completes once the high watermark reaches {@code offset}, for records this replica appended as leader in
     * {@code leaderEpoch}; fails with NOT_LEADER_AFTER_APPEND if by then it no longer leads in that epoch (not
     * NOT_LEADER, which tells a router that nothing was written and the write may go to the new leader: this one
     * may survive there, and sending it again could write it twice). A replica that lost
     * leadership truncates to the new leader's log and refills the same offsets from it, so its high watermark
     * passing {@code offset} would then say nothing about the records it appended. While it still leads in the same
     * epoch it has truncated nothing, and only its own ISR bookkeeping moves the high watermark, so the records are
     * committed. Fails with NOT_ENOUGH_REPLICAS_AFTER_APPEND as soon as the ISR shrinks below min.insync.replicas
     * before the records are committed: the high watermark then stands still, and the records are on fewer copies
     * than the write asked for.
     */
    public CompletableFuture<Long> awaitCommitted(long offset, int leaderEpoch) {
        CompletableFuture<Long> reached = log.awaitHighWatermark(offset);
        CompletableFuture<Long> committed = reached.thenApply(highWatermark -> {
            PartitionState s = state;
            if (role != Role.LEADER || s == null || s.leaderEpoch() != leaderEpoch) {
                throw ErrorCode.NOT_LEADER_AFTER_APPEND.exception("Node " + localNode + " stopped leading " + topicPartition
                        + " in epoch " + leaderEpoch + " before the write at offset " + (offset - 1)
                        + " was committed; it may have been lost");
            }
            if (s.isr().size() < minInsyncReplicas) {
                throw ErrorCode.NOT_ENOUGH_REPLICAS_AFTER_APPEND.exception("The write at offset " + (offset - 1)
                        + " to " + topicPartition + " is committed with an ISR of " + s.isr().size()
                        + " replicas; min.insync.replicas is " + minInsyncReplicas);
            }
            return highWatermark;
        });
        CompletableFuture<Long> answer = new CompletableFuture<>();
        committed.whenComplete((highWatermark, error) -> {
            if (error != null) {
                answer.completeExceptionally(error instanceof CompletionException
                        && error.getCause() != null ? error.getCause() : error);
            } else {
                answer.complete(highWatermark);
            }
        });
        long waiter = commitWaiterSequence.incrementAndGet();
        commitWaiters.put(waiter, answer);
        // Cancelling the answer (the request timed out) must also drop the log's waiter under it.
        answer.whenComplete((highWatermark, error) -> {
            commitWaiters.remove(waiter);
            reached.cancel(false);
        });
        synchronized (this) {
            if (role == Role.LEADER && state != null && state.isr().size() < minInsyncReplicas) {
                failCommitWaitersBelowMinIsr();
            }
        }
        return answer;
    }

    /**
     * {@link #awaitCommitted}, given up after {@code timeout} (timed on Reactor's clock) with REQUEST_TIMED_OUT: the
     * write may or may not be committed. The wait of an acks=all produce and of a transaction marker. Cancelling the
     * Mono drops the wait.
     */
    public Mono<Long> committed(long offset, int leaderEpoch, Duration timeout) {
        return Mono.fromFuture(() -> awaitCommitted(offset, leaderEpoch))
                .timeout(timeout, Mono.error(() -> ErrorCode.REQUEST_TIMED_OUT.exception("The in-sync replicas of "
                        + topicPartition + " did not confirm within " + timeout.toMillis() + " ms; the write at offset "
                        + (offset - 1) + " may or may not be committed")));
    }

    /**
     * A follower's process {@code incarnation} fetched from {@code fetchOffset} (its log end) in {@code fetchEpoch}:
     * remember it, add it to the ISR if this fetch qualifies it ({@link #maybeExpandIsr}), and move the high watermark
     * — but only for a fetch this leadership can vouch for, as Kafka validates a fetch before it updates follower
     * state. A fetch made in another leader epoch (delayed from before a leader change, or from a follower that has not
     * seen this one) or from beyond this log's end says nothing about what the follower holds of this log, and must
     * not move the high watermark.
     */
    void recordFollowerFetch(int follower, String incarnation, long fetchOffset, long logStartOffset, int fetchEpoch,
            long now, LiveReplicas live) {
        synchronized (this) {
            FollowerState previous = followers.get(follower);
            if (previous == null || role != Role.LEADER || state == null || fetchEpoch != state.leaderEpoch()
                    || fetchOffset > log.logEndOffset()) {
                return;
            }
            followers.put(follower, previous.afterFetch(fetchOffset, logStartOffset, log.logEndOffset(), now));
            boolean expanded = maybeExpandIsr(follower, incarnation, fetchOffset, live);
            if (!expanded && fetchOffset == previous.logEndOffset()) {
                // What this follower holds did not change, so neither did any input of the high watermark: the
                // leader's own appends and ISR changes recompute it themselves. Most partitions of a round are so.
                if (logStartOffset != previous.logStartOffset()) {
                    lowWatermarkWaiters.wake();
                }
                return;
            }
            advanceHighWatermark();
        }
        log.wakeHighWatermarkWaiters();
        lowWatermarkWaiters.wake();
    }

    /**
     * The low watermark (Kafka's, KIP-107): the smallest log start offset over this replica and, while it leads, the
     * followers in the ISR, as their fetches last reported them; -1 while one of them has not fetched in this
     * leadership. DeleteRecords is answered when it reaches the requested offset.
     */
    public synchronized long lowWatermark() {
        long low = log.logStartOffset();
        if (role == Role.LEADER && state != null) {
            for (int replica : state.isr()) {
                FollowerState follower = followers.get(replica);
                if (replica != localNode) {
                    low = Math.min(low, follower == null ? FollowerState.UNKNOWN : follower.logStartOffset());
                }
            }
        }
        return low;
    }

    /**
     * Completes once the {@link #lowWatermark} is at least {@code offset}; the caller bounds the wait. Woken by
     * follower fetches that report a new log start and by ISR changes.
     */
    public CompletableFuture<Long> awaitLowWatermark(long offset) {
        return lowWatermarkWaiters.await(offset);
    }

    /**
     * Adds {@code follower} to a pending ISR change, to be sent on the next round, when no change is pending and this
     * fetch shows it holding the high watermark and this leader epoch's first offset, from the process the metadata
     * shows alive. Checked here, at the fetch, and not on the round: under a steady stream of writes to a leader alone
     * in the ISR the high watermark moves with every write, so a log end compared with it later would rarely reach it.
     * The pending change makes the follower part of the maximal ISR at once, so the high watermark waits for it from
     * this fetch on. The round checks the follower's liveness again before it sends the change ({@link #proposedIsr}).
     * At or past this leader epoch's start, because below it the follower may still hold another leader's records at
     * offsets this leader has since written, which it truncates only after it asked. Alive under the fetching
     * incarnation (KIP-903), because a node restarted since a fetch may hold less than that fetch said. Called with the
     * lock held.
     *
     * @return whether a change is now pending
     */
    private boolean maybeExpandIsr(int follower, String incarnation, long fetchOffset, LiveReplicas live) {
        if (pending != null || state.isr().contains(follower) || fetchOffset < log.highWatermark()
                || fetchOffset < leaderEpochStartOffset || !live.isAlive(follower, incarnation)) {
            return false;
        }
        List<Integer> expanded = new ArrayList<>();
        for (int replica : state.replicas()) {
            if (replica == follower || state.isr().contains(replica)) {
                expanded.add(replica);
            }
        }
        pending = PendingIsrChange.joining(List.copyOf(expanded), state.partitionEpoch(), follower, incarnation);
        return true;
    }

    /** Recomputes the high watermark (see {@link #advanceHighWatermark}) and wakes the waiters it satisfies. */
    public void maybeIncrementHighWatermark() {
        synchronized (this) {
            advanceHighWatermark();
        }
        log.wakeHighWatermarkWaiters();
    }

    /**
     * Recomputes the high watermark from the log ends of the maximal ISR — the ISR plus the replicas a pending
     * expansion adds (Kafka's rule): once the coordinator accepts the expansion the joining replica counts for
     * acks=all, so the high watermark must not already have passed what it holds. Wakes no one: the public entry
     * points wake the waiters after releasing the partition's lock, so that the answers completing them (and all
     * chained to those) never run inside it. Called with the lock held.
     */
    private void advanceHighWatermark() {
        if (role != Role.LEADER || state == null) {
            return;
        }
        if (state.isr().size() < minInsyncReplicas) {
            // Nothing becomes readable from fewer copies than min.insync.replicas (Kafka's KIP-966 rule): an acks=1
            // write, or one answered NOT_ENOUGH_REPLICAS_AFTER_APPEND, stays above the high watermark until enough
            // replicas hold it. Writes waiting for acks=all are told so at once (failCommitWaitersBelowMinIsr).
            failCommitWaitersBelowMinIsr();
            return;
        }
        // Without a pending change (nearly always) the ISR itself, not a copy: this runs on every follower fetch.
        Collection<Integer> maximalIsr = state.isr();
        if (pending != null) {
            Set<Integer> union = new LinkedHashSet<>(state.isr());
            union.addAll(pending.isr());
            maximalIsr = union;
        }
        long candidate = log.logEndOffset();
        for (int replica : maximalIsr) {
            if (replica == localNode) {
                continue;
            }
            FollowerState follower = followers.get(replica);
            long end = follower == null ? FollowerState.UNKNOWN : follower.logEndOffset();
            if (end == FollowerState.UNKNOWN) {
                return;
            }
            candidate = Math.min(candidate, end);
        }
        log.advanceHighWatermark(candidate);
    }

    /**
     * The ISR is below min.insync.replicas, so the high watermark stands still: every acks=all write still waiting is
     * answered NOT_ENOUGH_REPLICAS_AFTER_APPEND now (it is in the log, on fewer copies than asked; a retry may
     * duplicate it), rather than timing out with an unknown outcome.
     */
    private void failCommitWaitersBelowMinIsr() {
        if (commitWaiters.isEmpty()) {
            return;
        }
        String reason = "The ISR of " + topicPartition + " fell to " + state.isr().size()
                + " replicas before the write was committed; min.insync.replicas is " + minInsyncReplicas;
        for (CompletableFuture<Long> waiter : List.copyOf(commitWaiters.values())) {
            waiter.completeExceptionally(ErrorCode.NOT_ENOUGH_REPLICAS_AFTER_APPEND.exception(reason));
        }
    }

    /**
     * The ISR change this leader would send to the coordinator now, if any: an expansion a fetch qualified, unless
     * the joining follower's process is no longer the one the metadata shows alive (it restarted since: the change is
     * dropped, never having been sent, and the follower stops holding the high watermark); an unanswered change
     * again, unchanged (the coordinator accepts a repeat of a change it already made); otherwise, when no change is
     * pending, the ISR without the followers that have not been caught up for longer than {@code lagTimeMaxMs} — if
     * that differs from the current ISR.
     */
    IsrProposal proposedIsr(long now, long lagTimeMaxMs, LiveReplicas live) {
        IsrProposal proposal;
        boolean dropped;
        synchronized (this) {
            dropped = dropUnsentExpansionOfAReplacedProcess(live);
            proposal = proposedIsrLocked(now, lagTimeMaxMs);
        }
        if (dropped) {
            log.wakeHighWatermarkWaiters();
        }
        return proposal;
    }

    private boolean dropUnsentExpansionOfAReplacedProcess(LiveReplicas live) {
        if (pending == null || pending.phase() != PendingIsrChange.Phase.UNSENT
                || live.isAlive(pending.joiner(), pending.joinerIncarnation())) {
            return false;
        }
        pending = null;
        advanceHighWatermark();
        return true;
    }

    private IsrProposal proposedIsrLocked(long now, long lagTimeMaxMs) {
        if (role != Role.LEADER || state == null) {
            return null;
        }
        if (pending != null) {
            PendingIsrChange.Phase phase = pending.phase();
            if (phase != PendingIsrChange.Phase.UNSENT && phase != PendingIsrChange.Phase.UNANSWERED) {
                return null;
            }
            pending = pending.in(PendingIsrChange.Phase.IN_FLIGHT);
            return pending.proposal(state.leaderEpoch());
        }
        List<Integer> proposed = new ArrayList<>();
        StringJoiner outOfSync = new StringJoiner("; ");
        for (int replica : state.isr()) {
            FollowerState follower = followers.get(replica);
            if (replica == localNode
                    || follower != null && now - follower.lastCaughtUpTimeMs() <= lagTimeMaxMs) {
                proposed.add(replica);
            } else {
                outOfSync.add(follower == null ? "node " + replica + " unknown to this leadership"
                        : "node " + replica + " at log end " + follower.logEndOffset() + ", caught up "
                        + (now - follower.lastCaughtUpTimeMs()) + " ms ago, last fetch "
                        + (now - follower.lastFetchTimeMs()) + " ms ago");
            }
        }
        if (proposed.equals(state.isr())) {
            return null;
        }
        pending = PendingIsrChange.shrinking(List.copyOf(proposed), state.partitionEpoch());
        return pending.proposal(state.leaderEpoch()).because("log end " + log.logEndOffset() + ", high watermark "
                + log.highWatermark() + "; out of sync: " + outOfSync);
    }

    /** The coordinator accepted the ISR change: adopt its answer if this leadership is still the one it is for. */
    void isrChangeCompleted(PartitionState accepted) {
        isrChangeCompletedLocked(accepted);
        log.wakeHighWatermarkWaiters();
    }

    private synchronized void isrChangeCompletedLocked(PartitionState accepted) {
        pending = null;
        if (state != null && accepted.leaderEpoch() == state.leaderEpoch()
                && accepted.partitionEpoch() > state.partitionEpoch()) {
            state = accepted;
            advanceHighWatermark();
        }
    }

    /**
     * The ISR change did not come back accepted. Unless the coordinator refused it outright ({@code refusal} is a
     * validation error, INELIGIBLE_REPLICA among them: nothing was written, and the change is dropped), Redis may
     * hold it — a timed-out call, or one retried on another coordinator that then found the partition epoch moved on.
     * Until a newer partition epoch arrives in the metadata the replicas it adds keep counting in the maximal ISR, so
     * the high watermark never passes what a replica the coordinator may already list in the ISR holds. A call that
     * got no decision is sent again; one answered with a newer state elsewhere (stale partition or leader epoch,
     * another leader) waits for that state to arrive.
     */
    void isrChangeFailed(ErrorCode refusal) {
        isrChangeFailedLocked(refusal);
        log.wakeHighWatermarkWaiters();
    }

    private synchronized void isrChangeFailedLocked(ErrorCode refusal) {
        if (pending == null || pending.phase() == PendingIsrChange.Phase.UNSENT) {
            return;
        }
        if (refusal == ErrorCode.INVALID_REQUEST || refusal == ErrorCode.INELIGIBLE_REPLICA
                || refusal == ErrorCode.UNKNOWN_TOPIC || refusal == ErrorCode.UNKNOWN_PARTITION) {
            pending = null;
        } else if (refusal == ErrorCode.STALE_PARTITION_EPOCH || refusal == ErrorCode.FENCED_LEADER_EPOCH
                || refusal == ErrorCode.UNKNOWN_LEADER_EPOCH || refusal == ErrorCode.NOT_LEADER) {
            pending = pending.in(PendingIsrChange.Phase.AWAITING_METADATA);
        } else {
            pending = pending.in(PendingIsrChange.Phase.UNANSWERED);
        }
        advanceHighWatermark();
    }

    /** Whether the cluster metadata shows a node alive, served by the process of the given incarnation. */
    @FunctionalInterface
    interface LiveReplicas {
        boolean isAlive(int nodeId, String incarnation);
    }

    /**
     * An ISR change to send to the coordinator: the ISR, the leader and partition epochs it was computed at, and for
     * a replica it adds, the incarnation of the process whose fetch qualified it. A shrink computed now also says
     * what the leader knew of the followers it drops ({@code outOfSync}, for the log; null otherwise).
     */
    record IsrProposal(List<Integer> isr, int leaderEpoch, int partitionEpoch,
                       Map<Integer, String> joinerIncarnations, String outOfSync) {

        IsrProposal because(String why) {
            return new IsrProposal(isr, leaderEpoch, partitionEpoch, joinerIncarnations, why);
        }
    }

    /**
     * An ISR change not settled yet, the partition epoch it was computed from, and where it stands; for an expansion,
     * the joining replica and the process whose fetch qualified it.
     */
    private record PendingIsrChange(List<Integer> isr, int basePartitionEpoch, Phase phase, int joiner,
                                    String joinerIncarnation) {

        /** Not sent yet; sent and awaited; to be sent again; known decided, awaiting the metadata that says how. */
        enum Phase { UNSENT, IN_FLIGHT, UNANSWERED, AWAITING_METADATA }

        static PendingIsrChange joining(List<Integer> isr, int basePartitionEpoch, int joiner, String incarnation) {
            return new PendingIsrChange(isr, basePartitionEpoch, Phase.UNSENT, joiner, incarnation);
        }

        static PendingIsrChange shrinking(List<Integer> isr, int basePartitionEpoch) {
            return new PendingIsrChange(isr, basePartitionEpoch, Phase.IN_FLIGHT, -1, null);
        }

        PendingIsrChange in(Phase next) {
            return new PendingIsrChange(isr, basePartitionEpoch, next, joiner, joinerIncarnation);
        }

        IsrProposal proposal(int leaderEpoch) {
            return new IsrProposal(isr, leaderEpoch, basePartitionEpoch,
                    joinerIncarnation == null ? Map.of() : Map.of(joiner, joinerIncarnation), null);
        }
    }

    /** Log end minus each follower's reported log end: the replication lag per follower, in records. */
    public synchronized Map<Integer, Long> followerLag() {
        Map<Integer, Long> lag = new HashMap<>();
        long end = log.logEndOffset();
        followers.forEach((replica, follower) -> lag.put(replica, lag(end, follower)));
        return lag;
    }

    /** The replication lag of {@code replica} in records; null when it does not follow this leader. */
    public synchronized Long followerLag(int replica) {
        FollowerState follower = followers.get(replica);
        return follower == null ? null : lag(log.logEndOffset(), follower);
    }

    /** The log end {@code replica} reported in its last fetch; empty when it does not follow this leader or has not. */
    public synchronized OptionalLong followerLogEnd(int replica) {
        FollowerState follower = followers.get(replica);
        return follower == null || follower.logEndOffset() == FollowerState.UNKNOWN ? OptionalLong.empty()
                : OptionalLong.of(follower.logEndOffset());
    }

    private static long lag(long end, FollowerState follower) {
        return follower.logEndOffset() == FollowerState.UNKNOWN ? end : end - follower.logEndOffset();
    }

    /**
     * Appends batches fetched from the leader if this replica still follows at {@code fetchEpoch}: a fetch issued
     * before a leadership change must not write into the new leader's log. Returns false when dropped.
     */
    public synchronized boolean appendAsFollower(ByteBuffer records, int fetchEpoch) {
        if (!followsAt(fetchEpoch)) {
            return false;
        }
        log.appendAsFollower(records);
        return true;
    }

    /** Truncates to {@code offset} if this replica still follows at {@code fetchEpoch}. */
    public synchronized boolean truncateAsFollower(long offset, int fetchEpoch) {
        if (!followsAt(fetchEpoch)) {
            return false;
        }
        log.truncateTo(offset);
        return true;
    }

    /** Drops the whole log and restarts it at {@code offset} (the leader's log start moved past ours). */
    public synchronized boolean restartAsFollowerAt(long offset, int fetchEpoch) {
        if (!followsAt(fetchEpoch)) {
            return false;
        }
        log.truncateFullyAndStartAt(offset);
        return true;
    }

    /**
     * A follower's high watermark: the leader's, but never past what this replica has. Unchanged, as it is in every
     * fetch round for each partition without new records, it takes neither the log's writer lock nor wakes anyone.
     */
    public synchronized void updateFollowerHighWatermark(long leaderHighWatermark, int fetchEpoch) {
        if (followsAt(fetchEpoch)) {
            long target = Math.min(leaderHighWatermark, log.logEndOffset());
            if (target != log.highWatermark()) {
                log.updateHighWatermark(target);
            }
        }
    }

    /**
     * A follower's log start: the leader's (records deleted there by DeleteRecords or retention are deleted here too),
     * but never past this replica's high watermark ({@link PartitionLog#maybeIncrementLogStartOffset}).
     */
    public synchronized void updateFollowerLogStartOffset(long leaderLogStartOffset, int fetchEpoch) {
        if (followsAt(fetchEpoch)) {
            log.maybeIncrementLogStartOffset(leaderLogStartOffset);
        }
    }

    private boolean followsAt(int epoch) {
        return role == Role.FOLLOWER && state != null && state.leaderEpoch() == epoch;
    }
}

package io.sluice.partition.replication;

import io.sluice.internal.metadata.NodeInfo;
import io.sluice.internal.partition.FetchResponseCodec.FetchedPartition;
import io.sluice.internal.replication.EpochEndOffsetsRequest;
import io.sluice.internal.replication.EpochEndOffsetsResponse;
import io.sluice.internal.replication.ReplicaFetchRequest;
import io.sluice.internal.replication.ReplicationApi;
import io.sluice.log.EpochEndOffset;
import io.sluice.log.PartitionLog;
import io.sluice.log.UnexpectedAppendOffsetException;
import io.sluice.partition.PartitionProperties;
import io.sluice.partition.replica.Partition;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import io.sluice.protocol.TopicPartition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.util.retry.Retry;

/**
 * Pulls every partition this node follows from one leader node in one long-poll
 * fetch session: each request carries all those partitions, each from the follower's log end with its high watermark,
 * and the answer carries only those with news.
 *
 * <p>A partition newly followed first truncates (KIP-101/279): it asks the leader where its own latest epoch ended
 * in the leader's log and cuts its log there (or where that epoch ends locally, if earlier), never merely to its high
 * watermark; when the leader answers with an epoch this log lacks, it cuts back further and asks again, until the two
 * agree on an epoch. A partition the leader refuses backs off on its own for {@link #PARTITION_BACKOFF}; the rest of
 * the session goes on. Then fetched batches are appended as they come, and the follower's high watermark follows the
 * leader's, bounded by its own log end.
 *
 * <p>All writes go through {@link Partition}, which drops them if the partition stopped following at the epoch the
 * fetch was made in, so a late response never writes into a log that has since become a leader.
 *
 * <p>The session is a reactive loop: calls go out through the {@link ReplicationApi} client without holding a
 * thread, and every answer is handled on the log scheduler (truncations and appends are file I/O, never run on an
 * event loop). One round at a time, so a partition's fetches stay in order.
 */
final class ReplicaFetcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReplicaFetcher.class);
    /**
     * How long a partition the leader refused (NOT_LEADER, a fenced epoch, no epoch answer) sits out of the session:
     * new metadata will move it, and the other partitions keep being fetched meanwhile (Kafka's
     * {@code replica.fetch.backoff.ms}).
     */
    static final Duration PARTITION_BACKOFF = Duration.ofSeconds(1);
    /** The longest a round sleeps when every partition is backing off (new partitions wake it earlier). */
    private static final Duration IDLE_WAIT = Duration.ofMillis(200);

    private final NodeInfo leader;
    private final int localNode;
    private final String incarnation;
    private final ReplicationApi replication;
    private final Scheduler logScheduler;
    private final PartitionProperties properties;
    private final Map<TopicPartition, FetchState> partitions = new ConcurrentHashMap<>();
    private final Sinks.Many<Boolean> wakeups = Sinks.many().multicast().directBestEffort();
    private volatile Disposable session;
    private final IntConsumer leaderUnreachable;
    private final FetchTiming timing;
    /** Rounds fetched: where the next starts in the list of partitions ready to fetch (one round at a time). */
    private int rounds;

    ReplicaFetcher(NodeInfo leader, int localNode, String incarnation, ReplicationApi replication,
                   Scheduler logScheduler, PartitionProperties properties, IntConsumer leaderUnreachable) {
        this(leader, localNode, incarnation, replication, logScheduler, properties, leaderUnreachable,
                FetchTiming.SYSTEM);
    }

    ReplicaFetcher(NodeInfo leader, int localNode, String incarnation, ReplicationApi replication,
                   Scheduler logScheduler, PartitionProperties properties, IntConsumer leaderUnreachable,
                   FetchTiming timing) {
        this.leaderUnreachable = leaderUnreachable;
        this.timing = timing;
        this.leader = leader;
        this.localNode = localNode;
        this.incarnation = incarnation;
        this.replication = replication;
        this.logScheduler = logScheduler;
        this.properties = properties;
    }

    String leaderUrl() {
        return leader.url();
    }

    void add(Partition partition) {
        partitions.put(partition.topicPartition(), FetchState.starting(partition));
        wakeups.tryEmitNext(Boolean.TRUE);
    }

    void remove(TopicPartition tp) {
        partitions.remove(tp);
    }

    void start() {
        session = Mono.defer(this::round)
                // A signal per round that went through: the back-off counts failures in a row, and only a value
                // resets that count. Rounds alone signal nothing, so each failure in the fetcher's life would add to
                // it, and after five any failure would stop fetching from this leader for a whole second.
                .thenReturn(Boolean.TRUE)
                .repeat()
                .doOnError(this::reportIfUnreachable)
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(50)).maxBackoff(Duration.ofSeconds(1))
                        .jitter(timing.retryJitter())
                        .transientErrors(true)
                        .doBeforeRetry(signal -> LOG.debug("Fetch from node {} failed: {}", leader.id(),
                                signal.failure().toString())))
                .subscribe();
    }

    /**
     * One round: wait while there is nothing to follow (or everything backs off), truncate what just started
     * following, then one fetch of the rest.
     */
    private Mono<Void> round() {
        long now = timing.nanoTime().getAsLong();
        if (partitions.values().stream().noneMatch(state -> state.readyAt(now))) {
            return wakeups.asFlux().next().timeout(IDLE_WAIT, Mono.just(Boolean.FALSE)).then();
        }
        return truncatePending().then(Mono.defer(this::fetchOnce));
    }

    /** Not sent: nothing listens at the leader's address any more, its circuit is open, or the network is down. */
    private void reportIfUnreachable(Throwable e) {
        if (e instanceof SluiceException se && se.errorCode() == ErrorCode.LEADER_NOT_AVAILABLE) {
            leaderUnreachable.accept(leader.id());
        }
    }

    /**
     * KIP-279 truncation for partitions that just started following this leader (or must ask again). When the leader
     * cannot be asked, the asked partitions back off and the round goes on to fetch the others (Kafka's fetcher
     * delays only the partitions whose epoch request failed): partitions this node already follows from a leader
     * must not stop replicating because others just moved to it.
     */
    private Mono<Void> truncatePending() {
        long now = timing.nanoTime().getAsLong();
        List<FetchState> pending = partitions.values().stream()
                .filter(s -> !s.truncated() && s.readyAt(now))
                .toList();
        if (pending.isEmpty()) {
            return Mono.empty();
        }
        List<EpochEndOffsetsRequest.Partition> asks = new ArrayList<>();
        List<FetchState> asked = new ArrayList<>();
        for (FetchState state : pending) {
            OptionalInt latest = state.askEpoch() >= 0 ? OptionalInt.of(state.askEpoch())
                    : state.partition().log().latestEpoch();
            if (latest.isEmpty()) {
                markTruncated(state); // nothing written under any epoch: nothing to cut
                continue;
            }
            TopicPartition tp = state.partition().topicPartition();
            asks.add(new EpochEndOffsetsRequest.Partition(tp.topic(), tp.partition(), state.fetchEpoch(), latest.getAsInt()));
            asked.add(state);
        }
        if (asks.isEmpty()) {
            return Mono.empty();
        }
        return replication.epochEndOffsets(leader, new EpochEndOffsetsRequest(localNode, asks))
                .publishOn(logScheduler)
                .doOnNext(response -> truncate(asked, response))
                .then()
                .onErrorResume(e -> {
                    LOG.debug("Could not ask node {} where epochs end for {} partitions: {}", leader.id(),
                            asked.size(), e.toString());
                    reportIfUnreachable(e);
                    asked.forEach(this::backOff);
                    return Mono.empty();
                });
    }

    /**
     * Cuts each asked partition's log where the leader's answer says it diverges. The leader answers with the largest
     * epoch it has at or below ours and where that epoch ends in its log. If this log has that epoch too, the logs
     * agree up to the smaller of the two ends and truncation is complete. If not, this log's records between its own
     * largest epoch below the answer and the answer's end may still differ from the leader's: it cuts back to where
     * that epoch ends here and asks again with it, round after round, until both name the same epoch (KIP-279).
     * Each such round removes at least this log's latest epoch, so the rounds end.
     */
    private void truncate(List<FetchState> asked, EpochEndOffsetsResponse response) {
        for (int i = 0; i < asked.size(); i++) {
            FetchState state = asked.get(i);
            EpochEndOffsetsResponse.Partition answer = response.partitions().get(i);
            if (answer.errorCode() != null) {
                LOG.debug("Leader {} could not say where epochs end for {}: {}", leader.id(),
                        state.partition().topicPartition(), answer.errorCode());
                backOff(state);
                continue;
            }
            PartitionLog log = state.partition().log();
            long target;
            boolean agreed;
            if (answer.leaderEpoch() == EpochEndOffset.UNDEFINED_EPOCH) {
                // The leader knows no epoch at or below ours: keep only what was committed.
                target = log.highWatermark();
                agreed = true;
            } else {
                EpochEndOffset local = log.endOffsetForEpoch(answer.leaderEpoch());
                agreed = local.leaderEpoch() == answer.leaderEpoch();
                long localEnd = local.isDefined() ? local.endOffset() : log.logEndOffset();
                target = Math.min(answer.endOffset(), localEnd);
            }
            target = Math.min(target, log.logEndOffset());
            if (target < log.logEndOffset()) {
                LOG.info("Truncating {} from {} to {} to match leader {} (epoch {}{})",
                        state.partition().topicPartition(), log.logEndOffset(), target, leader.id(),
                        answer.leaderEpoch(), agreed ? "" : ", which this log lacks: asking again");
            }
            if (state.partition().truncateAsFollower(target, state.fetchEpoch())) {
                if (agreed) {
                    markTruncated(state);
                } else {
                    // Ask next about the largest epoch this log has below the answer (even one with no records left).
                    int next = log.endOffsetForEpoch(answer.leaderEpoch()).leaderEpoch();
                    partitions.replace(state.partition().topicPartition(), state,
                            new FetchState(state.partition(), state.fetchEpoch(), false, 0, next));
                }
            }
        }
    }

    /**
     * One fetch of every partition ready to fetch. Each round starts one partition further on than the last: a leader
     * fills its answer in request order up to its byte budget, so no partition waits behind the same busy ones round
     * after round.
     */
    private Mono<Void> fetchOnce() {
        List<ReplicaFetchRequest.Partition> asks = new ArrayList<>();
        List<FetchState> asked = new ArrayList<>();
        long now = timing.nanoTime().getAsLong();
        List<FetchState> ready = partitions.values().stream()
                .filter(state -> state.truncated() && state.readyAt(now))
                .toList();
        int first = ready.isEmpty() ? 0 : Math.floorMod(rounds++, ready.size());
        for (int i = 0; i < ready.size(); i++) {
            FetchState state = ready.get((first + i) % ready.size());
            TopicPartition tp = state.partition().topicPartition();
            PartitionLog log = state.partition().log();
            asks.add(new ReplicaFetchRequest.Partition(tp.topic(), tp.partition(), log.logEndOffset(),
                    state.fetchEpoch(), log.highWatermark(), log.logStartOffset()));
            asked.add(state);
        }
        if (asks.isEmpty()) {
            return Mono.delay(Duration.ofMillis(50)).then();
        }
        long maxWait = properties.replication().fetchMaxWait().toMillis();
        ReplicaFetchRequest request = new ReplicaFetchRequest(localNode, incarnation, maxWait,
                (int) Math.min(Integer.MAX_VALUE, properties.replication().fetchMaxBytes().toBytes()), asks);
        return replication.replicaFetch(leader, request)
                .publishOn(logScheduler)
                .doOnNext(sections -> handleAll(asked, sections))
                .then();
    }

    /**
     * Applies the leader's sections, which come in request order but only for the partitions with news (records, an
     * error, a new high watermark); the partitions left out stay as they are.
     */
    private void handleAll(List<FetchState> asked, List<FetchedPartition> sections) {
        int next = 0;
        for (FetchedPartition section : sections) {
            while (next < asked.size() && !asked.get(next).partition().topicPartition().equals(section.partition())) {
                next++;
            }
            if (next == asked.size()) {
                LOG.warn("Leader {} answered for {}, which this fetch did not ask for in that order; ignoring the rest",
                        leader.id(), section.partition());
                return;
            }
            handle(asked.get(next++), section);
        }
    }

    /** Applies one partition's section. A partition the leader refused backs off alone. */
    private void handle(FetchState state, FetchedPartition section) {
        Partition partition = state.partition();
        if (partitions.get(partition.topicPartition()) != state) {
            return; // removed or re-added while the fetch was out
        }
        if (section.error() == ErrorCode.OFFSET_OUT_OF_RANGE) {
            PartitionLog log = partition.log();
            if (log.logEndOffset() < section.logStartOffset()) {
                LOG.info("{} is behind the leader's log start {}: starting over there", partition.topicPartition(),
                        section.logStartOffset());
                partition.restartAsFollowerAt(section.logStartOffset(), state.fetchEpoch());
            } else {
                partitions.replace(partition.topicPartition(), state, FetchState.starting(state));
            }
            return;
        }
        if (section.error() != null) {
            // NOT_LEADER, FENCED/UNKNOWN_LEADER_EPOCH: new metadata will move this partition.
            LOG.debug("Leader {} refused {}: {}", leader.id(), partition.topicPartition(), section.error());
            backOff(state);
            return;
        }
        try {
            if (section.records().hasRemaining()) {
                partition.appendAsFollower(section.records(), state.fetchEpoch());
            }
            partition.updateFollowerHighWatermark(section.highWatermark(), state.fetchEpoch());
            partition.updateFollowerLogStartOffset(section.logStartOffset(), state.fetchEpoch());
        } catch (UnexpectedAppendOffsetException e) {
            LOG.warn("{}: {}; truncating again", partition.topicPartition(), e.getMessage());
            partitions.replace(partition.topicPartition(), state, FetchState.starting(state));
        } catch (SluiceException e) {
            LOG.warn("Could not append to {} as follower: {}", partition.topicPartition(), e.getMessage());
            backOff(state);
        }
    }

    private void markTruncated(FetchState state) {
        partitions.replace(state.partition().topicPartition(), state,
                new FetchState(state.partition(), state.fetchEpoch(), true, 0, -1));
    }

    private void backOff(FetchState state) {
        partitions.replace(state.partition().topicPartition(), state, new FetchState(state.partition(),
                state.fetchEpoch(), state.truncated(), timing.nanoTime().getAsLong() + PARTITION_BACKOFF.toNanos(), state.askEpoch()));
    }

    @Override
    public void close() {
        Disposable running = session;
        if (running != null) {
            running.dispose();
        }
    }

    /**
     * A followed partition, the leader epoch its fetches are made in, whether it has truncated yet, until when
     * (System.nanoTime; 0 for not) it backs off after an error, and the epoch to ask the leader about next (-1: the
     * log's latest).
     */
    private record FetchState(Partition partition, int fetchEpoch, boolean truncated, long backoffUntilNanos,
                              int askEpoch) {

        static FetchState starting(Partition partition) {
            return new FetchState(partition, partition.leaderEpoch(), false, 0, -1);
        }

        static FetchState starting(FetchState previous) {
            return new FetchState(previous.partition(), previous.fetchEpoch(), false, 0, -1);
        }

        boolean readyAt(long nanos) {
            return backoffUntilNanos == 0 || nanos - backoffUntilNanos >= 0;
        }
    }
}

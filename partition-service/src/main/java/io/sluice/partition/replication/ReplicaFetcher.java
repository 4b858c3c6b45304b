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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.util.retry.Retry;

/**
 * Pulls every partition this node follows from one leader node in one long-poll
 * fetch session: each request carries all those partitions, each from the follower's log end.
 *
 * <p>A partition newly followed first truncates (KIP-101/279): it asks the leader where its own latest epoch ended
 * in the leader's log and cuts its log there (or where that epoch ends locally, if earlier), never merely to its high
 * watermark. Then fetched batches are appended as they come, and the follower's high watermark follows the
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
    /** After a partition error (NOT_LEADER, a fenced epoch): new metadata will move it; avoid a hot loop meanwhile. */
    private static final Duration ERROR_PAUSE = Duration.ofMillis(100);

    private final NodeInfo leader;
    private final int localNode;
    private final ReplicationApi replication;
    private final Scheduler logScheduler;
    private final PartitionProperties properties;
    private final Map<TopicPartition, FetchState> partitions = new ConcurrentHashMap<>();
    private final Sinks.Many<Boolean> wakeups = Sinks.many().multicast().directBestEffort();
    private volatile Disposable session;

    ReplicaFetcher(NodeInfo leader, int localNode, ReplicationApi replication, Scheduler logScheduler,
                   PartitionProperties properties) {
        this.leader = leader;
        this.localNode = localNode;
        this.replication = replication;
        this.logScheduler = logScheduler;
        this.properties = properties;
    }

    String leaderUrl() {
        return leader.url();
    }

    void add(Partition partition) {
        partitions.put(partition.topicPartition(), new FetchState(partition, partition.leaderEpoch(), false));
        wakeups.tryEmitNext(Boolean.TRUE);
    }

    void remove(TopicPartition tp) {
        partitions.remove(tp);
    }

    void start() {
        session = Mono.defer(this::round)
                .repeat()
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(50)).maxBackoff(Duration.ofSeconds(1))
                        .transientErrors(true)
                        .doBeforeRetry(signal -> LOG.debug("Fetch from node {} failed: {}", leader.id(),
                                signal.failure().toString())))
                .subscribe();
    }

    /** One round: wait while there is nothing to follow, truncate what just started following, then one fetch. */
    private Mono<Void> round() {
        if (partitions.isEmpty()) {
            return wakeups.asFlux().next().timeout(Duration.ofMillis(200), Mono.just(Boolean.FALSE)).then();
        }
        return truncatePending().then(Mono.defer(this::fetchOnce));
    }

    /** KIP-279 truncation for partitions that just started following this leader. */
    private Mono<Void> truncatePending() {
        List<FetchState> pending = partitions.values().stream().filter(s -> !s.truncated()).toList();
        if (pending.isEmpty()) {
            return Mono.empty();
        }
        List<EpochEndOffsetsRequest.Partition> asks = new ArrayList<>();
        List<FetchState> asked = new ArrayList<>();
        for (FetchState state : pending) {
            OptionalInt latest = state.partition().log().latestEpoch();
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
                .then();
    }

    private void truncate(List<FetchState> asked, EpochEndOffsetsResponse response) {
        for (int i = 0; i < asked.size(); i++) {
            FetchState state = asked.get(i);
            EpochEndOffsetsResponse.Partition answer = response.partitions().get(i);
            if (answer.errorCode() != null) {
                LOG.debug("Leader {} could not say where epochs end for {}: {}", leader.id(),
                        state.partition().topicPartition(), answer.errorCode());
                continue;
            }
            PartitionLog log = state.partition().log();
            long target;
            if (answer.leaderEpoch() == EpochEndOffset.UNDEFINED_EPOCH) {
                // The leader knows no epoch at or below ours: keep only what was committed.
                target = log.highWatermark();
            } else {
                long localEnd = answer.leaderEpoch() == log.latestEpoch().orElse(-1)
                        ? log.logEndOffset() : log.endOffsetForEpoch(answer.leaderEpoch()).endOffset();
                target = Math.min(answer.endOffset(), localEnd < 0 ? log.logEndOffset() : localEnd);
            }
            if (target < log.logEndOffset()) {
                LOG.info("Truncating {} from {} to {} to match leader {} (epoch {})", state.partition().topicPartition(),
                        log.logEndOffset(), target, leader.id(), answer.leaderEpoch());
            }
            if (state.partition().truncateAsFollower(Math.min(target, log.logEndOffset()), state.fetchEpoch())) {
                markTruncated(state);
            }
        }
    }

    private Mono<Void> fetchOnce() {
        List<ReplicaFetchRequest.Partition> asks = new ArrayList<>();
        List<FetchState> asked = new ArrayList<>();
        for (FetchState state : partitions.values()) {
            if (state.truncated()) {
                TopicPartition tp = state.partition().topicPartition();
                asks.add(new ReplicaFetchRequest.Partition(tp.topic(), tp.partition(),
                        state.partition().log().logEndOffset(), state.fetchEpoch()));
                asked.add(state);
            }
        }
        if (asks.isEmpty()) {
            return Mono.delay(Duration.ofMillis(50)).then();
        }
        long maxWait = properties.replication().fetchMaxWait().toMillis();
        ReplicaFetchRequest request = new ReplicaFetchRequest(localNode, maxWait,
                (int) Math.min(Integer.MAX_VALUE, properties.replication().fetchMaxBytes().toBytes()), asks);
        return replication.replicaFetch(leader, request)
                .publishOn(logScheduler)
                .flatMap(sections -> {
                    boolean refused = false;
                    for (int i = 0; i < sections.size(); i++) {
                        refused |= handle(asked.get(i), sections.get(i));
                    }
                    return refused ? Mono.delay(ERROR_PAUSE).then() : Mono.<Void>empty();
                });
    }

    /** Applies one partition's section; true when the leader refused the partition (the round then pauses). */
    private boolean handle(FetchState state, FetchedPartition section) {
        Partition partition = state.partition();
        if (partitions.get(partition.topicPartition()) != state) {
            return false; // removed or re-added while the fetch was out
        }
        if (section.error() == ErrorCode.OFFSET_OUT_OF_RANGE) {
            PartitionLog log = partition.log();
            if (log.logEndOffset() < section.logStartOffset()) {
                LOG.info("{} is behind the leader's log start {}: starting over there", partition.topicPartition(),
                        section.logStartOffset());
                partition.restartAsFollowerAt(section.logStartOffset(), state.fetchEpoch());
            } else {
                partitions.replace(partition.topicPartition(), state, new FetchState(partition, state.fetchEpoch(), false));
            }
            return false;
        }
        if (section.error() != null) {
            // NOT_LEADER, FENCED/UNKNOWN_LEADER_EPOCH: new metadata will move this partition.
            LOG.debug("Leader {} refused {}: {}", leader.id(), partition.topicPartition(), section.error());
            return true;
        }
        try {
            if (section.records().hasRemaining()) {
                partition.appendAsFollower(section.records(), state.fetchEpoch());
            }
            partition.updateFollowerHighWatermark(section.highWatermark(), state.fetchEpoch());
        } catch (UnexpectedAppendOffsetException e) {
            LOG.warn("{}: {}; truncating again", partition.topicPartition(), e.getMessage());
            partitions.replace(partition.topicPartition(), state, new FetchState(partition, state.fetchEpoch(), false));
        } catch (SluiceException e) {
            LOG.warn("Could not append to {} as follower: {}", partition.topicPartition(), e.getMessage());
        }
        return false;
    }

    private void markTruncated(FetchState state) {
        partitions.replace(state.partition().topicPartition(), state,
                new FetchState(state.partition(), state.fetchEpoch(), true));
    }

    @Override
    public void close() {
        Disposable running = session;
        if (running != null) {
            running.dispose();
        }
    }

    /** A followed partition, the leader epoch its fetches are made in, and whether it has truncated yet. */
    private record FetchState(Partition partition, int fetchEpoch, boolean truncated) {
    }
}

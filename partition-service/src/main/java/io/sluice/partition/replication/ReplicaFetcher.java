package io.sluice.partition.replication;

import io.sluice.log.EpochEndOffset;
import io.sluice.log.PartitionLog;
import io.sluice.log.UnexpectedAppendOffsetException;
import io.sluice.metadata.NodeInfo;
import io.sluice.metadata.Problem;
import io.sluice.metadata.SluiceJson;
import io.sluice.partition.PartitionProperties;
import io.sluice.partition.replica.Partition;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import io.sluice.protocol.TopicPartition;
import io.sluice.protocol.wire.FetchResponseCodec;
import io.sluice.protocol.wire.FetchResponseCodec.FetchedPartition;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Pulls every partition this node follows from one leader node, on a virtual thread of its own, in one long-poll
 * fetch session: each request carries all those partitions, each from the follower's log end.
 *
 * <p>A partition newly followed first truncates (KIP-101/279): it asks the leader where its own latest epoch ended
 * in the leader's log and cuts its log there (or where that epoch ends locally, if earlier), never merely to its high
 * watermark. Then fetched batches are appended as they come, and the follower's high watermark follows the
 * leader's, bounded by its own log end.
 *
 * <p>All writes go through {@link Partition}, which drops them if the partition stopped following at the epoch the
 * fetch was made in, so a late response never writes into a log that has since become a leader.
 */
final class ReplicaFetcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReplicaFetcher.class);

    private final NodeInfo leader;
    private final int localNode;
    private final HttpClient http;
    private final PartitionProperties properties;
    private final JsonMapper json = SluiceJson.mapper();
    private final Map<TopicPartition, FetchState> partitions = new ConcurrentHashMap<>();
    private final Object wakeup = new Object();
    private volatile boolean running;
    private Thread thread;

    ReplicaFetcher(NodeInfo leader, int localNode, HttpClient http, PartitionProperties properties) {
        this.leader = leader;
        this.localNode = localNode;
        this.http = http;
        this.properties = properties;
    }

    String leaderUrl() {
        return leader.url();
    }

    void add(Partition partition) {
        partitions.put(partition.topicPartition(), new FetchState(partition, partition.leaderEpoch(), false));
        synchronized (wakeup) {
            wakeup.notifyAll();
        }
    }

    void remove(TopicPartition tp) {
        partitions.remove(tp);
    }

    void start() {
        running = true;
        thread = Thread.ofVirtual().name("replica-fetcher-" + leader.id()).start(this::run);
    }

    private void run() {
        long backoffMs = 50;
        while (running) {
            try {
                if (partitions.isEmpty()) {
                    synchronized (wakeup) {
                        wakeup.wait(200);
                    }
                    continue;
                }
                truncatePending();
                fetchOnce();
                backoffMs = 50;
            } catch (InterruptedException e) {
                return;
            } catch (IOException | RuntimeException e) {
                if (!running) {
                    return;
                }
                LOG.debug("Fetch from node {} failed: {}", leader.id(), e.toString());
                sleep(backoffMs);
                backoffMs = Math.min(backoffMs * 2, 1000);
            }
        }
    }

    /** KIP-279 truncation for partitions that just started following this leader. */
    private void truncatePending() throws IOException, InterruptedException {
        List<FetchState> pending = partitions.values().stream().filter(s -> !s.truncated()).toList();
        if (pending.isEmpty()) {
            return;
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
            return;
        }
        EpochEndOffsetsResponse response = json.readValue(post("/internal/epoch-end-offsets", "application/json",
                json.writeValueAsBytes(new EpochEndOffsetsRequest(localNode, asks)), Duration.ofSeconds(10)),
                EpochEndOffsetsResponse.class);
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

    private void fetchOnce() throws IOException, InterruptedException {
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
            sleep(50);
            return;
        }
        long maxWait = properties.replication().fetchMaxWait().toMillis();
        ReplicaFetchRequest request = new ReplicaFetchRequest(localNode, maxWait,
                (int) Math.min(Integer.MAX_VALUE, properties.replication().fetchMaxBytes().toBytes()), asks);
        byte[] body = post("/internal/replica-fetch", "application/json", json.writeValueAsBytes(request),
                Duration.ofMillis(maxWait).plusSeconds(10));
        List<FetchedPartition> sections = FetchResponseCodec.decode(ByteBuffer.wrap(body));
        for (int i = 0; i < sections.size(); i++) {
            handle(asked.get(i), sections.get(i));
        }
    }

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
                partitions.replace(partition.topicPartition(), state, new FetchState(partition, state.fetchEpoch(), false));
            }
            return;
        }
        if (section.error() != null) {
            // NOT_LEADER, FENCED/UNKNOWN_LEADER_EPOCH: new metadata will move this partition; avoid a hot loop.
            LOG.debug("Leader {} refused {}: {}", leader.id(), partition.topicPartition(), section.error());
            sleep(100);
            return;
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
    }

    private byte[] post(String path, String contentType, byte[] body, Duration timeout)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(leader.url()).resolve(path))
                .timeout(timeout)
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            SluiceException error;
            try {
                error = json.readValue(response.body(), Problem.class).toException();
            } catch (RuntimeException e) {
                error = ErrorCode.UNKNOWN_SERVER_ERROR.exception("Leader answered HTTP " + response.statusCode());
            }
            throw error;
        }
        return response.body();
    }

    private void markTruncated(FetchState state) {
        partitions.replace(state.partition().topicPartition(), state,
                new FetchState(state.partition(), state.fetchEpoch(), true));
    }

    private void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public void close() {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
    }

    /** A followed partition, the leader epoch its fetches are made in, and whether it has truncated yet. */
    private record FetchState(Partition partition, int fetchEpoch, boolean truncated) {
    }
}

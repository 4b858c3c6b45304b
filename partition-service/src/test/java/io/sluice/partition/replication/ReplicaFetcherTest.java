package io.sluice.partition.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.internal.metadata.NodeInfo;
import io.sluice.internal.metadata.NodeStatus;
import io.sluice.internal.metadata.PartitionState;
import io.sluice.internal.partition.FetchResponseCodec.FetchedPartition;
import io.sluice.internal.replication.EpochEndOffsetsRequest;
import io.sluice.internal.replication.EpochEndOffsetsResponse;
import io.sluice.internal.replication.ReplicaFetchRequest;
import io.sluice.internal.replication.ReplicationApi;
import io.sluice.log.EpochEndOffset;
import io.sluice.log.EpochEntry;
import io.sluice.log.LogConfig;
import io.sluice.log.PartitionLog;
import io.sluice.partition.TestPartitionProperties;
import io.sluice.partition.replica.Partition;
import io.sluice.partition.replica.TestReplicas;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.TopicPartition;
import io.sluice.protocol.record.CompressionType;
import io.sluice.protocol.record.RecordBatchBuilder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * A follower's fetch session against a scripted leader: where it truncates after an unclean history (KIP-279 rounds
 * until the epochs agree), how one refused partition affects the others (not at all), and how an answer that leaves
 * partitions out is applied.
 */
class ReplicaFetcherTest {

    private static final NodeInfo LEADER = new NodeInfo(1, "http://127.0.0.1:9001", null, NodeStatus.ALIVE);
    private static final TopicPartition A = new TopicPartition("a", 0);
    private static final TopicPartition B = new TopicPartition("b", 0);

    @TempDir
    Path dir;
    private final List<PartitionLog> logs = new ArrayList<>();
    private final Scheduler logScheduler = Schedulers.newSingle("test-log");
    private ReplicaFetcher fetcher;
    private final List<Integer> unreachable = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() throws IOException {
        if (fetcher != null) {
            fetcher.close();
        }
        logScheduler.dispose();
        for (PartitionLog log : logs) {
            log.close();
        }
    }

    /**
     * The follower wrote epochs 1 (offsets 0–4) and 3 (5–9); the leader has epochs 1 (0–2), 2 (3–7) and 4 (8–9).
     * Asked about epoch 3, the leader answers epoch 2 ending at 8, which the follower lacks: cutting at the end of its
     * epoch 1 (offset 5) would keep offsets 3 and 4 of epoch 1, where the leader has epoch 2. Only asking again, about
     * epoch 1, finds the divergence at offset 3.
     */
    @Test
    void truncationAsksAgainUntilTheLeaderAndFollowerAgreeOnAnEpoch() throws IOException {
        PartitionLog leaderLog = log("leader", new int[][] {{1, 3}, {2, 5}, {4, 2}});
        PartitionLog followerLog = log("follower", new int[][] {{1, 5}, {3, 5}});
        List<Integer> askedEpochs = new CopyOnWriteArrayList<>();
        ScriptedLeader leader = new ScriptedLeader(request -> {
            EpochEndOffsetsRequest.Partition ask = request.partitions().getFirst();
            askedEpochs.add(ask.leaderEpoch());
            EpochEndOffset end = leaderLog.endOffsetForEpoch(ask.leaderEpoch());
            return new EpochEndOffsetsResponse(List.of(new EpochEndOffsetsResponse.Partition(ask.topic(),
                    ask.partition(), null, end.leaderEpoch(), end.endOffset())));
        }, request -> List.of(section(A, null)));
        fetcher = start(leader, TestReplicas.follower(A, followerLog, 2, following(4)));

        await(() -> followerLog.logEndOffset() == 3 && !leader.fetches.isEmpty());

        assertThat(askedEpochs).containsExactly(3, 1);
        assertThat(followerLog.epochEntries()).containsExactly(new EpochEntry(1, 0));
    }

    @Test
    void aPartitionTheLeaderRefusesBacksOffAloneWhileTheOthersKeepFetching() throws IOException {
        List<Boolean> refusedA = new CopyOnWriteArrayList<>();
        ScriptedLeader leader = new ScriptedLeader(request -> {
            throw new AssertionError("empty logs need no truncation");
        }, request -> request.partitions().stream().map(p -> {
            TopicPartition tp = new TopicPartition(p.topic(), p.partition());
            boolean refuse = tp.equals(A) && refusedA.isEmpty();
            if (refuse) {
                refusedA.add(true);
            }
            return section(tp, refuse ? ErrorCode.NOT_LEADER : null);
        }).toList());
        fetcher = start(leader, TestReplicas.follower(A, log("a", new int[0][]), 2, following(4)),
                TestReplicas.follower(B, log("b", new int[0][]), 2, following(4)));

        await(() -> leader.fetches.size() >= 3);

        assertThat(leader.fetches.getFirst()).containsExactlyInAnyOrder(A, B);
        assertThat(leader.fetches.get(1)).as("the fetch right after A was refused").containsExactly(B);
        assertThat(leader.fetches.get(2)).containsExactly(B);
    }

    /**
     * A partition that just started following this leader must first ask it where epochs end; when that call fails
     * (here as when the follower's circuit to the leader is open) only that partition waits: the partitions already
     * truncated keep fetching, so they stay in the ISR. The leader is reported for a check, as a failed fetch is.
     */
    @Test
    void aPartitionWhoseTruncationCannotBeAskedBacksOffAloneWhileTheOthersKeepFetching() throws IOException {
        List<Integer> epochAsks = new CopyOnWriteArrayList<>();
        ScriptedLeader leader = new ScriptedLeader(request -> {
            epochAsks.add(request.partitions().size());
            throw ErrorCode.LEADER_NOT_AVAILABLE.exception("node-1 keeps failing; not calling it for now");
        }, request -> List.of());
        fetcher = start(leader, TestReplicas.follower(A, log("a", new int[0][]), 2, following(4)),
                TestReplicas.follower(B, log("b", new int[][] {{3, 2}}), 2, following(4)));

        await(() -> leader.fetches.size() >= 3);

        assertThat(epochAsks).as("B asked about").isNotEmpty();
        assertThat(leader.fetches).as("the partitions of each fetch").allSatisfy(round ->
                assertThat(round).containsExactly(A));
        assertThat(unreachable).contains(1);
    }

    /**
     * The leader answers only the partitions with news; the sections come in request order, and each lands on its own
     * partition, whichever others were left out. Each request tells the leader the follower's high watermark.
     */
    @Test
    void anAnswerLeavingPartitionsOutAppliesEachSectionToItsOwnPartition() throws IOException {
        PartitionLog leaderLog = log("leader", new int[][] {{4, 2}});
        ByteBuffer batches = leaderLog.readForFollower(0, 1 << 20).records().load();
        List<ReplicaFetchRequest> requests = new CopyOnWriteArrayList<>();
        ScriptedLeader leader = new ScriptedLeader(request -> {
            throw new AssertionError("empty logs need no truncation");
        }, request -> {
            requests.add(request);
            return requests.size() == 1
                    ? List.of(new FetchedPartition(B, null, 2, 0, 2, batches.duplicate()))
                    : List.of();
        });
        PartitionLog a = log("a", new int[0][]);
        PartitionLog b = log("b", new int[0][]);
        fetcher = start(leader, TestReplicas.follower(A, a, 2, following(4)), TestReplicas.follower(B, b, 2, following(4)));

        await(() -> requests.size() >= 2);

        assertThat(b.logEndOffset()).isEqualTo(2);
        assertThat(b.highWatermark()).isEqualTo(2);
        assertThat(a.logEndOffset()).isZero();
        ReplicaFetchRequest.Partition second = requests.get(1).partitions().stream()
                .filter(p -> p.topic().equals(B.topic())).findFirst().orElseThrow();
        assertThat(second.fetchOffset()).isEqualTo(2);
        assertThat(second.highWatermark()).isEqualTo(2);
    }

    /** A leader fills its answer in request order up to a budget: no partition stays behind the others for good. */
    @Test
    void eachRoundStartsOnePartitionFurtherOn() throws IOException {
        ScriptedLeader leader = new ScriptedLeader(request -> {
            throw new AssertionError("empty logs need no truncation");
        }, request -> List.of());
        fetcher = start(leader, TestReplicas.follower(A, log("a", new int[0][]), 2, following(4)),
                TestReplicas.follower(B, log("b", new int[0][]), 2, following(4)));

        await(() -> leader.fetches.size() >= 4);

        // A copy: the fetcher goes on fetching, and a view of the live list fails once another round is added.
        List<List<TopicPartition>> rounds = List.copyOf(leader.fetches).subList(0, 4);
        assertThat(rounds).allSatisfy(round -> assertThat(round).containsExactlyInAnyOrder(A, B));
        assertThat(rounds.get(1).getFirst()).isNotEqualTo(rounds.get(0).getFirst());
        assertThat(rounds.get(2).getFirst()).isEqualTo(rounds.get(0).getFirst());
        assertThat(rounds.get(3).getFirst()).isEqualTo(rounds.get(1).getFirst());
    }

    @Test
    void aLeaderThatRefusesTheConnectionIsReportedUnreachable() throws IOException {
        ScriptedLeader leader = new ScriptedLeader(request -> {
            throw new AssertionError("empty logs need no truncation");
        }, request -> {
            throw ErrorCode.LEADER_NOT_AVAILABLE.exception("node-1 is unreachable: Connection refused");
        });
        fetcher = start(leader, TestReplicas.follower(A, log("a", new int[0][]), 2, following(4)));

        await(() -> !unreachable.isEmpty());

        assertThat(unreachable).containsOnly(1);
    }

    /**
     * The wait after a failed fetch grows only while fetches keep failing: one that comes after a round that went
     * through waits the first back-off (50 ms), however many failures the fetcher saw before. Eight failures, each
     * after a good round; counted over the fetcher's life they would have grown the wait to its longest (1 s) from
     * the fifth on.
     */
    @Test
    void aFailureAfterARoundThatWentThroughWaitsTheFirstBackOffAgain() throws IOException {
        List<Long> fetchedAt = new CopyOnWriteArrayList<>();
        ScriptedLeader leader = new ScriptedLeader(request -> {
            throw new AssertionError("empty logs need no truncation");
        }, request -> {
            fetchedAt.add(System.nanoTime());
            if (fetchedAt.size() % 2 == 1 && fetchedAt.size() < 16) {
                throw ErrorCode.REQUEST_TIMED_OUT.exception("no answer");
            }
            return List.of();
        });
        fetcher = new ReplicaFetcher(LEADER, 2, "follower-2", leader, logScheduler,
                TestPartitionProperties.of(2, dir), unreachable::add, new FetchTiming(System::nanoTime, 0));
        fetcher.add(TestReplicas.follower(A, log("a", new int[0][]), 2, following(4)));
        fetcher.start();

        await(() -> fetchedAt.size() >= 17);

        List<Long> waitsAfterFailures = new ArrayList<>();
        for (int failed = 0; failed < 16; failed += 2) {
            waitsAfterFailures.add(Duration.ofNanos(fetchedAt.get(failed + 1) - fetchedAt.get(failed)).toMillis());
        }
        assertThat(waitsAfterFailures).as("ms from each failed fetch to the next").allSatisfy(wait ->
                assertThat(wait).isLessThan(500));
    }

    private static void await(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 10 s").isLessThan(deadline);
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
        }
    }

    private ReplicaFetcher start(ReplicationApi leader, Partition... followers) {
        ReplicaFetcher started = new ReplicaFetcher(LEADER, 2, "follower-2", leader, logScheduler,
                TestPartitionProperties.of(2, dir), unreachable::add);
        for (Partition follower : followers) {
            started.add(follower);
        }
        started.start();
        return started;
    }

    /** A log with, for each {epoch, count}, that many one-record batches written in that epoch. */
    private PartitionLog log(String name, int[][] epochs) throws IOException {
        PartitionLog log = PartitionLog.open(dir.resolve(name + "-0"), LogConfig.defaults(), Clock.systemUTC());
        logs.add(log);
        for (int[] epoch : epochs) {
            for (int i = 0; i < epoch[1]; i++) {
                log.appendAsLeader(RecordBatchBuilder.of(CompressionType.NONE)
                        .append(1_000, null, (name + i).getBytes(StandardCharsets.UTF_8)).build(), epoch[0]);
            }
        }
        return log;
    }

    private static PartitionState following(int leaderEpoch) {
        return new PartitionState(0, List.of(1, 2), 1, List.of(1, 2), leaderEpoch, leaderEpoch);
    }

    private static FetchedPartition section(TopicPartition tp, ErrorCode error) {
        return new FetchedPartition(tp, error, 0, 0, 0, ByteBuffer.allocate(0));
    }

    /** A leader answering from scripts, recording which partitions each fetch asked for. */
    private static final class ScriptedLeader implements ReplicationApi {
        final List<List<TopicPartition>> fetches = new CopyOnWriteArrayList<>();
        private final Function<EpochEndOffsetsRequest, EpochEndOffsetsResponse> epochs;
        private final Function<ReplicaFetchRequest, List<FetchedPartition>> fetch;

        ScriptedLeader(Function<EpochEndOffsetsRequest, EpochEndOffsetsResponse> epochs,
                       Function<ReplicaFetchRequest, List<FetchedPartition>> fetch) {
            this.epochs = epochs;
            this.fetch = fetch;
        }

        @Override
        public Mono<List<FetchedPartition>> replicaFetch(NodeInfo leader, ReplicaFetchRequest request) {
            fetches.add(request.partitions().stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList());
            // A long poll that finds nothing new answers after a while, as the real leader does.
            return Mono.fromSupplier(() -> fetch.apply(request)).delayElement(Duration.ofMillis(20));
        }

        @Override
        public Mono<EpochEndOffsetsResponse> epochEndOffsets(NodeInfo leader, EpochEndOffsetsRequest request) {
            return Mono.fromSupplier(() -> epochs.apply(request));
        }
    }
}

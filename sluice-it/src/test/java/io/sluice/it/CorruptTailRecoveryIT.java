package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.internal.metadata.PartitionState;
import io.sluice.it.PartitionApi.Consumed;
import io.sluice.it.PartitionApi.ProduceResult;
import io.sluice.it.ReplicaFiles.StoredBatch;
import io.sluice.protocol.TopicPartition;
import io.sluice.protocol.record.FileBatch;
import io.sluice.protocol.record.FileBatchIterator;
import io.sluice.protocol.record.RecordBatch;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A replica that crashed with bad bytes at the end of its active segment (a torn write, garbage after a power cut)
 * cuts them when it starts again and takes the missing records from the leader, ending byte for byte like the others.
 */
@ExtendWith(ClusterExtension.class)
class CorruptTailRecoveryIT {

    private static TestCluster cluster;
    private static PartitionApi api;

    @BeforeAll
    static void cluster(TestCluster shared) {
        cluster = shared;
        api = shared.api();
    }

    /** What is appended to the crashed replica's active segment. */
    enum Corruption {
        /** Random bytes: no valid batch header. */
        GARBAGE {
            @Override
            ByteBuffer bytes(RecordBatch last) {
                byte[] garbage = new byte[4096];
                new Random(42).nextBytes(garbage);
                return ByteBuffer.wrap(garbage);
            }
        },
        /** A whole batch continuing the log's offsets, with one record byte flipped: its CRC does not match. */
        BAD_CRC {
            @Override
            ByteBuffer bytes(RecordBatch last) {
                ByteBuffer copy = next(last);
                int at = copy.limit() - 1;
                copy.put(at, (byte) ~copy.get(at));
                return copy;
            }
        },
        /** The first half of a batch continuing the log's offsets: a write cut short by the crash. */
        TORN_BATCH {
            @Override
            ByteBuffer bytes(RecordBatch last) {
                ByteBuffer copy = next(last);
                return copy.limit(copy.limit() / 2);
            }
        };

        abstract ByteBuffer bytes(RecordBatch last);

        /** A copy of {@code last} renumbered to follow it, as the next append would have written it. */
        private static ByteBuffer next(RecordBatch last) {
            ByteBuffer copy = ByteBuffer.allocate(last.sizeInBytes()).put(last.buffer()).flip();
            RecordBatch.readFrom(copy.duplicate()).setBaseOffset(last.nextOffset());
            return copy;
        }
    }

    /**
     * Each corruption once per round; one round as the suite runs it, more with {@code -Dsluice.corrupt-tail.rounds=N}
     * (docs/reliability.md): every case kills and restarts another node, so later rounds find leaders that restarted
     * moments before, as the failure fixed in {@code ReplicaFetcher} and {@code InternalHttp}'s circuits needed.
     */
    static Stream<Arguments> cases() {
        return IntStream.range(0, Integer.getInteger("sluice.corrupt-tail.rounds", 1)).boxed()
                .flatMap(round -> Arrays.stream(Corruption.values()).map(corruption -> Arguments.of(corruption, round)));
    }

    /**
     * SIGKILL a follower, append bad bytes to its active segment, write on without it, restart it: recovery cuts
     * the bytes and the follower re-replicates what it missed, so its files equal the leader's again.
     */
    @ParameterizedTest(name = "{0}, round {1}")
    @MethodSource("cases")
    void corruptTailOfACrashedFollowerIsCutOnRestartAndReplicatedAgain(Corruption corruption, int round)
            throws IOException {
        TopicPartition tp = new TopicPartition("corrupt-" + corruption.name().toLowerCase(Locale.ROOT) + "-r" + round, 0);
        cluster.createTopic(tp.topic(), 1, 3, Map.of("min.insync.replicas", "2"));
        PartitionState state = cluster.awaitWritable(tp);
        int follower = state.replicas().stream().filter(r -> r != state.leader()).findFirst().orElseThrow();
        Map<Long, String> acked = new TreeMap<>();
        for (int i = 0; i < 20; i++) {
            produce(tp, state, "before-crash-" + i, acked);
        }
        cluster.awaitIdenticalReplicas(tp, Duration.ofSeconds(20));

        cluster.kill(follower);
        Path segment = cluster.activeSegment(follower, tp);
        long cleanSize = Files.size(segment);
        ByteBuffer bad = corruption.bytes(lastBatch(segment));
        int badBytes = bad.remaining();
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            while (bad.hasRemaining()) {
                channel.write(bad);
            }
        }
        assertThat(Files.size(segment)).isEqualTo(cleanSize + badBytes);

        for (int i = 0; i < 20; i++) {
            produce(tp, state, "while-down-" + i, acked);
        }

        Object segmentFile = RestartIT.fileKey(cluster, follower, tp);
        long restartAt = System.nanoTime();
        cluster.start(follower);
        List<StoredBatch> replicas = cluster.awaitIdenticalReplicas(tp, Duration.ofSeconds(30));
        Figures.report("corrupt-tail %s: node %d restarted and caught up in %s (%d bad bytes cut)", corruption,
                follower, Figures.seconds(Figures.since(restartAt)), badBytes);

        assertThat(Files.readString(cluster.logFile(follower))).as("node %d's log", follower)
                .contains("Truncating " + segment + " from");
        assertThat(RestartIT.fileKey(cluster, follower, tp)).as("node %d cut its own segment file", follower)
                .isEqualTo(segmentFile);
        long fileBytes = 0;
        for (Path file : ReplicaFiles.segmentFiles(cluster.replicaDir(follower, tp))) {
            fileBytes += Files.size(file);
        }
        assertThat(fileBytes).as("segment bytes on node %d: whole batches only", follower)
                .isEqualTo(replicas.stream().mapToLong(StoredBatch::sizeInBytes).sum());
        List<Consumed> consumed = cluster.readFromLeader(tp);
        assertThat(ReplicaFiles.logEndOffset(replicas)).isEqualTo(consumed.size());
        acked.forEach((offset, value) ->
                assertThat(consumed.get(offset.intValue()).value()).as("record at offset %d", offset).isEqualTo(value));
    }

    private static RecordBatch lastBatch(Path segment) throws IOException {
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.READ)) {
            FileBatchIterator batches = new FileBatchIterator(channel, 0, channel.size(), Integer.MAX_VALUE);
            FileBatch last = null;
            for (FileBatch batch = batches.nextBatch(); batch != null; batch = batches.nextBatch()) {
                last = batch;
            }
            assertThat(last).as("a batch in %s", segment).isNotNull();
            return last.load();
        }
    }

    private static void produce(TopicPartition tp, PartitionState state, String value, Map<Long, String> acked) {
        ProduceResult result = api.produce(state.leader(), tp, state.leaderEpoch(), Batches.of(value), "all", 10_000);
        assertThat(result.ok()).as("acks=all write of %s: %s", value, result).isTrue();
        assertThat(acked.put(result.baseOffset(), value)).isNull();
    }
}

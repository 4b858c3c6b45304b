package io.sluice.partition.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.internal.metadata.ClusterMetadata;
import io.sluice.internal.metadata.MetadataView;
import io.sluice.internal.metadata.NodeInfo;
import io.sluice.internal.metadata.PartitionState;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.internal.partition.FetchResponseCodec.FetchedPartition;
import io.sluice.internal.replication.ReplicaFetchRequest;
import io.sluice.protocol.TopicPartition;
import io.sluice.protocol.record.CompressionType;
import io.sluice.protocol.record.RecordBatchBuilder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A leader serves a replica that a move is adding within its node's move throttle (here 1,000 bytes/s, from node 1's
 * record in the metadata), on a clock the test moves: what one second of the rate allows, then nothing until the bucket
 * refills; an in-sync follower of the same partition is never held back, and neither is the new replica once it has
 * joined the ISR.
 */
class MoveThrottleFetchTest {

    private static final int RATE = 1_000;
    private static final int LEADER_EPOCH = 3;
    private static final int IN_SYNC = 2;
    private static final int ADDING = 3;
    private static final TopicPartition TP = new TopicPartition("moving", 0);
    private static final PartitionState MOVING = new PartitionState(0, List.of(1, 2, 3), 1, List.of(1, 2),
            LEADER_EPOCH, 5, List.of(ADDING), List.of());

    @TempDir
    Path dataDir;
    private final AtomicLong nanos = new AtomicLong();
    private LeaderNode node;
    private long logEnd;

    @BeforeEach
    void aMoveAddingNodeThreeToAPartitionOfTwentyBatches() throws IOException {
        List<NodeInfo> nodes = new ArrayList<>(LeaderNode.nodes(3));
        nodes.set(0, nodes.getFirst().withMoveThrottle((long) RATE));
        node = new LeaderNode(dataDir, nodes, topic(MOVING), nanos::get);
        for (int i = 0; i < 20; i++) {
            node.replicas.partition(TP).orElseThrow().appendAsLeader(RecordBatchBuilder.of(CompressionType.NONE)
                    .append(1_000L + i, null, new byte[200]).build(), LEADER_EPOCH, false);
        }
        logEnd = node.logs.log(TP).orElseThrow().logEndOffset();
    }

    @AfterEach
    void close() throws IOException {
        node.close();
    }

    @Test
    void theAddedReplicaReadsOneSecondOfTheRateThenWaitsForTheBucket() {
        long read = readUntilHeld(ADDING);

        assertThat(read).as("at most the bucket").isPositive().isLessThanOrEqualTo(RATE);
        assertThat(node.meters.counter("sluice.partition.move.throttled.reads").count()).isPositive();

        nanos.addAndGet(1_000_000_000L);
        long next = readUntilHeld(ADDING);
        assertThat(read + next).as("one more second of the rate, no more").isLessThanOrEqualTo(2L * RATE);
        assertThat(next).isPositive();
    }

    @Test
    void anInSyncFollowerOfThePartitionIsNotHeldBack() {
        readUntilHeld(ADDING);

        assertThat(bytes(fetch(IN_SYNC, 0))).as("everything up to its max bytes").isGreaterThan(2 * RATE);
    }

    @Test
    void onceInTheIsrTheNewReplicaIsNotHeldBack() {
        readUntilHeld(ADDING);
        PartitionState inSync = new PartitionState(0, List.of(1, 2, 3), 1, List.of(1, 2, 3), LEADER_EPOCH, 6,
                List.of(ADDING), List.of());
        List<NodeInfo> nodes = new ArrayList<>(LeaderNode.nodes(3));
        nodes.set(0, nodes.getFirst().withMoveThrottle((long) RATE));
        node.replicas.applyMetadata(new MetadataView(new ClusterMetadata(2, null, nodes, List.of(topic(inSync)))));

        assertThat(bytes(fetch(ADDING, 0))).isGreaterThan(2 * RATE);
    }

    @Test
    void aReplicaThisLeaderDoesNotKnowOfYetIsHeldBackToo() {
        long read = readUntilHeld(4);

        assertThat(read).as("a move whose metadata this node has not seen").isLessThanOrEqualTo(RATE);
    }

    /** Fetches for {@code replica} from the log start, on as far as it got, until a fetch reads nothing; the bytes. */
    private long readUntilHeld(int replica) {
        long offset = 0;
        long bytes = 0;
        while (offset < logEnd) {
            int read = bytes(fetch(replica, offset));
            if (read == 0) {
                return bytes;
            }
            bytes += read;
            offset = node.logs.log(TP).orElseThrow().read(offset, read, io.sluice.log.FetchIsolation.LOG_END, true)
                    .nextFetchOffset();
        }
        throw new AssertionError("read the whole log (" + bytes + " bytes) without being held back");
    }

    /** The record bytes of an answer (a partition with nothing new is left out of it). */
    private static int bytes(List<FetchedPartition> answer) {
        return answer.stream().mapToInt(partition -> partition.records().remaining()).sum();
    }

    private List<FetchedPartition> fetch(int replica, long offset) {
        return FetchServiceAccess.replicaFetch(node.fetches, new ReplicaFetchRequest(replica, "incarnation-" + replica,
                0, 1 << 20, List.of(new ReplicaFetchRequest.Partition("moving", 0, offset, LEADER_EPOCH, 0, 0))))
                .block();
    }

    private static TopicMetadata topic(PartitionState state) {
        return new TopicMetadata("moving", "id-1", 3, Map.of(), List.of(state));
    }
}

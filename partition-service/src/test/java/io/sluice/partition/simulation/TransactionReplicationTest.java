package io.sluice.partition.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.internal.metadata.PartitionState;
import io.sluice.internal.partition.PartitionBatches;
import io.sluice.internal.partition.ProduceRequestCodec;
import io.sluice.internal.partition.ProduceResponse;
import io.sluice.internal.partition.WriteMarkersRequest;
import io.sluice.internal.partition.WriteMarkersResponse;
import io.sluice.log.FetchIsolation;
import io.sluice.log.PartitionLog;
import io.sluice.protocol.Acks;
import io.sluice.protocol.TopicPartition;
import io.sluice.protocol.record.CompressionType;
import io.sluice.protocol.record.EndTxnMarker;
import io.sluice.protocol.record.RecordBatch;
import io.sluice.protocol.record.RecordBatchBuilder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Transaction markers replicate like any batch: on the simulated three-node cluster without faults (real replica
 * managers, logs, fetch sessions and services; see {@link SimulatedCluster}), markers the leader wrote through the
 * WriteTxnMarkers service reach both followers, and once the high watermark has reached them too, every replica
 * agrees on the last stable offset and the aborted transactions.
 */
class TransactionReplicationTest {

    private static final int PARTITION = 0;
    private static final long COMMITTED = 7;
    private static final long ABORTED = 8;

    @TempDir(factory = ReplicationSimulationTest.InMemoryWhereAvailable.class)
    Path dir;

    @Test
    void markersReachEveryFollowerAndTheReplicasAgreeOnTheLastStableOffsetAndTheAbortedTransactions()
            throws IOException {
        try (SimulatedCluster cluster = new SimulatedCluster(1, dir)) {
            cluster.startQuiet();
            cluster.sim().run(Duration.ofSeconds(3));
            PartitionState state = cluster.partitionState(PARTITION);
            assertThat(state.hasLeader()).isTrue();
            assertThat(state.isr()).hasSize(3);
            int leader = state.leader();
            int epoch = state.leaderEpoch();

            cluster.transactions().declare(COMMITTED, (short) 0, PARTITION);
            cluster.transactions().declare(ABORTED, (short) 0, PARTITION);
            CompletableFuture<ProduceResponse> produced = cluster.call(null, leader, "produce", node ->
                    node.produce.produce(ProduceRequestCodec.encode(List.of(
                            new PartitionBatches(tp(), epoch, transactional(COMMITTED, "kept")),
                            new PartitionBatches(tp(), epoch, transactional(ABORTED, "dropped")))),
                            Acks.ALL, Duration.ofSeconds(2))).toFuture();
            cluster.sim().run(Duration.ofSeconds(1));
            assertThat(produced).isCompleted();
            assertThat(produced.join().partitions()).extracting(ProduceResponse.PartitionResult::errorCode)
                    .containsOnlyNulls();
            PartitionLog leaderLog = log(cluster, leader);
            assertThat(leaderLog.lastStableOffset()).as("both transactions open").isZero();

            CompletableFuture<WriteMarkersResponse> written = cluster.call(null, leader, "markers", node ->
                    node.markers.writeMarkers(new WriteMarkersRequest(2_000, List.of(marker(COMMITTED, true, epoch),
                            marker(ABORTED, false, epoch))))).toFuture();
            cluster.sim().run(Duration.ofSeconds(1));
            assertThat(written).isCompleted();
            List<WriteMarkersResponse.Partition> answers = written.join().markers().stream()
                    .flatMap(marker -> marker.partitions().stream()).toList();
            assertThat(answers).extracting(WriteMarkersResponse.Partition::errorCode).containsOnlyNulls();
            assertThat(answers).extracting(WriteMarkersResponse.Partition::offset).containsExactly(2L, 3L);

            cluster.sim().run(Duration.ofSeconds(1)); // the followers learn the high watermark from their next fetch
            assertThat(leaderLog.lastStableOffset()).isEqualTo(4);
            assertThat(leaderLog.abortedTxns()).hasSize(1);
            assertThat(leaderLog.abortedTxns().getFirst().producerId()).isEqualTo(ABORTED);
            for (int replica : state.replicas()) {
                PartitionLog log = log(cluster, replica);
                assertThat(markers(log)).as("markers on node %d", replica)
                        .containsExactly(new Marker(2, COMMITTED, true), new Marker(3, ABORTED, false));
                assertThat(log.highWatermark()).as("high watermark on node %d", replica).isEqualTo(4);
                assertThat(log.lastStableOffset()).as("LSO on node %d", replica)
                        .isEqualTo(leaderLog.lastStableOffset());
                assertThat(log.abortedTxns()).as("aborted on node %d", replica)
                        .isEqualTo(leaderLog.abortedTxns());
                assertThat(log.read(0, 1 << 20, FetchIsolation.TXN_COMMITTED, true).abortedTxns())
                        .isEqualTo(leaderLog.abortedTxns());
            }
        }
    }

    private static TopicPartition tp() {
        return new TopicPartition(SimulatedCluster.TOPIC, PARTITION);
    }

    private static PartitionLog log(SimulatedCluster cluster, int node) {
        return cluster.node(node).replicas.partition(tp()).orElseThrow().log();
    }

    private static ByteBuffer transactional(long producerId, String value) {
        return RecordBatchBuilder.of(CompressionType.NONE).producer(producerId, (short) 0, 0).transactional(true)
                .append(0L, null, value.getBytes(StandardCharsets.UTF_8)).build();
    }

    private static WriteMarkersRequest.Marker marker(long producerId, boolean commit, int leaderEpoch) {
        return new WriteMarkersRequest.Marker(producerId, (short) 0, 0, commit,
                List.of(new WriteMarkersRequest.Partition(SimulatedCluster.TOPIC, PARTITION, leaderEpoch)));
    }

    /** The control batches of the whole log, as the replica holds them. */
    private static List<Marker> markers(PartitionLog log) throws IOException {
        ByteBuffer bytes = log.read(0, Integer.MAX_VALUE, FetchIsolation.LOG_END, true).records().load();
        List<Marker> markers = new ArrayList<>();
        while (bytes.hasRemaining()) {
            RecordBatch batch = RecordBatch.readFrom(bytes);
            if (batch.isControlBatch()) {
                markers.add(new Marker(batch.baseOffset(), batch.producerId(), EndTxnMarker.of(batch).commit()));
            }
            bytes.position(bytes.position() + batch.sizeInBytes());
        }
        return markers;
    }

    private record Marker(long offset, long producerId, boolean commit) {
    }
}

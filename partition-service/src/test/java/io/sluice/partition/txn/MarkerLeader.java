package io.sluice.partition.txn;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.internal.metadata.ClusterMetadata;
import io.sluice.internal.metadata.MetadataView;
import io.sluice.internal.metadata.NodeInfo;
import io.sluice.internal.metadata.NodeStatus;
import io.sluice.internal.metadata.PartitionState;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.internal.partition.WriteMarkersRequest;
import io.sluice.log.LogConfig;
import io.sluice.log.LogManager;
import io.sluice.log.PartitionLog;
import io.sluice.log.VerifiedAppends;
import io.sluice.partition.TestPartitionProperties;
import io.sluice.partition.replica.Partition;
import io.sluice.partition.replica.ReplicaManager;
import io.sluice.partition.replica.TestReplicas;
import io.sluice.protocol.TopicPartition;
import io.sluice.protocol.config.TopicConfigs;
import io.sluice.protocol.record.CompressionType;
import io.sluice.protocol.record.RecordBatchBuilder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Node 1 of three alive nodes, with real logs, replica manager and {@link WriteMarkersService} on a real log
 * scheduler; nothing replicates. Topic {@value #TOPIC}: partition 0 led here alone in epoch {@value #EPOCH};
 * partition 1 led by node 2 (followed here); partition 2 led here with node 2 in its ISR, which never fetches (its
 * high watermark stands still); and topic {@value #STRICT}, partition 0 led here alone with min.insync.replicas 2.
 * Close it after each test.
 */
final class MarkerLeader implements AutoCloseable {

    static final String TOPIC = "orders";
    static final String STRICT = "strict";
    static final int EPOCH = 3;
    static final TopicPartition ALONE = new TopicPartition(TOPIC, 0);
    static final TopicPartition FOLLOWED = new TopicPartition(TOPIC, 1);
    static final TopicPartition WAITING = new TopicPartition(TOPIC, 2);
    static final TopicPartition TOO_FEW = new TopicPartition(STRICT, 0);

    final LogManager logs;
    final ReplicaManager replicas;
    final WriteMarkersService markers;
    private final Scheduler logScheduler = Schedulers.newParallel("log-io-test", 2);

    MarkerLeader(Path dataDir) throws IOException {
        logs = LogManager.open(dataDir, tp -> LogConfig.defaults(), Clock.systemUTC(), Runnable::run);
        replicas = new ReplicaManager(logs, null, TestReplicas.noFetching(), TestPartitionProperties.of(1, dataDir),
                Clock.systemUTC(), new SimpleMeterRegistry(), Schedulers.immediate());
        List<NodeInfo> nodes = List.of(1, 2, 3).stream()
                .map(id -> new NodeInfo(id, "http://127.0.0.1:" + (9000 + id), null, NodeStatus.ALIVE)).toList();
        TopicMetadata orders = new TopicMetadata(TOPIC, "id-orders", 3, Map.of(), List.of(
                new PartitionState(0, List.of(1), 1, List.of(1), EPOCH, 1),
                new PartitionState(1, List.of(2, 1), 2, List.of(2, 1), EPOCH, 1),
                new PartitionState(2, List.of(1, 2), 1, List.of(1, 2), EPOCH, 1)));
        TopicMetadata strict = new TopicMetadata(STRICT, "id-strict", 1,
                Map.of(TopicConfigs.MIN_INSYNC_REPLICAS, "2"),
                List.of(new PartitionState(0, List.of(1, 2), 1, List.of(1), EPOCH, 1)));
        replicas.applyMetadata(new MetadataView(new ClusterMetadata(1, null, nodes, List.of(orders, strict))));
        markers = new WriteMarkersService(replicas, logScheduler, TestPartitionProperties.of(1, dataDir),
                new SimpleMeterRegistry());
    }

    PartitionLog log(TopicPartition tp) {
        return logs.log(tp).orElseThrow();
    }

    /**
     * A transactional batch of one record from {@code producerId} in {@code producerEpoch}, written as leader (its
     * transaction verified).
     */
    void produceTransactional(TopicPartition tp, long producerId, short producerEpoch, int sequence, String value) {
        Partition partition = replicas.partition(tp).orElseThrow();
        List<ByteBuffer> entries = List.of(RecordBatchBuilder.of(CompressionType.NONE)
                .producer(producerId, producerEpoch, sequence).transactional(true)
                .append(1_000, null, value.getBytes(StandardCharsets.UTF_8)).build());
        partition.appendAsLeader(entries, EPOCH, false, VerifiedAppends.allVerified(partition.log(), entries))
                .outcomes().getFirst().orThrow();
    }

    static WriteMarkersRequest.Marker marker(long producerId, int producerEpoch, int coordinatorEpoch, boolean commit,
                                             TopicPartition... partitions) {
        return new WriteMarkersRequest.Marker(producerId, (short) producerEpoch, coordinatorEpoch, commit,
                List.of(partitions).stream()
                        .map(tp -> new WriteMarkersRequest.Partition(tp.topic(), tp.partition(), EPOCH)).toList());
    }

    @Override
    public void close() throws IOException {
        logScheduler.dispose();
        logs.close();
    }
}

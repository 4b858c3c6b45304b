package io.sluice.partition.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.internal.metadata.ClusterMetadata;
import io.sluice.internal.metadata.MetadataView;
import io.sluice.internal.metadata.NodeInfo;
import io.sluice.internal.metadata.NodeStatus;
import io.sluice.internal.metadata.PartitionState;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.log.LogConfig;
import io.sluice.log.LogManager;
import io.sluice.partition.TestPartitionProperties;
import io.sluice.partition.replica.ReplicaManager;
import io.sluice.partition.replica.TestReplicas;
import io.sluice.protocol.TopicPartition;
import io.sluice.protocol.record.CompressionType;
import io.sluice.protocol.record.RecordBatchBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.scheduler.Schedulers;

/**
 * Per-partition gauges follow the replicas a node holds: registered once when a partition appears and read live when
 * scraped, lag gauges for the followers of partitions led here only, and removed when a partition or a follower goes.
 */
class ReplicaMetricsTest {

    private static final List<NodeInfo> NODES = List.of(node(1), node(2), node(3));

    @TempDir
    Path dataDir;
    LogManager logs;
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    ReplicaManager replicas;

    @BeforeEach
    void open() throws IOException {
        logs = LogManager.open(dataDir, tp -> LogConfig.defaults(), Clock.systemUTC(), Runnable::run);
        replicas = new ReplicaManager(logs, null, TestReplicas.noFetching(), TestPartitionProperties.of(1, dataDir),
                Clock.systemUTC(), meters, Schedulers.immediate());
    }

    @AfterEach
    void close() throws IOException {
        logs.close();
    }

    @Test
    void gaugesFollowThePartitionsAndReadTheirLiveValues() {
        // partition 0 led here (followers 2 and 3), partition 1 followed here
        replicas.applyMetadata(view(10, new PartitionState(0, List.of(1, 2, 3), 1, List.of(1, 2, 3), 5, 7),
                new PartitionState(1, List.of(2, 1, 3), 2, List.of(2, 1, 3), 5, 7)));
        ReplicaMetrics metrics = new ReplicaMetrics(meters, replicas, logs);

        Gauge size = gauge("sluice.partition.log.size", 0);
        assertThat(gauge("sluice.partition.log.size", 1)).isNotNull();
        assertThat(lagFollowers(0)).containsExactlyInAnyOrder("2", "3");
        assertThat(lagFollowers(1)).as("no lag gauges for a partition followed here").isEmpty();
        double empty = size.value();

        replicas.partition(new TopicPartition("orders", 0)).orElseThrow().appendAsLeader(batch(), 5, false);

        assertThat(size.value()).as("read when scraped, not at the last refresh").isGreaterThan(empty);
        assertThat(meters.find("sluice.partition.replication.lag").tags("partition", "0", "follower", "2").gauge()
                .value()).isEqualTo(1);

        metrics.refresh();
        assertThat(gauge("sluice.partition.log.size", 0)).as("registered once").isSameAs(size);

        // leadership of partition 0 moves to node 2: this node follows it, so its lag gauges go
        replicas.applyMetadata(view(11, new PartitionState(0, List.of(1, 2, 3), 2, List.of(1, 2, 3), 6, 8),
                new PartitionState(1, List.of(2, 1, 3), 2, List.of(2, 1, 3), 5, 7)));
        metrics.refresh();

        assertThat(lagFollowers(0)).isEmpty();
        assertThat(gauge("sluice.partition.log.size", 0)).isSameAs(size);
    }

    private Gauge gauge(String name, int partition) {
        return meters.find(name).tags("topic", "orders", "partition", Integer.toString(partition)).gauge();
    }

    private List<String> lagFollowers(int partition) {
        return meters.find("sluice.partition.replication.lag").tags("partition", Integer.toString(partition)).gauges()
                .stream().map(g -> g.getId().getTag("follower")).toList();
    }

    private static MetadataView view(long version, PartitionState... partitions) {
        return new MetadataView(new ClusterMetadata(version, null, NODES,
                List.of(new TopicMetadata("orders", "id-1", 3, Map.of(), List.of(partitions)))));
    }

    private static NodeInfo node(int id) {
        return new NodeInfo(id, "http://127.0.0.1:" + (9000 + id), null, NodeStatus.ALIVE);
    }

    private static java.nio.ByteBuffer batch() {
        return RecordBatchBuilder.of(CompressionType.NONE).append(1_000, null, "v".getBytes(StandardCharsets.UTF_8))
                .build();
    }
}

package io.sluice.partition.fetch;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.internal.metadata.ClusterMetadata;
import io.sluice.internal.metadata.MetadataView;
import io.sluice.internal.metadata.NodeInfo;
import io.sluice.internal.metadata.NodeStatus;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.log.LogConfig;
import io.sluice.log.LogManager;
import io.sluice.partition.PartitionProperties;
import io.sluice.partition.TestLogScheduler;
import io.sluice.partition.TestPartitionProperties;
import io.sluice.partition.produce.ProduceMetrics;
import io.sluice.partition.produce.ProduceService;
import io.sluice.partition.replica.ReplicaManager;
import io.sluice.partition.replica.TestReplicas;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.stream.IntStream;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Node 1 of a cluster of {@code nodeCount} alive nodes, hosting one topic as the metadata gives it, with real logs
 * and the {@link FetchService} and {@link ProduceService} in front of them; nothing replicates. Close it after each
 * test.
 */
final class LeaderNode implements AutoCloseable {

    final LogManager logs;
    final ReplicaManager replicas;
    final FetchService fetches;
    /** Leader appends; transactions are not verified here (a batch that would open one fails its request). */
    final ProduceService produces;
    /** The service's log threads, counting the tasks handed to them. */
    final CountingScheduler logScheduler = new CountingScheduler(TestLogScheduler.create(2));

    final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    LeaderNode(Path dataDir, int nodeCount, TopicMetadata topic) throws IOException {
        this(dataDir, nodes(nodeCount), topic, System::nanoTime);
    }

    /** With {@code nodes} as the metadata has them, and the move throttle on {@code nanoTime}'s clock. */
    LeaderNode(Path dataDir, List<NodeInfo> nodes, TopicMetadata topic, LongSupplier nanoTime) throws IOException {
        this(dataDir, nodes, topic, nanoTime, TestPartitionProperties.of(1, dataDir));
    }

    /** With the node's settings as {@code properties} has them. */
    LeaderNode(Path dataDir, List<NodeInfo> nodes, TopicMetadata topic, LongSupplier nanoTime,
               PartitionProperties properties) throws IOException {
        logs = LogManager.open(dataDir, tp -> LogConfig.defaults(), Clock.systemUTC(), Runnable::run);
        replicas = new ReplicaManager(logs, null, TestReplicas.noFetching(), properties, Clock.systemUTC(),
                new SimpleMeterRegistry(), Schedulers.immediate());
        replicas.applyMetadata(new MetadataView(new ClusterMetadata(1, null, nodes, List.of(topic))));
        fetches = new FetchService(replicas, logScheduler, properties, Clock.systemUTC(), meters, nanoTime);
        produces = new ProduceService(replicas, logScheduler, new ProduceMetrics(meters),
                request -> Mono.error(new IllegalStateException("this node verifies no transactions")));
    }

    /** Nodes 1 to {@code count}, alive. */
    static List<NodeInfo> nodes(int count) {
        return IntStream.rangeClosed(1, count)
                .mapToObj(id -> new NodeInfo(id, "http://127.0.0.1:" + (9000 + id), null, NodeStatus.ALIVE)).toList();
    }

    @Override
    public void close() throws IOException {
        logScheduler.dispose();
        logs.close();
    }
}

package io.sluice.coordinator.balance;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.internal.SluiceJson;
import io.sluice.internal.client.InternalClientSettings;
import io.sluice.internal.client.InternalHttp;
import io.sluice.internal.client.PartitionDataClient;
import io.sluice.internal.metadata.ClusterMetadata;
import io.sluice.internal.metadata.MetadataView;
import io.sluice.internal.metadata.NodeInfo;
import io.sluice.internal.metadata.NodeStatus;
import io.sluice.internal.metadata.PartitionState;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.internal.partition.NodeStats;
import io.sluice.internal.partition.PartitionPaths;
import io.sluice.protocol.TopicPartition;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The partitions' sizes the balancer plans with, asked of nodes over HTTP as a partition service answers its
 * {@code /internal/node-stats}: the largest replica counts, a node that stops answering keeps its last sizes, a dead
 * node is not asked, and a partition no longer in the metadata is forgotten.
 */
class PartitionSizesTest {

    private final List<HttpServer> servers = new ArrayList<>();
    private final InternalHttp http = new InternalHttp(InternalClientSettings.defaults()
            .withCallTimeout(Duration.ofSeconds(2)), new SimpleMeterRegistry());
    private final PartitionSizes sizes = new PartitionSizes(new PartitionDataClient(http));

    @AfterEach
    void stop() {
        servers.forEach(server -> server.stop(0));
        http.close();
    }

    @Test
    void theLargestReplicaOfEachPartitionCountsAndASilentNodeKeepsItsLastSizes() throws IOException {
        AtomicReference<NodeStats> one = new AtomicReference<>(stats(1, replica("a", 0, 500), replica("a", 1, 70)));
        AtomicReference<NodeStats> two = new AtomicReference<>(stats(2, replica("a", 0, 480), replica("b", 0, 9)));
        MetadataView view = view(node(1, serve(one)), node(2, serve(two)));

        assertThat(sizes.refresh(view).block(Duration.ofSeconds(10))).containsExactlyInAnyOrderEntriesOf(Map.of(
                new TopicPartition("a", 0), 500L, new TopicPartition("a", 1), 70L, new TopicPartition("b", 0), 9L));

        one.set(null); // node 1 now answers 500 to every call
        two.set(stats(2, replica("a", 0, 900), replica("b", 0, 12)));
        assertThat(sizes.refresh(view).block(Duration.ofSeconds(10))).containsExactlyInAnyOrderEntriesOf(Map.of(
                new TopicPartition("a", 0), 900L, new TopicPartition("a", 1), 70L, new TopicPartition("b", 0), 12L));
    }

    @Test
    void aDeadNodeIsNotAskedAndAPartitionNoLongerInTheMetadataIsForgotten() throws IOException {
        AtomicReference<NodeStats> one = new AtomicReference<>(stats(1, replica("a", 0, 500), replica("gone", 0, 5)));
        AtomicReference<NodeStats> two = new AtomicReference<>(stats(2, replica("b", 0, 40)));
        NodeInfo alive = node(1, serve(one));
        NodeInfo dead = new NodeInfo(2, serve(two), null, NodeStatus.DEAD, "i2");

        assertThat(sizes.refresh(view(alive, dead)).block(Duration.ofSeconds(10)))
                .containsExactlyInAnyOrderEntriesOf(Map.of(new TopicPartition("a", 0), 500L));
    }

    private String serve(AtomicReference<NodeStats> stats) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(PartitionPaths.NODE_STATS, exchange -> {
            NodeStats answer = stats.get();
            byte[] body = answer == null ? "{}".getBytes(StandardCharsets.UTF_8)
                    : SluiceJson.mapper().writeValueAsBytes(answer);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(answer == null ? 500 : 200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        servers.add(server);
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static NodeStats stats(int node, NodeStats.Replica... replicas) {
        return new NodeStats(node, List.of(replicas), NodeStats.Throughput.NONE);
    }

    private static NodeStats.Replica replica(String topic, int partition, long bytes) {
        return new NodeStats.Replica(topic, partition, true, bytes, 1, 0, 10, 10);
    }

    private static NodeInfo node(int id, String url) {
        return new NodeInfo(id, url, null, NodeStatus.ALIVE, "i" + id);
    }

    /** Topics a (two partitions) and b (one) on nodes 1 and 2; no topic "gone". */
    private static MetadataView view(NodeInfo... nodes) {
        PartitionState p0 = new PartitionState(0, List.of(1, 2), 1, List.of(1, 2), 3, 5);
        PartitionState p1 = new PartitionState(1, List.of(2, 1), 2, List.of(1, 2), 3, 5);
        return new MetadataView(new ClusterMetadata(7, null, List.of(nodes), List.of(
                new TopicMetadata("a", "a-id", 2, Map.of(), List.of(p0, p1)),
                new TopicMetadata("b", "b-id", 2, Map.of(), List.of(p0)))));
    }
}

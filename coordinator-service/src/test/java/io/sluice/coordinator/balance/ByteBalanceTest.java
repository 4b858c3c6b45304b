package io.sluice.coordinator.balance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.coordinator.testing.CoordinatorTestSupport;
import io.sluice.coordinator.testing.TestNodes;
import io.sluice.internal.SluiceJson;
import io.sluice.internal.metadata.PartitionState;
import io.sluice.internal.partition.NodeStats;
import io.sluice.internal.partition.PartitionPaths;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

/**
 * The balancer moves bytes, not only replicas: two nodes hold two replicas each, one of them gigabytes and the other
 * megabytes (as their {@code /internal/node-stats} report, served here over HTTP for the two test nodes), and the
 * balancer swaps a large replica for a small one, through two ordinary moves. (A coordinator of its own, with the
 * balancer on and no minimum byte spread, so it runs before the shared one exists and is closed after.)
 */
@Order(1)
@DirtiesContext
@TestPropertySource(properties = {
        "sluice.coordinator.balancer.enabled=true",
        "sluice.coordinator.balancer.interval=500ms",
        "sluice.coordinator.balancer.min-byte-spread=0",
})
class ByteBalanceTest extends CoordinatorTestSupport {

    private static final long MB = 1024L * 1024;

    @Autowired
    private MeterRegistry meters;
    private final List<HttpServer> servers = new ArrayList<>();

    @AfterEach
    void stopServers() {
        servers.forEach(server -> server.stop(0));
    }

    @Test
    void whenOneNodeHoldsTheLargeReplicasOneIsSwappedForASmallReplicaOfTheOtherNode() throws IOException {
        AtomicReference<Map<Integer, Long>> sizes = new AtomicReference<>(Map.of());
        TestNodes nodes = nodesForThisTest();
        for (int id : List.of(1, 2)) {
            nodes.register(id, serveStats(id, sizes), null);
            nodes.resume(id);
        }
        api().createTopic("bytes", 4, 1);
        // Node 1's two partitions hold 3 GB and 2 GB, node 2's 100 and 150 MB: two replicas each, 4.75 GB apart.
        List<PartitionState> placed = api().topic("bytes").partitions();
        List<Integer> onOne = placed.stream().filter(p -> p.replicas().equals(List.of(1)))
                .map(PartitionState::partition).toList();
        List<Integer> onTwo = placed.stream().filter(p -> p.replicas().equals(List.of(2)))
                .map(PartitionState::partition).toList();
        assertThat(onOne).hasSize(2);
        assertThat(onTwo).hasSize(2);
        sizes.set(Map.of(onOne.get(0), 3072 * MB, onOne.get(1), 2048 * MB, onTwo.get(0), 100 * MB,
                onTwo.get(1), 150 * MB));

        await("a swap").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> moving().size() == 2);

        // The swap that moves nearest half the gap: 3 GB for 150 MB (2.85 GB; 2 GB for 100 MB moves 1.9 GB).
        assertThat(moving()).containsExactlyInAnyOrderEntriesOf(Map.of(onOne.get(0), List.of(2),
                onTwo.get(1), List.of(1)));
        // Counted once the moves are stored, by the balancer's round after its write: the test may read the metadata
        // a moment before that, so the count is awaited (a CI run read 0 here), not read once.
        await("the balancer's count of moves for bytes").atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(20)).until(() -> meters.find("sluice.coordinator.balancer.moves.started")
                        .tag("reason", "bytes").counter().count() == 2);
    }

    /** The partitions of "bytes" moving, with the replicas they move to. */
    private Map<Integer, List<Integer>> moving() {
        Map<Integer, List<Integer>> moving = new HashMap<>();
        api().topic("bytes").partitions().stream().filter(PartitionState::isReassigning)
                .forEach(p -> moving.put(p.partition(), p.targetReplicas()));
        return moving;
    }

    /** A node's stats endpoint: the partitions of "bytes" it holds, with their sizes. */
    private String serveStats(int node, AtomicReference<Map<Integer, Long>> sizes) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(PartitionPaths.NODE_STATS, exchange -> {
            List<NodeStats.Replica> replicas = new ArrayList<>();
            // Until the test sets the sizes, the topic may not exist: the node holds nothing yet.
            List<PartitionState> partitions = sizes.get().isEmpty() ? List.of() : api().topic("bytes").partitions();
            for (PartitionState partition : partitions) {
                Long size = sizes.get().get(partition.partition());
                if (size != null && partition.replicas().contains(node)) {
                    replicas.add(new NodeStats.Replica("bytes", partition.partition(), partition.leader() == node,
                            size, 1, 0, 0, 0));
                }
            }
            byte[] body = SluiceJson.mapper().writeValueAsBytes(new NodeStats(node, replicas,
                    NodeStats.Throughput.NONE));
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        servers.add(server);
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }
}

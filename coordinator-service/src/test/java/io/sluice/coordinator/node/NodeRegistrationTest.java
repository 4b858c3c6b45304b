package io.sluice.coordinator.node;

import static io.sluice.coordinator.testing.CoordinatorApi.expectProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.coordinator.store.RedisKeys;
import io.sluice.coordinator.testing.CoordinatorTestSupport;
import io.sluice.coordinator.testing.TestNodes;
import io.sluice.coordinator.testing.TestRedis;
import io.sluice.internal.metadata.NodeInfo;
import io.sluice.internal.metadata.NodeStatus;
import io.sluice.protocol.ErrorCode;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Registration and heartbeats: one node id belongs to one live process; a second process claiming it from another URL
 * is refused with DUPLICATE_NODE until the first is dead. Every node here keeps heartbeating until the class ends, so
 * no node dies unless a test makes it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NodeRegistrationTest extends CoordinatorTestSupport {

    private TestNodes nodes;

    @BeforeAll
    void heartbeatingNodes() {
        nodes = newNodes();
    }

    @AfterAll
    void stopNodes() {
        nodes.close();
    }

    @Test
    void whenANodeRegistersItIsAliveAndLearnsItsHeartbeatIntervalAndSessionTimeout() {
        register(1, TestNodes.url(1), "rack-a").expectStatus().isOk().expectBody()
                .jsonPath("$.node_id").isEqualTo(1)
                .jsonPath("$.heartbeat_interval_ms").isEqualTo(150)
                .jsonPath("$.session_timeout_ms").isEqualTo(6000);
        nodes.resume(1);

        assertThat(api().node(1)).isEqualTo(new NodeInfo(1, TestNodes.url(1), "rack-a", NodeStatus.ALIVE,
                "process-of-node-1"));
    }

    @Test
    void whenALiveNodeIdRegistersFromAnotherUrlShouldAnswerDuplicateNodeAndKeepTheFirst() {
        nodes.start(2, null);
        String storedBefore = storedNode(2);

        expectProblem(register(2, "http://127.0.0.1:29999", null), ErrorCode.DUPLICATE_NODE);

        assertThat(api().node(2).url()).isEqualTo(TestNodes.url(2));
        assertThat(storedNode(2)).isEqualTo(storedBefore);
    }

    @Test
    void whenTheSameProcessRegistersAgainItIsAcceptedWithoutANewVersion() {
        nodes.start(3, null);
        long version = api().metadataVersion();

        nodes.register(3, TestNodes.url(3), null);

        assertThat(api().metadataVersion()).isEqualTo(version);
        assertThat(api().node(3).status()).isEqualTo(NodeStatus.ALIVE);
    }

    @Test
    void whenTheNodeHoldingAnIdIsDeadAnotherUrlMayTakeTheId() {
        nodes.start(4, null);
        nodes.silence(4);
        api().awaitNode(4, NodeStatus.DEAD);

        register(4, "http://127.0.0.1:24444", "rack-b").expectStatus().isOk();
        nodes.resume(4);

        assertThat(api().node(4)).isEqualTo(new NodeInfo(4, "http://127.0.0.1:24444", "rack-b", NodeStatus.ALIVE,
                "process-of-node-4"));
    }

    @Test
    void whenADeadNodeHeartbeatsAgainTheHeartbeatSucceedsAndTheNodeIsAlive() {
        nodes.start(5, null);
        nodes.silence(5);
        api().awaitNode(5, NodeStatus.DEAD);

        api().post("/internal/nodes/5/heartbeat", null).expectStatus().isNoContent();
        nodes.resume(5);

        assertThat(api().node(5).status()).isEqualTo(NodeStatus.ALIVE);
    }

    @Test
    void whenANodeRegistersWithAKafkaListenerItsAddressIsInItsRecord() {
        Map<String, Object> body = new HashMap<>(Map.of("node_id", 8, "url", TestNodes.url(8),
                "incarnation", "process-of-node-8", "kafka_address", "10.0.0.8:9093"));
        api().post("/internal/nodes", body).expectStatus().isOk();

        assertThat(api().node(8).kafkaAddress()).isEqualTo("10.0.0.8:9093");
        register(8, TestNodes.url(8), null).expectStatus().isOk();
        assertThat(api().node(8).kafkaAddress()).as("a registration without one: the node runs none now").isNull();
    }

    @Test
    void whenAnUnknownNodeHeartbeatsShouldAnswerUnknownNode() {
        expectProblem(api().post("/internal/nodes/77/heartbeat", null), ErrorCode.UNKNOWN_NODE);
    }

    @Test
    void whenARegistrationIsMalformedShouldAnswerInvalidRequestAndRegisterNothing() {
        long version = api().metadataVersion();

        expectProblem(register(-1, TestNodes.url(6), null), ErrorCode.INVALID_REQUEST);
        expectProblem(register(6, "ftp://127.0.0.1:21", null), ErrorCode.INVALID_REQUEST);
        expectProblem(register(6, null, null), ErrorCode.INVALID_REQUEST);
        expectProblem(api().post("/internal/nodes", "{\"node_id\": \"six\"}"), ErrorCode.INVALID_REQUEST);
        expectProblem(api().post("/internal/nodes", "{\"node_id\": 6, "), ErrorCode.INVALID_REQUEST);
        expectProblem(api().post("/internal/nodes", Map.of("node_id", 6, "url", TestNodes.url(6))),
                ErrorCode.INVALID_REQUEST);
        for (String kafka : new String[] {"127.0.0.1", "127.0.0.1:0", "127.0.0.1:65536", ":9093", "host:port"}) {
            Map<String, Object> body = new HashMap<>(Map.of("node_id", 6, "url", TestNodes.url(6),
                    "incarnation", "process-of-node-6", "kafka_address", kafka));
            expectProblem(api().post("/internal/nodes", body), ErrorCode.INVALID_REQUEST);
        }

        assertThat(api().nodes()).noneMatch(n -> n.id() == 6 || n.id() == -1);
        assertThat(api().metadataVersion()).isEqualTo(version);
    }

    private WebTestClient.ResponseSpec register(int id, String url, String rack) {
        Map<String, Object> body = new HashMap<>();
        body.put("node_id", id);
        body.put("url", url);
        body.put("rack", rack);
        body.put("incarnation", "process-of-node-" + id);
        return api().post("/internal/nodes", body);
    }

    private static String storedNode(int id) {
        return TestRedis.shared().commands().hget(RedisKeys.NODES, Integer.toString(id));
    }
}

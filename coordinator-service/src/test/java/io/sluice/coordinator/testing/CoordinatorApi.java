package io.sluice.coordinator.testing;

import static org.awaitility.Awaitility.await;

import io.sluice.internal.coordinator.CoordinatorStatus;
import io.sluice.internal.metadata.NodeInfo;
import io.sluice.internal.metadata.NodeStatus;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.protocol.ErrorCode;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The coordinator's internal API as a test calls it: small typed calls for set-up and inspection, and raw requests
 * whose status and problem body a test asserts. Request bodies are written as the wire shows them (snake_case maps or
 * literal JSON), so the tests also pin the JSON contract.
 */
public final class CoordinatorApi {

    private final WebTestClient web;

    public CoordinatorApi(WebTestClient web) {
        this.web = web;
    }

    public WebTestClient web() {
        return web;
    }

    public CoordinatorStatus status() {
        return web.get().uri("/internal/coordinator").exchange()
                .expectStatus().isOk()
                .expectBody(CoordinatorStatus.class).returnResult().getResponseBody();
    }

    public long metadataVersion() {
        return status().metadataVersion();
    }

    public static Map<String, Object> topicRequest(String name, int partitions, int replicationFactor,
                                                   Map<String, String> configs) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", name);
        body.put("partitions", partitions);
        body.put("replication_factor", replicationFactor);
        body.put("configs", configs);
        return body;
    }

    public TopicMetadata createTopic(String name, int partitions, int replicationFactor) {
        return createTopic(name, partitions, replicationFactor, Map.of());
    }

    public TopicMetadata createTopic(String name, int partitions, int replicationFactor, Map<String, String> configs) {
        return post("/internal/topics", topicRequest(name, partitions, replicationFactor, configs))
                .expectStatus().isCreated()
                .expectBody(TopicMetadata.class).returnResult().getResponseBody();
    }

    public TopicMetadata topic(String name) {
        return web.get().uri("/internal/topics/{name}", name).exchange()
                .expectStatus().isOk()
                .expectBody(TopicMetadata.class).returnResult().getResponseBody();
    }

    public List<TopicMetadata> topics() {
        return web.get().uri("/internal/topics").exchange()
                .expectStatus().isOk()
                .expectBodyList(TopicMetadata.class).returnResult().getResponseBody();
    }

    public List<NodeInfo> nodes() {
        return web.get().uri("/internal/nodes").exchange()
                .expectStatus().isOk()
                .expectBodyList(NodeInfo.class).returnResult().getResponseBody();
    }

    public NodeInfo node(int id) {
        return nodes().stream().filter(n -> n.id() == id).findFirst()
                .orElseThrow(() -> new AssertionError("node " + id + " is not registered"));
    }

    /** Waits (up to 30 s: five 6 s sessions) until node {@code id} has {@code status}. */
    public void awaitNode(int id, NodeStatus status) {
        await("node " + id + " " + status).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> node(id).status() == status);
    }

    /**
     * Waits (up to 10 s) until every registered node but {@code live} is dead: nodes that earlier tests of the shared
     * coordinator shut down expire one session later, and each death is a new metadata version. A test that checks a
     * request changed nothing reads the version after this.
     */
    public void awaitOnlyLive(int... live) {
        Set<Integer> keep = Arrays.stream(live).boxed().collect(Collectors.toSet());
        await("only nodes " + keep + " alive").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> nodes().stream().allMatch(n -> keep.contains(n.id()) || n.status() == NodeStatus.DEAD));
    }

    /** AlterPartition as a leader sends it, adding no replica or naming none's incarnation. */
    public WebTestClient.ResponseSpec alterPartition(String topic, int partition, int leaderId, int leaderEpoch,
                                                     int partitionEpoch, List<Integer> isr) {
        return alterPartition(topic, partition, leaderId, leaderEpoch, partitionEpoch, isr, Map.of());
    }

    /** AlterPartition as a leader sends it, with the incarnation whose fetch qualified each replica it adds. */
    public WebTestClient.ResponseSpec alterPartition(String topic, int partition, int leaderId, int leaderEpoch,
                                                     int partitionEpoch, List<Integer> isr,
                                                     Map<Integer, String> joinerIncarnations) {
        return post("/internal/topics/" + topic + "/partitions/" + partition + "/isr", Map.of(
                "leader_id", leaderId, "leader_epoch", leaderEpoch, "partition_epoch", partitionEpoch, "isr", isr,
                "joiner_incarnations", joinerIncarnations));
    }

    /** A POST with a JSON body: a map, a record, or a literal JSON string sent as is. */
    public WebTestClient.ResponseSpec post(String path, Object body) {
        WebTestClient.RequestBodySpec request = web.post().uri(path).contentType(MediaType.APPLICATION_JSON);
        return body == null ? request.exchange() : request.bodyValue(body).exchange();
    }

    public WebTestClient.ResponseSpec patch(String path, Object body) {
        return web.patch().uri(path).contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    /** Asserts an RFC 9457 problem with {@code code}'s HTTP status, error_code and retriability. */
    public static void expectProblem(WebTestClient.ResponseSpec response, ErrorCode code) {
        response.expectStatus().isEqualTo(code.httpStatus())
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.error_code").isEqualTo(code.name())
                .jsonPath("$.retriable").isEqualTo(code.retriable())
                .jsonPath("$.status").isEqualTo(code.httpStatus());
    }
}

package io.sluice.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.testing.FakeCluster;
import io.sluice.gateway.testing.FakeClusterWebTest;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Partition moves and decommissioning through the public API over a fake cluster of three nodes: what a move answers,
 * how far each adding replica is (sizes and log ends from the nodes' stats), bad requests that change nothing.
 */
@FakeClusterWebTest
class ClusterMovesTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final AtomicInteger TOPICS = new AtomicInteger();

    @Autowired
    WebTestClient client;

    @Autowired
    FakeCluster cluster;

    String topic;

    @BeforeEach
    void threeNodesAndATopic() {
        cluster.addNode(2);
        cluster.addNode(3);
        awaitNodeCount(3);
        topic = "moves-" + TOPICS.incrementAndGet();
        cluster.topicServedBy(client, topic, 2, Map.of());
    }

    @AfterEach
    void backToOneNode() {
        cluster.resetShape();
        awaitNodeCount(1);
    }

    @Test
    void aMoveIsAcceptedAndListedWithEachAddingReplicasBytesAndOffsetsToGo() {
        cluster.replica(1, topic, 0, 1000, 50);
        cluster.replica(2, topic, 0, 400, 20);

        move("{\"partitions\": [{\"topic\": \"" + topic + "\", \"partition\": 0, \"replicas\": [2, 3]}]}")
                .expectStatus().isOk().expectBody()
                .jsonPath("$.partitions[0].topic").isEqualTo(topic)
                .jsonPath("$.partitions[0].partition").isEqualTo(0)
                .jsonPath("$.partitions[0].error_code").doesNotExist();

        JsonNode move = reassignments().path("reassignments").get(0);
        assertThat(move.path("topic").asString()).isEqualTo(topic);
        assertThat(move.path("replicas").toString()).isEqualTo("[2,3,1]");
        assertThat(move.path("adding_replicas").toString()).isEqualTo("[2,3]");
        assertThat(move.path("removing_replicas").toString()).isEqualTo("[1]");
        assertThat(move.path("leader").asInt()).isEqualTo(1);
        JsonNode onTwo = move.path("progress").get(0);
        assertThat(onTwo.path("node_id").asInt()).isEqualTo(2);
        assertThat(onTwo.path("bytes_copied").asLong()).isEqualTo(400);
        assertThat(onTwo.path("bytes_to_go").asLong()).isEqualTo(600);
        assertThat(onTwo.path("offsets_to_go").asLong()).isEqualTo(30);
        assertThat(onTwo.path("bytes_per_second").isNull()).as("one sample: no rate yet").isTrue();
        assertThat(onTwo.path("eta_seconds").isNull()).isTrue();
        JsonNode onThree = move.path("progress").get(1);
        assertThat(onThree.path("bytes_copied").asLong()).as("a replica not created yet is empty").isZero();
        assertThat(onThree.path("bytes_to_go").asLong()).isEqualTo(1000);
        assertThat(onThree.path("offsets_to_go").asLong()).isEqualTo(50);
    }

    @Test
    void aNodeThatDoesNotAnswerLeavesItsReplicasProgressUnknown() {
        cluster.replica(1, topic, 1, 1000, 50);
        cluster.silence(3);
        move("{\"partitions\": [{\"topic\": \"" + topic + "\", \"partition\": 1, \"replicas\": [1, 3]}]}")
                .expectStatus().isOk();

        JsonNode onThree = reassignments().path("reassignments").get(0).path("progress").get(0);
        assertThat(onThree.path("node_id").asInt()).isEqualTo(3);
        assertThat(onThree.path("bytes_copied").isNull()).isTrue();
        assertThat(onThree.path("bytes_to_go").isNull()).isTrue();
        assertThat(onThree.path("offsets_to_go").isNull()).isTrue();
        assertThat(onThree.path("eta_seconds").isNull()).isTrue();
    }

    @Test
    void aCancelEndsTheMoveAndACancelOfNothingIsAConflict() {
        move("{\"partitions\": [{\"topic\": \"" + topic + "\", \"partition\": 0, \"replicas\": [2]}]}")
                .expectStatus().isOk();

        client.delete().uri("/v1/reassignments/{t}/0", topic).exchange().expectStatus().isNoContent();

        assertThat(reassignments().path("reassignments").isEmpty()).isTrue();
        client.delete().uri("/v1/reassignments/{t}/0", topic).exchange().expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.error_code").isEqualTo("NO_REASSIGNMENT_IN_PROGRESS");
    }

    @Test
    void somePartitionsRefusedIs207AndAllRefusedIsTheFirstRefusalsProblem() {
        move("{\"partitions\": [{\"topic\": \"" + topic + "\", \"partition\": 0, \"replicas\": [2]}, "
                + "{\"topic\": \"" + topic + "\", \"partition\": 1, \"replicas\": null}]}")
                .expectStatus().isEqualTo(207).expectBody()
                .jsonPath("$.partitions[0].error_code").doesNotExist()
                .jsonPath("$.partitions[1].error_code").isEqualTo("NO_REASSIGNMENT_IN_PROGRESS");

        move("{\"partitions\": [{\"topic\": \"" + topic + "\", \"partition\": 1, \"replicas\": null}]}")
                .expectStatus().isEqualTo(409).expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.error_code").isEqualTo("NO_REASSIGNMENT_IN_PROGRESS")
                .jsonPath("$.partitions[0].partition").isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "no partitions          | {\"partitions\": []}                                                  | 400 | INVALID_REQUEST",
            "no body members        | {}                                                                    | 400 | INVALID_REQUEST",
            "no partition number    | {\"partitions\": [{\"topic\": \"TOPIC\", \"replicas\": [2]}]}         | 400 | INVALID_REQUEST",
            "a partition twice      | {\"partitions\": [{\"topic\": \"TOPIC\", \"partition\": 0, \"replicas\": [2]}, {\"topic\": \"TOPIC\", \"partition\": 0, \"replicas\": [3]}]} | 400 | INVALID_REQUEST",
            "an empty target        | {\"partitions\": [{\"topic\": \"TOPIC\", \"partition\": 0, \"replicas\": []}]}     | 400 | INVALID_REPLICA_ASSIGNMENT",
            "a node twice           | {\"partitions\": [{\"topic\": \"TOPIC\", \"partition\": 0, \"replicas\": [2, 2]}]} | 400 | INVALID_REPLICA_ASSIGNMENT",
            "a replica not an int   | {\"partitions\": [{\"topic\": \"TOPIC\", \"partition\": 0, \"replicas\": [\"two\"]}]} | 400 | INVALID_REQUEST",
            "an unknown field       | {\"partitions\": [{\"topic\": \"TOPIC\", \"partiton\": 0, \"replicas\": [2]}]}  | 400 | INVALID_REQUEST",
            "a bad topic name       | {\"partitions\": [{\"topic\": \"a b\", \"partition\": 0, \"replicas\": [2]}]}     | 400 | INVALID_TOPIC_NAME",
            "an unknown node        | {\"partitions\": [{\"topic\": \"TOPIC\", \"partition\": 0, \"replicas\": [2, 9]}]} | 404 | UNKNOWN_NODE",
            "an unknown partition   | {\"partitions\": [{\"topic\": \"TOPIC\", \"partition\": 2, \"replicas\": [2]}]}    | 404 | UNKNOWN_PARTITION",
            "an unknown topic after a good one | {\"partitions\": [{\"topic\": \"TOPIC\", \"partition\": 0, \"replicas\": [2]}, {\"topic\": \"nope-moves\", \"partition\": 0, \"replicas\": [2]}]} | 404 | UNKNOWN_TOPIC"})
    void aBadMoveRequestIsAProblemAndChangesNothing(String name, String body, int status, String errorCode) {
        int before = cluster.reassignmentRequests();

        move(body.replace("TOPIC", topic)).expectStatus().isEqualTo(status)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.error_code").isEqualTo(errorCode);

        assertThat(cluster.reassignmentRequests()).as("nothing asked of the coordinator").isEqualTo(before);
        assertThat(reassignments().path("reassignments").isEmpty()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "no body members     | {}                                                    | INVALID_REQUEST",
            "no topics           | {\"topics\": [], \"nodes\": [1]}                  | INVALID_REQUEST",
            "no nodes            | {\"topics\": [\"TOPIC\"]}                         | INVALID_REQUEST",
            "a null node         | {\"topics\": [\"TOPIC\"], \"nodes\": [1, null]} | INVALID_REQUEST",
            "a node not an int   | {\"topics\": [\"TOPIC\"], \"nodes\": [\"one\"]} | INVALID_REQUEST",
            "an unknown field    | {\"topic\": [\"TOPIC\"], \"nodes\": [1]}        | INVALID_REQUEST",
            "a bad topic name    | {\"topics\": [\"a b\"], \"nodes\": [1]}         | INVALID_TOPIC_NAME"})
    void aBadProposalRequestIsRefusedBeforeTheCoordinatorIsAsked(String name, String body, String errorCode) {
        // The fake coordinator fails every proposal: a request that reached it would be a 500.
        client.post().uri("/v1/reassignments/proposal").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body.replace("TOPIC", topic)).exchange()
                .expectStatus().isEqualTo(400)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.error_code").isEqualTo(errorCode);
    }

    @Test
    void aDecommissionIsAcceptedListedAndCancelled() {
        client.post().uri("/v1/nodes/2/decommission").exchange().expectStatus().isAccepted().expectBody()
                .jsonPath("$.node_id").isEqualTo(2)
                .jsonPath("$.status").isEqualTo("ALIVE")
                .jsonPath("$.partitions_remaining").isEqualTo(0)
                .jsonPath("$.partitions_moving_off").isEqualTo(0)
                .jsonPath("$.safe_to_remove").isEqualTo(true);
        client.get().uri("/v1/decommissions").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.decommissions.length()").isEqualTo(1)
                .jsonPath("$.decommissions[0].node_id").isEqualTo(2);
        client.get().uri("/v1/nodes").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.nodes[1].node_id").isEqualTo(2)
                .jsonPath("$.nodes[1].decommissioning").isEqualTo(true)
                .jsonPath("$.nodes[2].decommissioning").isEqualTo(false);

        client.delete().uri("/v1/nodes/2/decommission").exchange().expectStatus().isNoContent();

        client.get().uri("/v1/decommissions").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.decommissions.length()").isEqualTo(0);
    }

    @Test
    void aNodesMoveThrottleIsSetShownAndCleared() {
        client.put().uri("/v1/nodes/2/move-throttle").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"bytes_per_second\": 10485760}").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.node_id").isEqualTo(2)
                .jsonPath("$.move_throttle_bytes_per_second").isEqualTo(10485760);
        client.get().uri("/v1/nodes").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.nodes[1].move_throttle_bytes_per_second").isEqualTo(10485760)
                .jsonPath("$.nodes[2].move_throttle_bytes_per_second").isEmpty();

        client.delete().uri("/v1/nodes/2/move-throttle").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.move_throttle_bytes_per_second").isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "2 | {\"bytes_per_second\": 0}    | 400 | INVALID_REQUEST",
            "2 | {}                          | 400 | INVALID_REQUEST",
            "2 | {\"bytes_per_second\": \"x\"} | 400 | INVALID_REQUEST",
            "9 | {\"bytes_per_second\": 100}  | 404 | UNKNOWN_NODE",
    })
    void aBadMoveThrottleIsAProblemAndChangesNothing(int node, String body, int status, String errorCode) {
        client.put().uri("/v1/nodes/" + node + "/move-throttle").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body).exchange().expectStatus().isEqualTo(status)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.error_code").isEqualTo(errorCode);

        client.get().uri("/v1/nodes").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.nodes[1].move_throttle_bytes_per_second").isEmpty();
    }

    @Test
    void aDeadNodeSaysSinceWhen() {
        cluster.declareDead(3, 1_795_000_000_000L);

        client.get().uri("/v1/nodes").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.nodes[2].status").isEqualTo("DEAD")
                .jsonPath("$.nodes[2].dead_since").isEqualTo("2026-11-18T11:06:40Z")
                .jsonPath("$.nodes[1].dead_since").isEmpty();
    }

    @Test
    void decommissioningANodeThatIsNotRegisteredOrNotANumberIsAProblem() {
        client.post().uri("/v1/nodes/9/decommission").exchange().expectStatus().isNotFound().expectBody()
                .jsonPath("$.error_code").isEqualTo("UNKNOWN_NODE");
        client.post().uri("/v1/nodes/two/decommission").exchange().expectStatus().isBadRequest().expectBody()
                .jsonPath("$.error_code").isEqualTo("INVALID_REQUEST");
    }

    private WebTestClient.ResponseSpec move(String body) {
        return client.post().uri("/v1/reassignments").contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange();
    }

    private JsonNode reassignments() {
        byte[] body = client.get().uri("/v1/reassignments").exchange().expectStatus().isOk()
                .expectBody().returnResult().getResponseBody();
        return JSON.readTree(body);
    }

    /** Waits until this gateway's metadata has {@code count} nodes (the fake's metadata polls answer within 50 ms). */
    private void awaitNodeCount(int count) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            byte[] body = client.get().uri("/v1/cluster").exchange().expectBody().returnResult().getResponseBody();
            if (JSON.readTree(body).path("node_count").asInt() == count) {
                return;
            }
            assertThat(System.nanoTime()).as("the gateway's metadata never had %d nodes", count).isLessThan(deadline);
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}

package io.sluice.gateway.produce;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.testing.GatewayCluster;
import io.sluice.gateway.testing.SharedGatewayCluster;
import io.sluice.testing.Waits;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * {@code /v1/transactions} against real processes: writes made through two gateways, and a group's offsets, become
 * visible together at the commit; an abort, a timeout and a newer begin of the same transactional id leave nothing
 * visible to read_committed readers; {@code /v1/transactional-ids} lists and describes the ids by state and producer.
 */
@ExtendWith(SharedGatewayCluster.class)
class HttpTransactionsIT {

    private static GatewayCluster cluster;

    @BeforeAll
    static void useSharedCluster(GatewayCluster shared) {
        cluster = shared;
    }

    @Test
    void writesThroughTwoGatewaysAndAGroupsOffsetsCommitTogether() throws Exception {
        cluster.createTopic("txn-res-in", 1, 3, Map.of());
        cluster.createTopic("txn-res-out", 2, 3, Map.of());
        // What the worker consumed: the group's offset after the transaction is 7.
        GatewayCluster.Response input = cluster.postJson("/v1/topics/txn-res-in/records?format=string",
                "{\"records\":[" + "{\"value\":\"in\"},".repeat(6) + "{\"value\":\"in\"}]}");
        assertThat(input.status()).as(input.text()).isEqualTo(200);
        String second = cluster.startGateway("gateway-txn");
        try {
            JsonNode begun = begin("{\"transactional_id\": \"txn-res-worker\"}");
            String txn = begun.path("transaction").asString();
            assertThat(begun.path("transactional_id").asString()).isEqualTo("txn-res-worker");

            GatewayCluster.Response first = cluster.postJson("/v1/transactions/" + txn + "/records?format=string", """
                    {"records":[{"topic":"txn-res-out","partition":0,"value":"a"},
                                {"topic":"txn-res-out","partition":1,"value":"b"}]}""");
            assertThat(first.status()).as(first.text()).isEqualTo(200);
            HttpResponse<String> next = post(second, "/v1/transactions/" + txn + "/records?format=string", """
                    {"records":[{"topic":"txn-res-out","partition":0,"value":"c"}]}""");
            assertThat(next.statusCode()).as("a write through another gateway: " + next.body()).isEqualTo(200);
            assertThat(GatewayCluster.JSON.readTree(next.body()).path("results").get(0).path("offset").asLong())
                    .as("after the first write's record").isEqualTo(1);
            GatewayCluster.Response offsets = cluster.postJson("/v1/transactions/" + txn + "/offsets", """
                    {"group_id":"txn-res-group","offsets":[{"topic":"txn-res-in","partition":0,"offset":7}]}""");
            assertThat(offsets.status()).as(offsets.text()).isEqualTo(204);

            assertThat(cluster.values(committed("txn-res-out", 0))).as("nothing before the commit").isEmpty();
            assertThat(describe(txn).path("state").asString()).isEqualTo("ONGOING");
            assertThat(post(second, "/v1/transactions/" + txn + "/commit", "").statusCode()).isEqualTo(204);

            cluster.awaitValues(committed("txn-res-out", 0), "a", "c");
            cluster.awaitValues(committed("txn-res-out", 1), "b");
            // The group's offsets are committed once the markers are written.
            Waits.await("the group's offset committed with the transaction", Duration.ofSeconds(30), () ->
                    cluster.call("GET", "/v1/groups/txn-res-group", null, null).text()
                            .contains("\"committed_offset\":7") ? Boolean.TRUE : null);
        } finally {
            cluster.kill("gateway-txn");
        }
    }

    @Test
    void anAbortedATimedOutAndAFencedTransactionLeaveNothingVisible() {
        cluster.createTopic("txn-res-gone", 1, 3, Map.of());
        String aborted = begin("{}").path("transaction").asString();
        assertThat(write(aborted, "aborted").status()).isEqualTo(200);
        assertThat(cluster.postJson("/v1/transactions/" + aborted + "/abort", "").status()).isEqualTo(204);

        String timedOut = begin("{\"timeout_ms\": 1000}").path("transaction").asString();
        assertThat(write(timedOut, "timed-out").status()).isEqualTo(200);
        // The coordinator aborts it at its timeout, under the next epoch: the commit is refused as fenced.
        GatewayCluster.Response late = null;
        for (int i = 0; i < 100 && (late == null || late.status() == 200); i++) {
            GatewayCluster.sleep(Duration.ofMillis(100));
            late = cluster.call("GET", "/v1/transactions/" + timedOut, null, null);
            if (late.status() == 200 && late.json().path("state").asString().contains("ABORT")) {
                break;
            }
        }
        GatewayCluster.Response commitLate = cluster.postJson("/v1/transactions/" + timedOut + "/commit", "");
        assertThat(commitLate.status()).as(commitLate.text()).isEqualTo(409);
        assertThat(commitLate.text()).contains("PRODUCER_FENCED");

        String fenced = begin("{\"transactional_id\": \"txn-res-twice\"}").path("transaction").asString();
        assertThat(write(fenced, "fenced").status()).isEqualTo(200);
        String newer = begin("{\"transactional_id\": \"txn-res-twice\"}").path("transaction").asString();
        GatewayCluster.Response zombie = write(fenced, "zombie");
        assertThat(zombie.status()).as(zombie.text()).isEqualTo(409);
        assertThat(zombie.text()).contains("PRODUCER_FENCED");
        assertThat(write(newer, "newer").status()).isEqualTo(200);
        assertThat(cluster.postJson("/v1/transactions/" + newer + "/commit", "").status()).isEqualTo(204);

        cluster.awaitValues(committed("txn-res-gone", 0), "newer");
        cluster.awaitValues(uncommitted("txn-res-gone"), "aborted", "timed-out", "fenced", "newer");
    }

    @Test
    void aBadTransactionIsRefusedAndNothingIsWritten() {
        cluster.createTopic("txn-res-bad", 1, 3, Map.of());

        GatewayCluster.Response notOne = cluster.postJson("/v1/transactions/nope/records?format=string", """
                {"records":[{"topic":"txn-res-bad","value":"x"}]}""");
        GatewayCluster.Response badTimeout = cluster.postJson("/v1/transactions", "{\"timeout_ms\": 0}");
        GatewayCluster.Response unknownField = cluster.postJson("/v1/transactions", "{\"transactional\": \"x\"}");
        String txn = begin("{}").path("transaction").asString();
        GatewayCluster.Response unknownTopic = cluster.postJson("/v1/transactions/" + txn + "/records?format=string",
                "{\"records\":[{\"topic\":\"txn-res-nope\",\"value\":\"x\"}]}");
        GatewayCluster.Response noOffsets = cluster.postJson("/v1/transactions/" + txn + "/offsets",
                "{\"group_id\": \"txn-res-bad-group\", \"offsets\": []}");
        GatewayCluster.Response noGroup = cluster.postJson("/v1/transactions/" + txn + "/offsets",
                "{\"offsets\": [{\"topic\": \"txn-res-bad\", \"partition\": 0, \"offset\": 1}]}");
        GatewayCluster.Response offsetsOfNoTopic = cluster.postJson("/v1/transactions/" + txn + "/offsets",
                "{\"group_id\": \"txn-res-bad-group\", \"offsets\": [{\"topic\": \"txn-res-nope\", "
                        + "\"partition\": 0, \"offset\": 1}]}");
        GatewayCluster.Response offsetPastTheEnd = cluster.postJson("/v1/transactions/" + txn + "/offsets",
                "{\"group_id\": \"txn-res-bad-group\", \"offsets\": [{\"topic\": \"txn-res-bad\", "
                        + "\"partition\": 0, \"offset\": 5}]}");

        assertThat(notOne.status()).isEqualTo(400);
        assertThat(notOne.text()).contains("Not a transaction: 'nope'");
        assertThat(badTimeout.status()).isEqualTo(400);
        assertThat(unknownField.status()).isEqualTo(400);
        assertThat(unknownField.text()).contains("transactional");
        assertThat(unknownTopic.status()).isEqualTo(404);
        assertThat(noOffsets.status()).isEqualTo(400);
        assertThat(noOffsets.text()).contains("offsets must name at least one");
        assertThat(noGroup.status()).isEqualTo(400);
        assertThat(noGroup.text()).contains("group_id is needed");
        assertThat(offsetsOfNoTopic.status()).as(offsetsOfNoTopic.text()).isEqualTo(404);
        assertThat(offsetsOfNoTopic.text()).contains("UNKNOWN_TOPIC", "txn-res-nope");
        assertThat(offsetPastTheEnd.status()).as(offsetPastTheEnd.text()).isEqualTo(416);
        assertThat(describe(txn).path("groups")).as("no group joined the transaction").isEmpty();
        assertThat(cluster.postJson("/v1/transactions/" + txn + "/commit", "").status())
                .as("a transaction with nothing in it commits nothing").isEqualTo(204);
        assertThat(cluster.highWatermarks("txn-res-bad")).containsExactly(0L);
    }

    @Test
    void transactionalIdsAreListedByStateAndProducerIdAndDescribedByTheirId() {
        cluster.createTopic("txn-ids", 1, 3, Map.of());
        JsonNode open = begin("{\"transactional_id\": \"txn-ids-open\", \"timeout_ms\": 120000}");
        String openTxn = open.path("transaction").asString();
        assertThat(cluster.postJson("/v1/transactions/" + openTxn + "/records?format=string",
                "{\"records\":[{\"topic\":\"txn-ids\",\"value\":\"x\"}]}").status()).isEqualTo(200);
        JsonNode done = begin("{\"transactional_id\": \"txn-ids-done\"}");
        assertThat(cluster.postJson("/v1/transactions/" + done.path("transaction").asString() + "/commit", "")
                .status()).isEqualTo(204);

        assertThat(listed("")).contains("txn-ids-done", "txn-ids-open");
        assertThat(listed("?state=ONGOING")).contains("txn-ids-open").doesNotContain("txn-ids-done");
        assertThat(listed("?state=EMPTY,COMPLETE_COMMIT&state=PREPARE_COMMIT")).contains("txn-ids-done")
                .doesNotContain("txn-ids-open");
        assertThat(listed("?producer_id=" + done.path("producer_id").asLong())).containsExactly("txn-ids-done");

        GatewayCluster.Response described = cluster.call("GET", "/v1/transactional-ids/txn-ids-open", null, null);
        assertThat(described.status()).as(described.text()).isEqualTo(200);
        JsonNode txn = described.json();
        assertThat(txn.path("producer_id").asLong()).isEqualTo(open.path("producer_id").asLong());
        assertThat(txn.path("producer_epoch").asInt()).isEqualTo(open.path("producer_epoch").asInt());
        assertThat(txn.path("state").asString()).isEqualTo("ONGOING");
        assertThat(txn.path("timeout_ms").asInt()).isEqualTo(120000);
        assertThat(txn.path("partitions").toString()).isEqualTo("[{\"topic\":\"txn-ids\",\"partition\":0}]");
        assertThat(Instant.parse(txn.path("started_at").asString())).isBeforeOrEqualTo(Instant.now());
        assertThat(cluster.call("GET", "/v1/transactions/" + openTxn, null, null).json())
                .as("the same view as the token's describe").isEqualTo(txn);

        GatewayCluster.Response unknown = cluster.call("GET", "/v1/transactional-ids/txn-ids-never", null, null);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.text()).contains("TRANSACTIONAL_ID_NOT_FOUND");
        GatewayCluster.Response badState = cluster.call("GET", "/v1/transactional-ids?state=RUNNING", null, null);
        assertThat(badState.status()).isEqualTo(400);
        assertThat(badState.text()).contains("INVALID_REQUEST", "RUNNING");
        assertThat(cluster.call("GET", "/v1/transactional-ids?producer_id=x", null, null).status()).isEqualTo(400);
        assertThat(cluster.postJson("/v1/transactions/" + openTxn + "/abort", "").status()).isEqualTo(204);
    }

    private static List<String> listed(String query) {
        GatewayCluster.Response list = cluster.call("GET", "/v1/transactional-ids" + query, null, null);
        assertThat(list.status()).as(list.text()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        list.json().path("transactional_ids").forEach(txn -> ids.add(txn.path("transactional_id").asString()));
        assertThat(ids).as("by id").isSorted();
        return ids;
    }

    private static JsonNode begin(String body) {
        GatewayCluster.Response begun = cluster.postJson("/v1/transactions", body);
        assertThat(begun.status()).as(begun.text()).isEqualTo(201);
        return begun.json();
    }

    private static GatewayCluster.Response write(String txn, String value) {
        return cluster.postJson("/v1/transactions/" + txn + "/records?format=string",
                "{\"records\":[{\"topic\":\"txn-res-gone\",\"value\":\"" + value + "\"}]}");
    }

    private static JsonNode describe(String txn) {
        GatewayCluster.Response described = cluster.call("GET", "/v1/transactions/" + txn, null, null);
        assertThat(described.status()).as(described.text()).isEqualTo(200);
        return described.json();
    }

    private static HttpResponse<String> post(String gatewayUrl, String pathAndQuery, String body) throws Exception {
        return cluster.http().send(HttpRequest.newBuilder(URI.create(gatewayUrl + pathAndQuery))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String committed(String topic, int partition) {
        return "/v1/topics/" + topic + "/partitions/" + partition
                + "/records?format=string&isolation_level=read_committed";
    }

    private static String uncommitted(String topic) {
        return "/v1/topics/" + topic + "/partitions/0/records?format=string";
    }
}

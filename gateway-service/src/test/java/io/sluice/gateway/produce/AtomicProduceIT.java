package io.sluice.gateway.produce;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.testing.GatewayCluster;
import io.sluice.gateway.testing.SharedGatewayCluster;
import io.sluice.launcher.LocalCluster;
import io.sluice.testing.Waits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /v1/records} against real processes: records to several topics and partitions become visible to
 * read_committed readers together, or, when one partition cannot be written, never.
 */
@ExtendWith(SharedGatewayCluster.class)
class AtomicProduceIT {

    private static GatewayCluster cluster;

    @BeforeAll
    static void useSharedCluster(GatewayCluster shared) {
        cluster = shared;
    }

    @Test
    void recordsToTwoTopicsAndThreePartitionsAreCommittedTogetherAndAnsweredInRequestOrder() {
        cluster.createTopic("atomic-orders", 2, 3, Map.of());
        cluster.createTopic("atomic-payments", 1, 3, Map.of());

        GatewayCluster.Response answer = cluster.postJson("/v1/records?format=string", """
                {"records":[{"topic":"atomic-orders","partition":1,"value":"order-1"},
                            {"topic":"atomic-payments","value":"payment-1"},
                            {"topic":"atomic-orders","partition":0,"value":"order-0"},
                            {"topic":"atomic-orders","partition":1,"value":"order-2"}]}""");

        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        JsonNode body = answer.json();
        assertThat(body.get("transactional_id").asString()).startsWith("sluice-http-0-");
        List<String> landed = new ArrayList<>();
        body.get("results").forEach(result -> landed.add(result.get("topic").asString() + "-"
                + result.get("partition").asInt() + "@" + result.get("offset").asLong()));
        assertThat(landed).containsExactly("atomic-orders-1@0", "atomic-payments-0@0", "atomic-orders-0@0",
                "atomic-orders-1@1");
        cluster.awaitValues(committed("atomic-orders", 1), "order-1", "order-2");
        cluster.awaitValues(committed("atomic-orders", 0), "order-0");
        cluster.awaitValues(committed("atomic-payments", 0), "payment-1");
    }

    /**
     * The payments topic has one replica; its node is stopped, so its partition cannot be written within the
     * request's timeout. The orders partition is written, but its records are never visible to read_committed
     * readers: the transaction aborts. Once the node is back, the same request commits.
     */
    @Test
    void aPartitionThatCannotBeWrittenAbortsTheWholeRequestForReadCommittedReaders() {
        cluster.createTopic("atomic-all-orders", 1, 3, Map.of());
        cluster.createTopic("atomic-all-payments", 1, 1, Map.of());
        int nodeId = cluster.leader("atomic-all-payments", 0);
        String node = LocalCluster.partition(nodeId);
        String request = """
                {"records":[{"topic":"atomic-all-orders","value":"order-%1$s"},
                            {"topic":"atomic-all-payments","value":"payment-%1$s"}]}""";

        cluster.processes().stop(node);
        GatewayCluster.Response failed;
        try {
            // The orders partition is written by the other two nodes: its leader and in-sync replicas move off the
            // stopped node first, so that only the payments partition fails.
            Waits.await("the orders partition served without node " + nodeId, Duration.ofSeconds(60), () -> {
                JsonNode partition = cluster.describe("atomic-all-orders").path("partitions").get(0);
                boolean moved = partition.path("leader").asInt() != nodeId;
                for (JsonNode replica : partition.path("isr")) {
                    moved &= replica.asInt() != nodeId;
                }
                return moved ? Boolean.TRUE : null;
            });
            failed = cluster.postJson("/v1/records?format=string&timeout_ms=3000", request.formatted("aborted"));
        } finally {
            cluster.processes().start(node);
        }

        assertThat(failed.status()).as(failed.text()).isGreaterThanOrEqualTo(500);
        assertThat(failed.json().get("detail").asString()).contains("of topic 'atomic-all-payments' was not written",
                "The transaction was aborted");
        cluster.awaitValues(uncommitted("atomic-all-orders"), "order-aborted");
        cluster.awaitValues(committed("atomic-all-orders"));

        GatewayCluster.Response retried = cluster.postJson("/v1/records?format=string", request.formatted("committed"));
        assertThat(retried.status()).as(retried.text()).isEqualTo(200);
        cluster.awaitValues(committed("atomic-all-orders"), "order-committed");
        cluster.awaitValues(committed("atomic-all-payments"), "payment-committed");
        cluster.awaitValues(uncommitted("atomic-all-orders"), "order-aborted", "order-committed");
    }

    @Test
    void aBadRecordRefusesTheRequestAndNothingIsWritten() {
        cluster.createTopic("atomic-bad", 2, 3, Map.of());

        GatewayCluster.Response unknownTopic = cluster.postJson("/v1/records?format=string", """
                {"records":[{"topic":"atomic-bad","value":"a"},{"topic":"atomic-nope","value":"b"}]}""");
        GatewayCluster.Response badPartition = cluster.postJson("/v1/records?format=string", """
                {"records":[{"topic":"atomic-bad","value":"a"},{"topic":"atomic-bad","partition":2,"value":"b"}]}""");
        GatewayCluster.Response noTopic = cluster.postJson("/v1/records?format=string", """
                {"records":[{"value":"a"}]}""");
        GatewayCluster.Response acksOne = cluster.postJson("/v1/records?format=string&acks=1", """
                {"records":[{"topic":"atomic-bad","value":"a"}]}""");

        assertThat(unknownTopic.status()).as(unknownTopic.text()).isEqualTo(404);
        assertThat(unknownTopic.text()).contains("UNKNOWN_TOPIC", "atomic-nope");
        assertThat(badPartition.status()).as(badPartition.text()).isEqualTo(404);
        assertThat(badPartition.text()).contains("Record 1 asks for partition 2");
        assertThat(noTopic.status()).as(noTopic.text()).isEqualTo(400);
        assertThat(noTopic.text()).contains("Record 0 must name its topic");
        assertThat(acksOne.status()).as(acksOne.text()).isEqualTo(400);
        assertThat(acksOne.text()).contains("acks=all");
        assertThat(cluster.highWatermarks("atomic-bad")).containsExactly(0L, 0L);
    }

    private static String committed(String topic, int partition) {
        return "/v1/topics/" + topic + "/partitions/" + partition
                + "/records?format=string&isolation_level=read_committed";
    }

    private static String committed(String topic) {
        return committed(topic, 0);
    }

    private static String uncommitted(String topic) {
        return "/v1/topics/" + topic + "/partitions/0/records?format=string&isolation_level=read_uncommitted";
    }
}

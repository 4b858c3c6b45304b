package io.sluice.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.testing.BadRequest;
import io.sluice.gateway.testing.BadRequests;
import io.sluice.gateway.testing.GatewayCluster;
import io.sluice.gateway.testing.GatewayCluster.Response;
import io.sluice.launcher.ServiceKind;
import io.sluice.protocol.ErrorCode;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/**
 * Client mistakes against a real cluster (coordinator, one partition service, the gateway jar with a 64 KB
 * max-request-size): every bad produce, read and admin request is a 4xx problem with its error code, and it changes
 * nothing: no record is written, no topic created, no config or partition count altered.
 */
class BadInputIT {

    private static final String TOPIC = "bad-input";

    private static GatewayCluster cluster;
    private static WebTestClient client;

    @BeforeAll
    static void startCluster() {
        cluster = GatewayCluster.start("BadInputIT", 1, Map.of(
                ServiceKind.GATEWAY, List.of("--" + BadRequests.MAX_REQUEST_SIZE_SETTING),
                // A single node has no one to hand its leaderships to: do not wait for that on stop.
                ServiceKind.PARTITION, List.of("--sluice.partition.replication.shutdown-timeout=1s")));
        client = cluster.client();
        cluster.createTopic(TOPIC, BadRequests.PARTITIONS, 1, Map.of("max.message.bytes", "2048"));
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @TestFactory
    Stream<DynamicNode> badProduceRequestsAreRefusedAndWriteNothing() {
        List<BadRequest> requests = new ArrayList<>(BadRequests.produce());
        requests.addAll(BadRequests.produceToTopic());
        requests.addAll(BadRequests.produceToUnknownTopic());
        return Stream.concat(
                requests.stream().map(request -> DynamicTest.dynamicTest(request.name(),
                        () -> request.sendAndExpectProblem(client, cluster.gatewayUrl(), TOPIC))),
                Stream.of(DynamicTest.dynamicTest("nothing was written", () ->
                        assertThat(cluster.highWatermarks(TOPIC)).containsOnly(0L))));
    }

    /**
     * A JSON produce to a plain topic name is served on Reactor Netty's own route, the same produce to the name
     * percent-encoded by WebFlux's (DirectJsonProduceRoute): every bad one gets the same status and body from both.
     */
    @TestFactory
    Stream<DynamicNode> badJsonProducesGetTheSameAnswerFromBothRoutes() {
        List<BadRequest> requests = new ArrayList<>(BadRequests.produce());
        requests.addAll(BadRequests.produceToTopic());
        String encoded = TOPIC.replace("-", "%2D");
        HttpClient http = HttpClient.newHttpClient();
        return Stream.concat(requests.stream()
                        .filter(request -> request.path().contains("%s")
                                && MediaType.APPLICATION_JSON.equals(request.contentType()))
                        .map(request -> DynamicTest.dynamicTest(request.name(), () ->
                                assertThat(request.answer(http, cluster.gatewayUrl(), TOPIC)).as(request.name())
                                        .isEqualTo(request.answer(http, cluster.gatewayUrl(), encoded)))),
                Stream.of(DynamicTest.dynamicTest("nothing was written", () ->
                        assertThat(cluster.highWatermarks(TOPIC)).containsOnly(0L))));
    }

    @TestFactory
    Stream<DynamicNode> inputOutsideTheContractIsRefusedOnEveryRouteAndChangesNothing() {
        String topicsBefore = cluster.call("GET", "/v1/topics", null, null).text();
        return Stream.concat(
                BadRequests.strictInput().stream().map(request -> DynamicTest.dynamicTest(request.name(),
                        () -> request.sendAndExpectProblem(client, cluster.gatewayUrl(), TOPIC))),
                Stream.of(DynamicTest.dynamicTest("no record written, no topic created or changed", () -> {
                    assertThat(cluster.highWatermarks(TOPIC)).containsOnly(0L);
                    assertThat(cluster.call("GET", "/v1/topics", null, null).text()).isEqualTo(topicsBefore);
                })));
    }

    @Test
    void ndjsonOfOnlyBadLinesAnswersEachLineAndWritesNothing() {
        String lines = String.join("\n",
                "{\"value\": }",
                "[1, 2]",
                "{\"value\": \"x\", \"partition\": 99999999999}",
                "{\"value\": 1, \"partition\": " + BadRequests.PARTITIONS + "}",
                "{\"value\": \"" + "y".repeat(4000) + "\"}",
                "{\"value\": 1, \"timestamp\": -1}") + "\n";

        Response response = cluster.call("POST", "/v1/topics/" + TOPIC + "/records", lines, "application/x-ndjson");

        assertThat(response.status()).isEqualTo(200);
        assertThat(errorCodes(response)).containsExactly("INVALID_REQUEST", "INVALID_RECORD", "INVALID_RECORD",
                "UNKNOWN_PARTITION", "RECORD_TOO_LARGE", "INVALID_RECORD");
        assertThat(results(response).getFirst().path("detail").asString())
                .startsWith("Record 0: Malformed JSON at line 1, column 11");
        assertThat(cluster.highWatermarks(TOPIC)).containsOnly(0L);
    }

    @Test
    void ndjsonLineThatIsNotUtf8IsRefusedNotMangled() {
        byte[] lines = "{\"value\": \"caf\u00e9\"}\n{\"value\": \"caf\u00e9\"}\n"
                .getBytes(StandardCharsets.ISO_8859_1);

        byte[] answer = client.post().uri("/v1/topics/" + TOPIC + "/records")
                .contentType(BadRequest.NDJSON).accept(BadRequest.NDJSON).bodyValue(lines)
                .exchange().expectStatus().isOk()
                .expectBody().returnResult().getResponseBody();

        List<JsonNode> results = new String(answer, StandardCharsets.UTF_8).lines()
                .map(GatewayCluster.JSON::readTree).toList();
        assertThat(results).extracting(r -> r.path("error_code").asString())
                .containsExactly("INVALID_REQUEST", "INVALID_REQUEST");
        assertThat(results.getFirst().path("detail").asString()).contains("Record 0", "Invalid UTF-8");
        assertThat(cluster.highWatermarks(TOPIC)).containsOnly(0L);
    }

    @Test
    void ndjsonLineOverTheLimitEndsTheStreamAfterTheResultsBeforeIt() {
        String topic = "ndjson-limit";
        cluster.createTopic(topic, 1, 1, Map.of());
        String lines = "{\"value\": 1}\n{\"value\": 2}\n{\"value\": \"" + "z".repeat(BadRequests.MAX_REQUEST_SIZE)
                + "\"}\n{\"value\": 4}\n";

        Response response = cluster.call("POST", "/v1/topics/" + topic + "/records", lines, "application/x-ndjson");

        assertThat(response.status()).isEqualTo(200);
        List<JsonNode> results = results(response);
        assertThat(results).hasSize(3);
        assertThat(results.get(0).path("offset").asLong(-1)).isZero();
        assertThat(results.get(1).path("offset").asLong(-1)).isEqualTo(1);
        assertThat(results.get(2).path("error_code").asString()).isEqualTo(ErrorCode.REQUEST_TOO_LARGE.name());
        assertThat(results.get(2).path("detail").asString()).contains("Record 2", "nothing after it was read");
        assertThat(cluster.highWatermarks(topic)).containsExactly(2L);
    }

    @TestFactory
    Stream<DynamicNode> badReadsAreRefused() {
        return BadRequests.read().stream().map(request -> DynamicTest.dynamicTest(request.name(),
                () -> request.sendAndExpectProblem(client, cluster.gatewayUrl(), TOPIC)));
    }

    @TestFactory
    Stream<DynamicNode> badAdminRequestsAreRefusedAndChangeNothing() {
        String before = cluster.call("GET", "/v1/topics", null, null).text();
        String configsBefore = cluster.call("GET", "/v1/topics/" + TOPIC + "/configs", null, null).text();
        List<BadRequest> requests = new ArrayList<>(BadRequests.admin());
        requests.addAll(BadRequests.adminPathNames());
        return Stream.concat(
                requests.stream().map(request -> DynamicTest.dynamicTest(request.name(),
                        () -> request.sendAndExpectProblem(client, cluster.gatewayUrl(), TOPIC))),
                Stream.of(DynamicTest.dynamicTest("no topic, config or partition changed", () -> {
                    assertThat(cluster.call("GET", "/v1/topics", null, null).text()).isEqualTo(before);
                    assertThat(cluster.call("GET", "/v1/topics/" + TOPIC + "/configs", null, null).text())
                            .isEqualTo(configsBefore);
                    assertThat(cluster.describe(TOPIC).path("partition_count").asInt())
                            .isEqualTo(BadRequests.PARTITIONS);
                })));
    }

    private static List<JsonNode> results(Response ndjson) {
        return ndjson.text().lines().filter(line -> !line.isBlank()).map(GatewayCluster.JSON::readTree).toList();
    }

    private static List<String> errorCodes(Response ndjson) {
        return results(ndjson).stream().map(result -> result.path("error_code").asString()).toList();
    }
}

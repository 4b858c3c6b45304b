package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.internal.SluiceJson;
import io.sluice.internal.metadata.PartitionState;
import io.sluice.testing.SluiceCluster;
import io.sluice.testing.Waits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Produce requests with an {@code Idempotency-Key} on a real cluster of three nodes and two gateways: a request whose
 * first attempt timed out after the leader wrote it, retried through the other gateway after a SIGKILL of that leader,
 * is answered with the first write's offset and leaves one copy; 1,000 requests each retried at random through the two
 * gateways leave exactly 1,000 records; the same key with another body is 422 and appends nothing. Unkeyed requests
 * in flight at a SIGKILL of their leader are re-sent by the gateway under their producer session's stamp and written
 * once.
 */
@ExtendWith(ClusterExtension.class)
class IdempotentProduceIT {

    /** The second gateway this class starts on the shared cluster, and stops after itself. */
    private static final String SECOND_GATEWAY = "gateway-idempotent";

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final JsonMapper JSON = SluiceJson.mapper();

    private static SluiceCluster cluster;
    private static URI gatewayA;
    private static URI gatewayB;

    @BeforeAll
    static void startSecondGateway(SluiceCluster shared) {
        cluster = shared;
        gatewayA = cluster.gatewayUrl();
        gatewayB = cluster.startGateway(SECOND_GATEWAY);
    }

    @AfterAll
    static void stopSecondGateway() {
        if (gatewayB != null) {
            cluster.processes().stop(SECOND_GATEWAY);
        }
    }

    /**
     * The followers are frozen, so the leader writes the record but cannot commit it: the first attempt ends with
     * REQUEST_TIMED_OUT and stores no response. Once the followers have copied the record, the leader is killed; the
     * retry through the other gateway re-sends the same batch to the new leader, which knows the producer from
     * replication and answers the first write's offset.
     */
    @Test
    void aRequestRetriedWithTheSameKeyAcrossASigkillOfTheLeaderLeavesOneCopy() {
        String topic = "idem-failover";
        createTopic(topic, 1, 3, 2);
        String body = "[{\"key\":\"order-1042\",\"value\":{\"total\":99.5}}]";
        PartitionState before = partition(topic);
        List<Integer> followers = before.replicas().stream().filter(n -> n != before.leader()).toList();

        // Frozen for about a second: well inside the shared cluster's 2 s lag time, so they stay in the ISR.
        followers.forEach(cluster::pause);
        Response first;
        try {
            first = post(gatewayA, "/v1/topics/" + topic + "/records?acks=all&timeout_ms=1000", body, "order-1042");
        } finally {
            followers.forEach(cluster::resume);
        }
        assertThat(first.status()).as(first.text()).isGreaterThanOrEqualTo(500);
        // The record the leader wrote becomes readable once the followers copied it.
        Waits.await("the first attempt's record committed", Duration.ofSeconds(30),
                () -> readValues(gatewayA, topic, 0).size() == 1 ? Boolean.TRUE : null);

        cluster.kill(before.leader());
        Waits.await("a new leader of " + topic, Duration.ofSeconds(30), () -> {
            PartitionState now = partition(topic);
            return now.leader() != before.leader() && now.leader() != PartitionState.NO_LEADER ? now : null;
        });
        Response retry = Waits.await("the retry answered", Duration.ofSeconds(30), () -> {
            Response r = post(gatewayB, "/v1/topics/" + topic + "/records?acks=all&timeout_ms=5000", body,
                    "order-1042");
            return r.status() == 200 ? r : null;
        });

        assertThat(retry.json().get("results").get(0).get("offset").asLong()).isZero();
        assertThat(readValues(gatewayB, topic, 0)).hasSize(1);
        cluster.start(before.leader());
    }

    @Test
    void aThousandRequestsEachRetriedAtRandomThroughTwoGatewaysLeaveAThousandRecords() throws Exception {
        String topic = "idem-thousand";
        createTopic(topic, 3, 2, 1);
        Random random = new Random(16);
        List<Integer> retries = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            retries.add(random.nextInt(3)); // 0 to 2 retries
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Set<Long>>> answers = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                int request = i;
                answers.add(pool.submit(() -> {
                    String body = "[{\"value\":\"request-" + request + "\"}]";
                    Set<Long> offsets = new HashSet<>();
                    for (int attempt = 0; attempt <= retries.get(request); attempt++) {
                        URI gateway = (request + attempt) % 2 == 0 ? gatewayA : gatewayB;
                        Response answer = postUntilNotRetriable(gateway, "/v1/topics/" + topic + "/records?acks=all",
                                body, "request-" + request);
                        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
                        JsonNode result = answer.json().get("results").get(0);
                        offsets.add(result.get("partition").asLong() * 1_000_000 + result.get("offset").asLong());
                    }
                    return offsets;
                }));
            }
            for (Future<Set<Long>> answer : answers) {
                assertThat(answer.get()).as("every attempt of a request answers the same place").hasSize(1);
            }
        } finally {
            pool.shutdownNow();
        }
        List<String> values = new ArrayList<>();
        for (int p = 0; p < 3; p++) {
            values.addAll(readValues(gatewayA, topic, p));
        }
        assertThat(values).hasSize(1000).doesNotHaveDuplicates();
    }

    /**
     * Six writers, each sending one-record unkeyed acks=all requests to a partition of its own, one after another;
     * the node leading the most partitions is killed mid-stream. A request in flight at the kill has an unknown
     * outcome: the gateway re-sends it to the new leader under the same producer stamp within its timeout, so every
     * request is acknowledged, and a batch the new leader holds already is answered with its first offset rather
     * than written twice.
     */
    @Test
    void unkeyedRequestsAcrossASigkillOfTheLeaderAreAllAcknowledgedAndWrittenOnce() throws Exception {
        String topic = "idem-unkeyed";
        int partitions = 6;
        createTopic(topic, partitions, 3, 2);
        List<PartitionState> before = cluster.coordinator().describeTopic(topic).partitions();
        int victim = before.stream().collect(Collectors.groupingBy(PartitionState::leader, Collectors.counting()))
                .entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        Map<String, Long> acknowledged = new ConcurrentHashMap<>();
        AtomicBoolean writing = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(partitions);
        List<Future<List<String>>> writers = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            int partition = p;
            writers.add(pool.submit(() -> {
                List<String> failures = new ArrayList<>();
                for (int i = 0; writing.get(); i++) {
                    String value = "p" + partition + "-" + i;
                    Response answer = post(gatewayA, "/v1/topics/" + topic + "/records?acks=all&timeout_ms=25000&value_format=string",
                            "[{\"partition\":" + partition + ",\"value\":\"" + value + "\"}]", null);
                    if (answer.status() != 200) {
                        failures.add(value + ": " + answer.text());
                        continue;
                    }
                    JsonNode result = answer.json().get("results").get(0);
                    acknowledged.put(value, result.get("offset").asLong());
                }
                return failures;
            }));
        }
        try {
            Thread.sleep(1500);
            cluster.kill(victim);
            Waits.await("new leaders for the partitions node " + victim + " led", Duration.ofSeconds(30), () ->
                    cluster.coordinator().describeTopic(topic).partitions().stream()
                            .allMatch(s -> s.leader() != victim && s.leader() != PartitionState.NO_LEADER)
                            ? Boolean.TRUE : null);
            Thread.sleep(1000);
        } finally {
            writing.set(false);
            pool.shutdown();
        }
        List<String> failures = new ArrayList<>();
        for (Future<List<String>> writer : writers) {
            failures.addAll(writer.get());
        }
        cluster.start(victim);

        assertThat(failures).as("every request acknowledged").isEmpty();
        for (int p = 0; p < partitions; p++) {
            List<String> values = readValues(gatewayB, topic, p);
            assertThat(values).as("partition %d", p).doesNotHaveDuplicates();
            for (int offset = 0; offset < values.size(); offset++) {
                String value = values.get(offset);
                assertThat(acknowledged.get(value)).as("the acknowledged offset of %s", value)
                        .isEqualTo((long) offset);
            }
            int partition = p;
            assertThat(acknowledged.keySet().stream().filter(v -> v.startsWith("p" + partition + "-")))
                    .as("every acknowledged record of partition %d is there", p).hasSize(values.size());
        }
    }

    @Test
    void theSameKeyWithAnotherBodyIsRefusedAndAppendsNothing() {
        String topic = "idem-reused";
        createTopic(topic, 1, 2, 1);
        String path = "/v1/topics/" + topic + "/records?value_format=string";
        Response first = post(gatewayA, path, "[{\"value\":\"a\"}]", "key-1");
        assertThat(first.status()).as(first.text()).isEqualTo(200);

        Response reused = post(gatewayB, path, "[{\"value\":\"b\"}]", "key-1");

        assertThat(reused.status()).as(reused.text()).isEqualTo(422);
        assertThat(reused.json().get("error_code").asString()).isEqualTo("IDEMPOTENCY_KEY_REUSED");
        assertThat(readValues(gatewayA, topic, 0)).containsExactly("a");
    }

    private static void createTopic(String name, int partitions, int replicationFactor, int minInsync) {
        Response created = post(gatewayA, "/v1/topics", "{\"name\":\"" + name + "\",\"partition_count\":" + partitions
                + ",\"replication_factor\":" + replicationFactor + ",\"configs\":[{\"name\":\"min.insync.replicas\","
                + "\"value\":\"" + minInsync + "\"}]}", null);
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        for (URI gateway : List.of(gatewayA, gatewayB)) {
            Waits.await(name + " readable through " + gateway, Duration.ofSeconds(30), () -> {
                for (int p = 0; p < partitions; p++) {
                    if (get(gateway, "/v1/topics/" + name + "/partitions/" + p + "/records?max_records=1").status()
                            != 200) {
                        return null;
                    }
                }
                return Boolean.TRUE;
            });
        }
    }

    private static PartitionState partition(String topic) {
        return cluster.coordinator().describeTopic(topic).partitions().getFirst();
    }

    /** Every value in a partition up to its high watermark. */
    private static List<String> readValues(URI gateway, String topic, int partition) {
        List<String> values = new ArrayList<>();
        long offset = 0;
        while (true) {
            Response page = get(gateway, "/v1/topics/" + topic + "/partitions/" + partition + "/records?offset="
                    + offset + "&max_records=5000&value_format=string");
            assertThat(page.status()).as(page.text()).isEqualTo(200);
            JsonNode json = page.json();
            for (JsonNode record : json.get("records")) {
                values.add(record.get("value").asString());
            }
            long next = json.get("next_offset").asLong();
            if (next >= json.get("high_watermark").asLong() || next == offset) {
                return values;
            }
            offset = next;
        }
    }

    private record Response(int status, String text) {
        JsonNode json() {
            return JSON.readTree(text);
        }
    }

    private static Response get(URI gateway, String path) {
        return send(HttpRequest.newBuilder(gateway.resolve(path)).GET());
    }

    private static Response post(URI gateway, String path, String json, String idempotencyKey) {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.resolve(path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return send(request);
    }

    /**
     * A client's own retries, with the same key, of an answer marked {@code retriable} (a 503 or 504 while a loaded
     * cluster catches up), for up to a minute.
     */
    private static Response postUntilNotRetriable(URI gateway, String path, String json, String idempotencyKey) {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        Response answer = post(gateway, path, json, idempotencyKey);
        while (answer.status() >= 400 && answer.json().path("retriable").asBoolean(false)
                && System.nanoTime() < deadline) {
            Waits.sleep(Duration.ofMillis(200));
            answer = post(gateway, path, json, idempotencyKey);
        }
        return answer;
    }

    private static Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = HTTP.send(request.timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

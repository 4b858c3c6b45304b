package io.sluice.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.gateway.testing.FakeCluster;
import io.sluice.gateway.testing.FakeClusterWebTest;
import io.sluice.protocol.record.Record;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Concurrent produce requests for one leader, through the gateway: while its in-flight slots are taken they wait, and
 * go to the leader as one internal request; each client still gets the offsets of its own records. A partition is in
 * one internal request in flight at most, so each slot here is taken by a partition of its own. A leader queue that is
 * full answers 429 THROTTLED with Retry-After.
 */
@FakeClusterWebTest
@TestPropertySource(properties = {
        "sluice.gateway.produce.coalescing.max-in-flight-per-leader=" + ProduceCoalescingTest.IN_FLIGHT,
        "sluice.gateway.produce.coalescing.max-queued-requests=" + ProduceCoalescingTest.QUEUED})
class ProduceCoalescingTest {

    static final int IN_FLIGHT = 2;
    static final int QUEUED = 30;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Held requests wait while the others arrive: generous bounds for a loaded machine, not a measure. */
    private static final Duration WAIT = Duration.ofMinutes(1);

    @Autowired
    WebTestClient client;

    @Autowired
    FakeCluster cluster;

    @Autowired
    MeterRegistry meters;

    @Test
    void concurrentOneRecordRequestsReachTheLeaderAsFewRequestsAndEachClientGetsItsOwnOffset() throws Exception {
        String topic = topic("coalesced");
        cluster.holdProduce(topic);

        List<JsonNode> results;
        try (ExecutorService threads = Executors.newFixedThreadPool(IN_FLIGHT + QUEUED)) {
            List<Future<EntityExchangeResult<byte[]>>> answers = fillLeaderAndQueue(topic, threads);
            cluster.releaseProduce(topic);
            results = new ArrayList<>();
            for (Future<EntityExchangeResult<byte[]>> answer : answers) {
                EntityExchangeResult<byte[]> result = answer.get();
                assertThat(result.getStatus().value()).isEqualTo(200);
                results.add(JSON.readTree(result.getResponseBody()).path("results").get(0));
            }
        }

        assertThat(cluster.produceRequests(topic)).as("the %d that waited went as one request", QUEUED)
                .isEqualTo(IN_FLIGHT + 1);
        Set<String> places = new HashSet<>();
        for (int i = 0; i < IN_FLIGHT + QUEUED; i++) {
            int partition = partitionOf(i);
            long offset = results.get(i).path("offset").asLong();
            assertThat(results.get(i).path("partition").asInt()).isEqualTo(partition);
            places.add(partition + "@" + offset);
            List<Record> stored = cluster.records(topic, partition);
            assertThat(new String(stored.get((int) offset).value(), StandardCharsets.UTF_8))
                    .as("the record at client %d's offset", i).isEqualTo("\"client-" + i + "\"");
        }
        assertThat(places).hasSize(IN_FLIGHT + QUEUED);
        assertThat(cluster.records(topic, IN_FLIGHT)).hasSize(QUEUED);
    }

    /**
     * A slot is free, but the partition is in the request in flight: the next record for it waits for that one, so
     * that the leader never has two requests for one partition to append in either order; both are written, in order.
     */
    @Test
    void aSecondRecordForAPartitionInFlightWaitsThoughASlotIsFree() throws Exception {
        String topic = topic("one-partition");
        cluster.holdProduce(topic);

        try (ExecutorService threads = Executors.newFixedThreadPool(2)) {
            Future<EntityExchangeResult<byte[]>> first = threads.submit(() -> produce(topic, 0, "first"));
            await().atMost(WAIT).untilAsserted(() -> assertThat(cluster.produceRequests(topic)).isEqualTo(1));
            Future<EntityExchangeResult<byte[]>> second = threads.submit(() -> produce(topic, 0, "second"));
            await().atMost(WAIT).untilAsserted(() -> assertThat(queued()).as("requests waiting").isEqualTo(1));
            assertThat(cluster.produceRequests(topic)).as("requests at the leader").isEqualTo(1);

            cluster.releaseProduce(topic);
            for (Future<EntityExchangeResult<byte[]>> answer : List.of(first, second)) {
                assertThat(answer.get().getStatus().value()).isEqualTo(200);
            }
        }
        assertThat(cluster.records(topic, 0)).extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                .containsExactly("\"first\"", "\"second\"");
    }

    @Test
    void aFullLeaderQueueAnswers429ThrottledWithRetryAfterAndTheWaitingRequestsAreStillWritten() throws Exception {
        String topic = topic("throttled");
        cluster.holdProduce(topic);

        try (ExecutorService threads = Executors.newFixedThreadPool(IN_FLIGHT + QUEUED)) {
            List<Future<EntityExchangeResult<byte[]>>> answers = fillLeaderAndQueue(topic, threads);

            client.post().uri("/v1/topics/" + topic + "/records").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue("[{\"value\": \"one too many\"}]").exchange()
                    .expectStatus().isEqualTo(429)
                    .expectHeader().valueEquals("Retry-After", "1")
                    .expectBody()
                    .jsonPath("$.error_code").isEqualTo("THROTTLED")
                    .jsonPath("$.retriable").isEqualTo(true)
                    .jsonPath("$.results[0].detail").value(detail ->
                            assertThat((String) detail).contains("produce queue for node 1 is full"));

            cluster.releaseProduce(topic);
            for (Future<EntityExchangeResult<byte[]>> answer : answers) {
                assertThat(answer.get().getStatus().value()).isEqualTo(200);
            }
        }
        List<Record> stored = new ArrayList<>();
        for (int partition = 0; partition <= IN_FLIGHT; partition++) {
            stored.addAll(cluster.records(topic, partition));
        }
        assertThat(stored).hasSize(IN_FLIGHT + QUEUED)
                .noneMatch(r -> new String(r.value(), StandardCharsets.UTF_8).contains("one too many"));
    }

    /** A new topic of {@value #IN_FLIGHT} + 1 partitions, once the gateway's metadata has it. */
    private String topic(String prefix) {
        String name = prefix + "-" + System.nanoTime();
        cluster.topicServedBy(client, name, IN_FLIGHT + 1, Map.of());
        return name;
    }

    /** Client {@code i}'s partition: the first {@value #IN_FLIGHT} one each, the others the last one. */
    private static int partitionOf(int client) {
        return Math.min(client, IN_FLIGHT);
    }

    /** A one-record produce to {@code partition} that waits as long as its request is held. */
    private EntityExchangeResult<byte[]> produce(String topic, int partition, String value) {
        return client.mutate().responseTimeout(WAIT).build()
                .post().uri("/v1/topics/" + topic + "/records").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("[{\"partition\": " + partition + ", \"value\": \"" + value + "\"}]").exchange()
                .expectBody().returnResult();
    }

    /**
     * Sends client {@code i}'s record {@code "client-i"} to {@link #partitionOf its partition}: the first
     * {@value #IN_FLIGHT} one at a time, each until the leader holds it, so that each takes an in-flight slot alone;
     * then {@value #QUEUED} more at once, until all wait behind them. (Sent together, the first ones could share a
     * slot, and a queued one could take the last.)
     */
    private List<Future<EntityExchangeResult<byte[]>>> fillLeaderAndQueue(String topic, ExecutorService threads) {
        List<Future<EntityExchangeResult<byte[]>>> answers = new ArrayList<>();
        for (int i = 0; i < IN_FLIGHT + QUEUED; i++) {
            String value = "client-" + i;
            int partition = partitionOf(i);
            answers.add(threads.submit(() -> produce(topic, partition, value)));
            int sent = i + 1;
            if (sent <= IN_FLIGHT) {
                await().atMost(WAIT).untilAsserted(() -> assertThat(cluster.produceRequests(topic))
                        .as("requests at the leader").isEqualTo(sent));
            }
        }
        await().atMost(WAIT).untilAsserted(() -> assertThat(queued()).as("requests waiting").isEqualTo(QUEUED));
        assertThat(cluster.produceRequests(topic)).as("requests at the leader").isEqualTo(IN_FLIGHT);
        return answers;
    }

    private double queued() {
        return meters.get("sluice.gateway.produce.queue.requests").tag("node", Integer.toString(FakeCluster.NODE.id()))
                .gauge().value();
    }
}

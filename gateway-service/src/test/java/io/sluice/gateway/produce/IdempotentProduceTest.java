package io.sluice.gateway.produce;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.testing.FakeCluster;
import io.sluice.gateway.testing.FakeClusterWebTest;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.record.RecordBatch;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The gateway's side of an Idempotency-Key over the in-memory cluster: a stored response answers a retry without
 * sending anything, another body is 422, and an unknown outcome (NOT_LEADER_AFTER_APPEND) is re-sent within the
 * request's timeout for keyed and unkeyed requests alike (their batches carry a producer id, so the leader would
 * deduplicate) but not for acks=0; the gateway's session of a partition starts a fresh producer after a failure; an
 * NDJSON stream is a producer of its own.
 */
@FakeClusterWebTest
class IdempotentProduceTest {

    @Autowired
    WebTestClient client;

    @Autowired
    FakeCluster cluster;

    /** A new one-partition topic, once the gateway's metadata has it. */
    private String topic() {
        String name = "idem-" + UUID.randomUUID();
        cluster.topicServedBy(client, name, 1, Map.of());
        return name;
    }

    private WebTestClient.ResponseSpec produce(String topic, String query, String body, String key) {
        WebTestClient.RequestBodySpec request = client.post().uri("/v1/topics/" + topic + "/records" + query)
                .contentType(MediaType.APPLICATION_JSON);
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        return request.bodyValue(body).exchange();
    }

    @Test
    void aRetryOfACompletedRequestGetsTheSameBodyAndSendsNothing() throws InterruptedException {
        String topic = topic();
        String first = produce(topic, "", "[{\"value\": 1}, {\"value\": 2}]", "k-1").expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        int sent = cluster.produceRequests(topic);

        String again = produce(topic, "", "[{\"value\": 1}, {\"value\": 2}]", "k-1").expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody(String.class).returnResult().getResponseBody();

        assertThat(again).isEqualTo(first);
        assertThat(cluster.produceRequests(topic)).isEqualTo(sent);
        assertThat(cluster.records(topic, 0)).hasSize(2);
    }

    @Test
    void theSameKeyWithAnotherBodyIsUnprocessable() throws InterruptedException {
        String topic = topic();
        produce(topic, "", "[{\"value\": 1}]", "k-2").expectStatus().isOk();

        produce(topic, "", "[{\"value\": 2}]", "k-2").expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.error_code").isEqualTo(ErrorCode.IDEMPOTENCY_KEY_REUSED.name())
                .jsonPath("$.retriable").isEqualTo(false);
        // The format parameters are part of the request too.
        produce(topic, "?value_format=json", "[{\"value\": 1}]", "k-2").expectStatus().isEqualTo(422);
        assertThat(cluster.records(topic, 0)).hasSize(1);
    }

    @Test
    void anUnknownOutcomeIsResentWithinTheTimeoutUnderTheSameStampForUnkeyedRequestsToo() throws InterruptedException {
        String keyed = topic();
        String plain = topic();
        cluster.failProduce(keyed, 0, ErrorCode.NOT_LEADER_AFTER_APPEND, null);
        produce(keyed, "?timeout_ms=10000", "[{\"value\": 1}]", "k-3").expectStatus().isOk()
                .expectBody().jsonPath("$.results[0].offset").isEqualTo(0);

        cluster.failProduce(plain, 0, ErrorCode.NOT_LEADER_AFTER_APPEND, null);
        produce(plain, "?timeout_ms=10000", "[{\"value\": 1}]", null).expectStatus().isOk()
                .expectBody().jsonPath("$.results[0].offset").isEqualTo(0);

        assertThat(cluster.produceRequests(keyed)).isGreaterThan(1);
        assertThat(cluster.produceRequests(plain)).isGreaterThan(1);
        RecordBatch written = cluster.batches(plain, 0).getFirst();
        assertThat(written.producerId()).as("the gateway's session for the partition").isNotNegative();
        assertThat(written.baseSequence()).isZero();
    }

    @Test
    void afterAFailureTheNextUnkeyedRequestIsAFreshProducerAndTheOneAfterFollowsIt() throws InterruptedException {
        String topic = topic();
        produce(topic, "", "[{\"value\": 1}]", null).expectStatus().isOk();
        cluster.failProduce(topic, 0, ErrorCode.NOT_ENOUGH_REPLICAS);
        produce(topic, "", "[{\"value\": 2}]", null).expectStatus().isEqualTo(503)
                .expectBody().jsonPath("$.error_code").isEqualTo(ErrorCode.NOT_ENOUGH_REPLICAS.name());
        cluster.failProduce(topic, 0, null);

        produce(topic, "", "[{\"value\": 3}, {\"value\": 4}]", null).expectStatus().isOk();
        produce(topic, "", "[{\"value\": 5}]", null).expectStatus().isOk();

        List<RecordBatch> batches = cluster.batches(topic, 0);
        assertThat(batches).hasSize(3);
        assertThat(batches.get(1).producerId()).isNotEqualTo(batches.get(0).producerId());
        assertThat(batches).extracting(RecordBatch::baseSequence).containsExactly(0, 0, 2);
        assertThat(batches.get(2).producerId()).isEqualTo(batches.get(1).producerId());
    }

    @Test
    void onceAnAttemptsOutcomeWasUnknownALaterRefusalOfAReSendLeavesTheAnswerUnknown() throws InterruptedException {
        String topic = topic();
        cluster.failProduce(topic, 0, ErrorCode.NOT_LEADER_AFTER_APPEND, ErrorCode.NOT_ENOUGH_REPLICAS);

        produce(topic, "?timeout_ms=3000", "[{\"value\": 1}]", null).expectStatus().isEqualTo(503)
                .expectBody().jsonPath("$.error_code").isEqualTo(ErrorCode.NOT_LEADER_AFTER_APPEND.name());
        cluster.failProduce(topic, 0, null);
    }

    @Test
    void aFirstSendRefusedForItsSequenceIsStampedAfreshAndSentAgainOnce() throws InterruptedException {
        String topic = topic();
        cluster.failProduce(topic, 0, ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);

        produce(topic, "?timeout_ms=3000", "[{\"value\": 1}]", null).expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.error_code").isEqualTo(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER.name());

        assertThat(cluster.produceRequests(topic)).isEqualTo(2);
        cluster.failProduce(topic, 0, null);
    }

    @Test
    void anUnknownOutcomeOfAnAcksZeroRequestIsNotResent() throws InterruptedException {
        String topic = topic();
        cluster.failProduce(topic, 0, ErrorCode.NOT_LEADER_AFTER_APPEND);

        produce(topic, "?acks=0&timeout_ms=1000", "[{\"value\": 1}]", null);

        assertThat(cluster.produceRequests(topic)).isEqualTo(1);
    }

    @Test
    void anNdjsonStreamIsOneProducerWhoseGroupIsResentUnderItsStamp() throws InterruptedException {
        String topic = topic();
        produce(topic, "", "[{\"value\": 0}]", null).expectStatus().isOk(); // the gateway's own session
        cluster.failProduce(topic, 0, ErrorCode.NOT_LEADER_AFTER_APPEND, null);

        List<String> results = client.post().uri("/v1/topics/" + topic + "/records?timeout_ms=10000")
                .contentType(MediaType.parseMediaType("application/x-ndjson"))
                .accept(MediaType.parseMediaType("application/x-ndjson"))
                .bodyValue("{\"value\": 1}\n{\"value\": 2}\n")
                .exchange().expectStatus().isOk()
                .returnResult(String.class).getResponseBody().collectList().block(Duration.ofSeconds(20));

        assertThat(results).hasSize(2);
        assertThat(cluster.produceRequests(topic)).isGreaterThan(2);
        // The two lines may form one group or two (a group closes after 5 ms); either way the stream is one producer
        // whose records were each written once, in order, with sequences 0 and 1.
        List<RecordBatch> batches = cluster.batches(topic, 0);
        List<RecordBatch> stream = batches.subList(1, batches.size());
        assertThat(cluster.records(topic, 0)).hasSize(3);
        assertThat(stream).extracting(RecordBatch::producerId).as("the stream's own producer").containsOnly(
                stream.getFirst().producerId()).doesNotContain(batches.getFirst().producerId());
        assertThat(stream.getFirst().producerId()).isNotNegative();
        assertThat(stream.getFirst().baseSequence()).isZero();
        assertThat(stream.getLast().lastSequence()).isEqualTo(1);
    }
}

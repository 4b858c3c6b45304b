package io.sluice.gateway.produce;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.testing.FakeCluster;
import io.sluice.gateway.testing.FakeClusterWebTest;
import io.sluice.protocol.ErrorCode;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The gateway's side of an Idempotency-Key over the in-memory cluster: a stored response answers a retry without
 * sending anything, another body is 422, and an unknown outcome (NOT_LEADER_AFTER_APPEND) is re-sent within the
 * request's timeout for a keyed request — its batches carry a producer id, so the leader would deduplicate — but
 * never for an unkeyed one.
 */
@FakeClusterWebTest
class IdempotentProduceTest {

    @Autowired
    WebTestClient client;

    @Autowired
    FakeCluster cluster;

    /** A new one-partition topic, once the gateway's metadata has it. */
    private String topic() throws InterruptedException {
        String name = "idem-" + UUID.randomUUID();
        cluster.topic(name, 1, Map.of());
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (client.get().uri("/v1/topics/" + name + "/partitions/0/records?offset=latest").exchange()
                    .returnResult(String.class).getStatus().value() == 200) {
                return name;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("topic " + name + " never reached the gateway's metadata");
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
    void anUnknownOutcomeIsResentForAKeyedRequestOnly() throws InterruptedException {
        String keyed = topic();
        String plain = topic();
        cluster.failProduce(keyed, 0, ErrorCode.NOT_LEADER_AFTER_APPEND);
        cluster.failProduce(plain, 0, ErrorCode.NOT_LEADER_AFTER_APPEND);
        CompletableFuture.delayedExecutor(300, TimeUnit.MILLISECONDS).execute(() ->
                cluster.failProduce(keyed, 0, null));

        produce(keyed, "?timeout_ms=10000", "[{\"value\": 1}]", "k-3").expectStatus().isOk()
                .expectBody().jsonPath("$.results[0].offset").isEqualTo(0);
        produce(plain, "?timeout_ms=1000", "[{\"value\": 1}]", null).expectStatus().isEqualTo(503)
                .expectBody().jsonPath("$.error_code").isEqualTo(ErrorCode.NOT_LEADER_AFTER_APPEND.name());

        assertThat(cluster.produceRequests(keyed)).isGreaterThan(1);
        assertThat(cluster.produceRequests(plain)).isEqualTo(1);
    }
}

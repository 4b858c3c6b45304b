package io.sluice.gateway.security;

import static io.sluice.gateway.security.SecurityFixtures.ADMIN_PASSWORD;
import static io.sluice.gateway.security.SecurityFixtures.ALICE_PASSWORD;
import static io.sluice.gateway.security.SecurityFixtures.BOB_PASSWORD;
import static io.sluice.gateway.security.SecurityFixtures.basic;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.gateway.testing.FakeCluster;
import io.sluice.gateway.testing.FakeClusterWebTest;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Per-principal quotas: over its produce bytes, fetched bytes or request rate a principal gets 429 with Retry-After,
 * and after waiting it is served.
 */
@FakeClusterWebTest
class QuotaTest {

    /** Three seconds of alice's byte rate in debt: room for a loaded machine between her two requests. */
    private static final String BIG_RECORD = "[{\"value\": \"" + "x".repeat(4000) + "\"}]";

    @DynamicPropertySource
    static void security(DynamicPropertyRegistry registry) {
        SecurityFixtures.register(registry);
        registry.add("sluice.security.super-users", () -> "User:admin");
        registry.add("sluice.security.quotas.overrides[User:alice].produce-bytes-per-second", () -> "1KB");
        registry.add("sluice.security.quotas.overrides[User:alice].fetch-bytes-per-second", () -> "1KB");
        // One request in five seconds: room for a loaded machine between bob's two requests.
        registry.add("sluice.security.quotas.defaults.requests-per-second", () -> "0.2");
    }

    @Autowired
    WebTestClient client;

    @Autowired
    FakeCluster cluster;

    @Autowired
    MeterRegistry meters;

    @BeforeEach
    void aclsAndTopic() {
        cluster.topic("quota-topic", 1, Map.of());
        for (String user : new String[] {"User:alice", "User:bob"}) {
            client.post().uri("/v1/acls").header(HttpHeaders.AUTHORIZATION, basic("admin", ADMIN_PASSWORD))
                    .contentType(MediaType.APPLICATION_JSON).bodyValue("""
                            {"principal": "%s", "resource_type": "TOPIC", "resource_name": "quota-", \
                            "pattern_type": "PREFIXED", "operation": "ALL", "permission": "ALLOW"}""".formatted(user))
                    .exchange().expectStatus().isCreated();
        }
    }

    @Test
    void aProducerOverItsByteRateShouldGet429WithRetryAfterAndSucceedAfterWaiting() throws InterruptedException {
        awaitProduced();
        String retryAfter = produce(ALICE_PASSWORD).expectStatus().isEqualTo(429)
                .expectBody().jsonPath("$.error_code").isEqualTo("THROTTLED")
                .returnResult().getResponseHeaders().getFirst(HttpHeaders.RETRY_AFTER);

        assertThat(Integer.parseInt(retryAfter)).isBetween(1, 3);
        assertThat(meters.get("sluice.quota.throttled").tag("principal", "User:alice").tag("quota", "produce_bytes")
                .counter().count()).isGreaterThanOrEqualTo(1);
        Thread.sleep(Integer.parseInt(retryAfter) * 1000L);
        produce(ALICE_PASSWORD).expectStatus().isOk();
    }

    @Test
    void aReaderOverItsFetchedByteRateShouldGet429WithRetryAfterAndBeServedAfterWaiting() throws InterruptedException {
        awaitTopic();
        client.post().uri("/v1/topics/quota-topic/records").header(HttpHeaders.AUTHORIZATION, basic("admin", ADMIN_PASSWORD))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(BIG_RECORD).exchange().expectStatus().isOk();

        // The first read is served whole from a full bucket (1 KB) and leaves alice about 3 KB in debt.
        read().expectStatus().isOk().expectBody().jsonPath("$.records[0].value").isEqualTo("x".repeat(4000));
        String retryAfter = read().expectStatus().isEqualTo(429)
                .expectBody().jsonPath("$.error_code").isEqualTo("THROTTLED")
                .returnResult().getResponseHeaders().getFirst(HttpHeaders.RETRY_AFTER);

        assertThat(Integer.parseInt(retryAfter)).isBetween(1, 4);
        assertThat(meters.get("sluice.quota.bytes").tag("principal", "User:alice").tag("quota", "fetch_bytes")
                .counter().count()).isGreaterThan(4000);
        assertThat(meters.get("sluice.quota.throttled").tag("principal", "User:alice").tag("quota", "fetch_bytes")
                .counter().count()).isGreaterThanOrEqualTo(1);
        Thread.sleep(Integer.parseInt(retryAfter) * 1000L);
        read().expectStatus().isOk();
    }

    @Test
    void aPrincipalOverItsRequestRateShouldGet429UntilTheNextToken() throws InterruptedException {
        client.get().uri("/v1/topics").header(HttpHeaders.AUTHORIZATION, basic("bob", BOB_PASSWORD)).exchange()
                .expectStatus().isOk();
        String retryAfter = client.get().uri("/v1/topics").header(HttpHeaders.AUTHORIZATION, basic("bob", BOB_PASSWORD))
                .exchange().expectStatus().isEqualTo(429)
                .returnResult(String.class).getResponseHeaders().getFirst(HttpHeaders.RETRY_AFTER);

        Thread.sleep(Integer.parseInt(retryAfter) * 1000L);
        client.get().uri("/v1/topics").header(HttpHeaders.AUTHORIZATION, basic("bob", BOB_PASSWORD)).exchange()
                .expectStatus().isOk();
    }

    /** The first 4 KB produce goes through (a full bucket), leaving alice in debt; the gateway must know the topic. */
    private void awaitProduced() throws InterruptedException {
        awaitTopic();
        produce(ALICE_PASSWORD).expectStatus().isOk();
    }

    private void awaitTopic() throws InterruptedException {
        for (int attempt = 0; client.get().uri("/v1/topics/quota-topic/partitions/0/records?offset=latest")
                .header(HttpHeaders.AUTHORIZATION, basic("admin", ADMIN_PASSWORD)).exchange()
                .returnResult(String.class).getStatus().value() == 404; attempt++) {
            assertThat(attempt).as("the gateway never saw quota-topic").isLessThan(100);
            Thread.sleep(100);
        }
    }

    private WebTestClient.ResponseSpec read() {
        return client.get().uri("/v1/topics/quota-topic/partitions/0/records?offset=0")
                .header(HttpHeaders.AUTHORIZATION, basic("alice", ALICE_PASSWORD)).exchange();
    }

    private WebTestClient.ResponseSpec produce(String password) {
        return client.post().uri("/v1/topics/quota-topic/records").header(HttpHeaders.AUTHORIZATION, basic("alice", password))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(BIG_RECORD).exchange();
    }
}

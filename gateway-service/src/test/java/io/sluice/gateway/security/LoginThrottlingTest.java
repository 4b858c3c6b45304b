package io.sluice.gateway.security;

import static io.sluice.gateway.security.SecurityFixtures.BOB_PASSWORD;
import static io.sluice.gateway.security.SecurityFixtures.basic;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.testing.FakeClusterWebTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Brute force: after three failures the address and the user name wait, right password or not, then get in. */
@FakeClusterWebTest
class LoginThrottlingTest {

    @DynamicPropertySource
    static void security(DynamicPropertyRegistry registry) {
        SecurityFixtures.register(registry);
        registry.add("sluice.security.login-throttling.max-failures", () -> "3");
        // Long enough that a loaded machine's three failed requests and the fourth fall in one window.
        registry.add("sluice.security.login-throttling.window", () -> "8s");
    }

    @Autowired
    WebTestClient client;

    @Test
    void afterMaxFailuresEvenTheRightPasswordShouldWaitForRetryAfterThenSucceed() throws InterruptedException {
        for (int attempt = 0; attempt < 3; attempt++) {
            client.get().uri("/v1/topics").header(HttpHeaders.AUTHORIZATION, basic("bob", "guess-" + attempt))
                    .exchange().expectStatus().isUnauthorized();
        }

        String retryAfter = client.get().uri("/v1/topics").header(HttpHeaders.AUTHORIZATION, basic("bob", BOB_PASSWORD))
                .exchange().expectStatus().isEqualTo(429)
                .expectBody().jsonPath("$.error_code").isEqualTo("THROTTLED")
                .returnResult().getResponseHeaders().getFirst(HttpHeaders.RETRY_AFTER);
        assertThat(Integer.parseInt(retryAfter)).isBetween(1, 8);

        Thread.sleep(Integer.parseInt(retryAfter) * 1000L);
        client.get().uri("/v1/topics").header(HttpHeaders.AUTHORIZATION, basic("bob", BOB_PASSWORD))
                .exchange().expectStatus().isOk();
    }
}

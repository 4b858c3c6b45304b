package io.sluice.gateway.security;

import io.sluice.gateway.testing.FakeClusterWebTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/** CORS from the configured origins only, answered before authentication, and on refusals too. */
@FakeClusterWebTest
class CorsTest {

    private static final String CONSOLE = "https://console.example.com";

    @DynamicPropertySource
    static void security(DynamicPropertyRegistry registry) {
        SecurityFixtures.register(registry);
        registry.add("sluice.security.cors.allowed-origins", () -> CONSOLE + ",https://other.example.com");
    }

    @Autowired
    WebTestClient client;

    @Test
    void aPreflightFromAListedOriginShouldBeAllowedWithoutCredentials() {
        client.options().uri("/v1/topics/orders/records").header(HttpHeaders.ORIGIN, CONSOLE)
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "POST")
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS, "authorization,content-type")
                .exchange().expectStatus().isOk()
                .expectHeader().valueEquals(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, CONSOLE)
                .expectHeader().valueEquals(HttpHeaders.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
    }

    @Test
    void aPreflightFromAnotherOriginShouldBeRefused() {
        client.options().uri("/v1/topics").header(HttpHeaders.ORIGIN, "https://evil.example.com")
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "GET")
                .exchange().expectStatus().isForbidden()
                .expectHeader().doesNotExist(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN);
    }

    @Test
    void aRefusalShouldCarryTheCorsHeadersSoThatThePageCanReadIt() {
        client.get().uri("/v1/topics").header(HttpHeaders.ORIGIN, CONSOLE).exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().valueEquals(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, CONSOLE)
                .expectHeader().value(HttpHeaders.ACCESS_CONTROL_EXPOSE_HEADERS, exposed ->
                        org.assertj.core.api.Assertions.assertThat(exposed).contains("WWW-Authenticate"));
    }
}

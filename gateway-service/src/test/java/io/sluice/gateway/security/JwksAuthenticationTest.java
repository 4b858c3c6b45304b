package io.sluice.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.sun.net.httpserver.HttpServer;
import io.sluice.gateway.testing.FakeClusterWebTest;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Bearer tokens checked against an identity provider's JWKS endpoint (here a local one) instead of a PEM key. */
@FakeClusterWebTest
class JwksAuthenticationTest {

    private static final AtomicInteger JWKS_READS = new AtomicInteger();
    private static HttpServer identityProvider;

    @DynamicPropertySource
    static void security(DynamicPropertyRegistry registry) {
        byte[] jwks = new JWKSet(new RSAKey.Builder((RSAPublicKey) SecurityFixtures.TRUSTED.getPublic()).keyID("k1")
                .build()).toString().getBytes(StandardCharsets.UTF_8);
        try {
            identityProvider = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        identityProvider.createContext("/jwks", exchange -> {
            JWKS_READS.incrementAndGet();
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, jwks.length);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(jwks);
            }
        });
        identityProvider.start();
        registry.add("sluice.security.enabled", () -> "true");
        registry.add("sluice.security.jwt.jwk-set-uri",
                () -> "http://127.0.0.1:" + identityProvider.getAddress().getPort() + "/jwks");
        registry.add("sluice.security.jwt.issuer", () -> SecurityFixtures.ISSUER);
        registry.add("sluice.security.jwt.audience", () -> SecurityFixtures.AUDIENCE);
    }

    @AfterAll
    static void stopIdentityProvider() {
        identityProvider.stop(0);
    }

    @Autowired
    WebTestClient client;

    @Test
    void aTokenSignedByAKeyOfTheJwksShouldBeServedAndOneSignedByAnotherKeyRefused() {
        client.post().uri("/v1/stream-tokens").header(HttpHeaders.AUTHORIZATION, SecurityFixtures.bearer("carol"))
                .exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.principal").isEqualTo("User:carol");
        client.post().uri("/v1/stream-tokens").header(HttpHeaders.AUTHORIZATION, "Bearer " + SecurityFixtures.signed(
                        SecurityFixtures.UNTRUSTED, SecurityFixtures.claims("carol", Instant.now().plusSeconds(600)).build()))
                .exchange().expectStatus().isUnauthorized()
                // Passwords are taken without a users file too: the cluster's SCRAM users sign in with theirs.
                .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE,
                        "Basic realm=\"sluice\", charset=\"UTF-8\", Bearer realm=\"sluice\"");

        assertThat(JWKS_READS.get()).as("the keys were fetched from the endpoint").isPositive();
    }
}

package io.sluice.gateway.security;

import static io.sluice.gateway.security.SecurityFixtures.TRUSTED;
import static io.sluice.gateway.security.SecurityFixtures.claims;
import static io.sluice.gateway.security.SecurityFixtures.signed;

import io.sluice.gateway.testing.FakeClusterWebTest;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * {@code sluice.security.jwt.principal-claim} (security.md): the principal is {@code User:} and the named claim, not
 * the subject; a token without that claim does not sign in.
 */
@FakeClusterWebTest
class JwtPrincipalClaimTest {

    @DynamicPropertySource
    static void security(DynamicPropertyRegistry registry) {
        SecurityFixtures.register(registry);
        registry.add("sluice.security.jwt.principal-claim", () -> "email");
    }

    @Autowired
    WebTestClient client;

    @Test
    void theConfiguredClaimNamesThePrincipal() {
        String token = signed(TRUSTED, claims("carol-subject", Instant.now().plusSeconds(600))
                .claim("email", "carol@example.com").build());

        client.post().uri("/v1/stream-tokens").header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.principal").isEqualTo("User:carol@example.com");
    }

    @Test
    void aTokenWithoutTheClaimIsRefusedThoughItHasASubject() {
        String token = signed(TRUSTED, claims("carol-subject", Instant.now().plusSeconds(600)).build());

        client.post().uri("/v1/stream-tokens").header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange()
                .expectStatus().isUnauthorized();
    }
}

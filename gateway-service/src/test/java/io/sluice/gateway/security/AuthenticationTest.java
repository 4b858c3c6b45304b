package io.sluice.gateway.security;

import static io.sluice.gateway.security.SecurityFixtures.ALICE_PASSWORD;
import static io.sluice.gateway.security.SecurityFixtures.basic;
import static io.sluice.gateway.security.SecurityFixtures.bearer;
import static io.sluice.gateway.security.SecurityFixtures.claims;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.testing.FakeCluster;
import io.sluice.gateway.testing.FakeClusterWebTest;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.FluxExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Who gets in with security on: Basic users, JWTs from the trusted key, stream tokens on SSE only; nobody else. */
@FakeClusterWebTest
class AuthenticationTest {

    @DynamicPropertySource
    static void security(DynamicPropertyRegistry registry) {
        SecurityFixtures.register(registry);
        registry.add("sluice.security.login-throttling.max-failures", () -> "100000");
        registry.add("sluice.security.super-users", () -> "User:alice");
    }

    @Autowired
    WebTestClient client;

    @Autowired
    FakeCluster cluster;

    @Test
    void withoutCredentialsShouldAnswer401WithChallengesAndAProblem() {
        client.get().uri("/v1/topics").exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().value(HttpHeaders.WWW_AUTHENTICATE, challenge ->
                        assertThat(challenge).contains("Basic realm=\"sluice\"").contains("Bearer realm=\"sluice\""))
                .expectBody()
                .jsonPath("$.error_code").isEqualTo("SASL_AUTHENTICATION_FAILED")
                .jsonPath("$.status").isEqualTo(401);
    }

    @Test
    void rightBasicCredentialsShouldBeServed() {
        client.get().uri("/v1/topics").header(HttpHeaders.AUTHORIZATION, basic("alice", ALICE_PASSWORD))
                .exchange().expectStatus().isOk();
    }

    @Test
    void aWrongPasswordAndAnUnknownUserShouldGetTheSameAnswer() {
        String wrongPassword = failure(basic("alice", "guess"));
        String unknownUser = failure(basic("nobody", ALICE_PASSWORD));

        assertThat(wrongPassword).isEqualTo(unknownUser).doesNotContain("alice").doesNotContain("nobody");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Basic !!!not-base64!!!", "Basic " + "bm9jb2xvbg==", "Basic", "Digest username=\"alice\"",
            "Bearer not.a.jwt", "Bearer ", "alice:" + ALICE_PASSWORD})
    void malformedCredentialsShouldBe401(String authorization) {
        failure(authorization);
    }

    @Test
    void aValidJwtShouldBeServedAsItsSubject() {
        client.post().uri("/v1/stream-tokens").header(HttpHeaders.AUTHORIZATION, bearer("carol")).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.principal").isEqualTo("User:carol");
    }

    @Test
    void anExpiredJwtShouldBe401() {
        failure("Bearer " + SecurityFixtures.signed(SecurityFixtures.TRUSTED,
                claims("carol", Instant.now().minusSeconds(60)).build()));
    }

    @Test
    void aJwtSignedByAnotherKeyShouldBe401() {
        failure("Bearer " + SecurityFixtures.signed(SecurityFixtures.UNTRUSTED,
                claims("carol", Instant.now().plusSeconds(600)).build()));
    }

    @Test
    void anUnsignedJwtWithAlgNoneShouldBe401() {
        failure("Bearer " + SecurityFixtures.unsigned(claims("carol", Instant.now().plusSeconds(600)).build()));
    }

    @Test
    void aJwtForAnotherAudienceOrIssuerOrWithoutExpiryShouldBe401() {
        Instant later = Instant.now().plusSeconds(600);
        failure("Bearer " + SecurityFixtures.signed(SecurityFixtures.TRUSTED,
                claims("carol", later).audience("another-service").build()));
        failure("Bearer " + SecurityFixtures.signed(SecurityFixtures.TRUSTED,
                claims("carol", later).issuer("https://elsewhere.example").build()));
        failure("Bearer " + SecurityFixtures.signed(SecurityFixtures.TRUSTED,
                claims("carol", later).expirationTime(null).build()));
    }

    @Test
    void aStreamTokenShouldOpenAStreamAndNothingElse() {
        cluster.topicServedBy(client.mutate().defaultHeader(HttpHeaders.AUTHORIZATION, basic("alice", ALICE_PASSWORD))
                .build(), "auth-stream", 1, Map.of());
        String token = client.post().uri("/v1/stream-tokens").header(HttpHeaders.AUTHORIZATION, basic("alice", ALICE_PASSWORD))
                .exchange().expectStatus().isOk()
                .expectBody(StreamTokenController.StreamToken.class).returnResult().getResponseBody().token();

        FluxExchangeResult<String> stream = client.get().uri("/v1/topics/auth-stream/records?access_token={t}", token)
                .accept(MediaType.TEXT_EVENT_STREAM).exchange().returnResult(String.class);
        assertThat(stream.getStatus().value()).as("the stream opens: the token was taken out of the query").isEqualTo(200);
        stream.getResponseBody().take(0).blockLast();

        client.get().uri("/v1/topics/auth-stream/records?access_token={t}", token).accept(MediaType.APPLICATION_JSON)
                .exchange().expectStatus().isUnauthorized();
        client.get().uri("/v1/topics/auth-stream/records?access_token={t}", token + "x")
                .accept(MediaType.TEXT_EVENT_STREAM).exchange().expectStatus().isUnauthorized();
    }

    @Test
    void theApiDocumentsAndHealthShouldNeedNoCredentials() {
        client.get().uri("/v1/openapi.yaml").exchange().expectStatus().isOk();
        client.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
    }

    private String failure(String authorization) {
        return new String(client.get().uri("/v1/topics").header(HttpHeaders.AUTHORIZATION, authorization).exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().exists(HttpHeaders.WWW_AUTHENTICATE)
                .expectBody().jsonPath("$.error_code").isEqualTo("SASL_AUTHENTICATION_FAILED")
                .jsonPath("$.detail").isEqualTo("Authentication failed")
                .returnResult().getResponseBody());
    }
}

package io.sluice.gateway.security;

import static io.sluice.gateway.security.SecurityFixtures.ADMIN_PASSWORD;
import static io.sluice.gateway.security.SecurityFixtures.basic;
import static io.sluice.gateway.security.SecurityFixtures.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.testing.FakeCluster;
import io.sluice.gateway.testing.FakeClusterWebTest;
import io.sluice.internal.scram.ScramMechanism;
import io.sluice.internal.scram.ScramSnapshot;
import io.sluice.security.Scram;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * SCRAM users over the public API: a super user makes a credential from a password (stored salted and hashed, never
 * the password), the user then signs in over HTTP Basic with it, and is listed with its mechanism and iterations; bad
 * input is a 4xx problem that stores nothing and is audited; a principal without ALTER on the cluster is refused; a
 * deleted credential no longer signs in.
 */
@FakeClusterWebTest
class ScramUsersTest {

    @DynamicPropertySource
    static void security(DynamicPropertyRegistry registry) {
        SecurityFixtures.register(registry);
        registry.add("sluice.security.super-users", () -> "User:admin");
        registry.add("sluice.security.login-throttling.max-failures", () -> "100000");
    }

    @Autowired
    WebTestClient client;

    @Autowired
    FakeCluster cluster;

    @Test
    void aScramUserMadeOverHttpSignsInWithBasicUntilItsCredentialIsDeleted() {
        put("zoe", "SCRAM-SHA-512", "{\"password\": \"zoe-secret\", \"iterations\": 8192}", basic("admin",
                ADMIN_PASSWORD)).expectStatus().isOk()
                .expectBody().jsonPath("$.principal").isEqualTo("User:zoe")
                .jsonPath("$.credentials[0].mechanism").isEqualTo("SCRAM-SHA-512")
                .jsonPath("$.credentials[0].iterations").isEqualTo(8192);
        ScramSnapshot stored = cluster.scramCredentials().block();
        assertThat(stored.find("zoe", ScramMechanism.SCRAM_SHA_512)).hasValueSatisfying(credential -> {
            assertThat(credential.iterations()).isEqualTo(8192);
            assertThat(Scram.matches(credential, "zoe-secret")).isTrue();
            assertThat(new String(credential.salt())).doesNotContain("zoe-secret");
        });

        topics(basic("zoe", "zoe-secret")).expectStatus().isOk();
        topics(basic("zoe", "not-zoes")).expectStatus().isUnauthorized();
        client.get().uri("/v1/users").header(HttpHeaders.AUTHORIZATION, basic("admin", ADMIN_PASSWORD)).exchange()
                .expectStatus().isOk().expectBody()
                .jsonPath("$.scram_users[?(@.principal == 'User:zoe')].credentials[0].iterations").isEqualTo(8192)
                .jsonPath("$.password_sign_in").isEqualTo(true);

        client.delete().uri("/v1/users/zoe/scram-credentials/SCRAM-SHA-512")
                .header(HttpHeaders.AUTHORIZATION, basic("admin", ADMIN_PASSWORD)).exchange()
                .expectStatus().isNoContent();
        topics(basic("zoe", "zoe-secret")).expectStatus().isUnauthorized();
        client.delete().uri("/v1/users/zoe/scram-credentials/SCRAM-SHA-512")
                .header(HttpHeaders.AUTHORIZATION, basic("admin", ADMIN_PASSWORD)).exchange()
                .expectStatus().isNotFound().expectBody().jsonPath("$.error_code").isEqualTo("UNKNOWN_CREDENTIAL");
    }

    @Test
    void badInputIsAProblemThatStoresNothingAndIsAudited() {
        ScramSnapshot before = cluster.scramCredentials().block();
        String admin = basic("admin", ADMIN_PASSWORD);
        for (String[] bad : new String[][] {
                {"SCRAM-SHA-256", "{\"password\": \"pw\", \"iterations\": 4095}"},
                {"SCRAM-SHA-256", "{\"password\": \"pw\", \"iterations\": 16385}"},
                {"SCRAM-SHA-256", "{\"password\": \"\"}"},
                {"SCRAM-SHA-256", "{}"},
                {"SCRAM-SHA-1", "{\"password\": \"pw\"}"}}) {
            put("yan", bad[0], bad[1], admin).expectStatus().isBadRequest()
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.error_code").isEqualTo("UNACCEPTABLE_CREDENTIAL");
        }
        put("yan", "SCRAM-SHA-256", "{not json", admin).expectStatus().isBadRequest();
        put("yan", "SCRAM-SHA-256", "{\"password\": \"pw\"}", bearer("carol")).expectStatus().isForbidden()
                .expectBody().jsonPath("$.error_code").isEqualTo("CLUSTER_AUTHORIZATION_FAILED");

        assertThat(cluster.scramCredentials().block()).isEqualTo(before);
        client.get().uri("/v1/audit?outcome=FAILED&limit=1000").header(HttpHeaders.AUTHORIZATION, admin).exchange()
                .expectStatus().isOk().expectBody()
                .jsonPath("$.entries[?(@.request == 'PUT /v1/users/yan/scram-credentials/SCRAM-SHA-1')].status")
                .isEqualTo(400);
    }

    private WebTestClient.ResponseSpec put(String user, String mechanism, String body, String authorization) {
        return client.put().uri("/v1/users/{user}/scram-credentials/{mechanism}", user, mechanism)
                .header(HttpHeaders.AUTHORIZATION, authorization).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body).exchange();
    }

    private WebTestClient.ResponseSpec topics(String authorization) {
        return client.get().uri("/v1/topics").header(HttpHeaders.AUTHORIZATION, authorization).exchange();
    }
}

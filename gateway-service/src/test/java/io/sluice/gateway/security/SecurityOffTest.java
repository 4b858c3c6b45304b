package io.sluice.gateway.security;

import io.sluice.gateway.testing.GatewayWebTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The default: security off, every route open as before, and no stream tokens to mint. */
@GatewayWebTest
class SecurityOffTest {

    @Autowired
    WebTestClient client;

    @Test
    void withSecurityOffRoutesShouldNeedNoCredentialsAndStreamTokensShouldBeRefused() {
        client.get().uri("/v1/nodes").exchange().expectStatus().value(status -> org.assertj.core.api.Assertions
                .assertThat(status).isNotEqualTo(401));
        client.post().uri("/v1/stream-tokens").exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.error_code").isEqualTo("SECURITY_DISABLED");
    }
}

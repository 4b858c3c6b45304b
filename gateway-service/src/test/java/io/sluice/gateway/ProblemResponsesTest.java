package io.sluice.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.testing.GatewayWebTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Refusals that Spring decides (no such route, method, media type, acceptable type) are problems like the
 * gateway's own: application/problem+json with an {@code error_code} and {@code retriable}; and a 503 tells the
 * client when to try again.
 */
@GatewayWebTest
class ProblemResponsesTest {

    @Autowired
    WebTestClient client;

    @Test
    void anUnreachableCoordinatorIsA503WithRetryAfter() {
        client.get().uri("/v1/topics").exchange()
                .expectStatus().isEqualTo(503)
                .expectHeader().valueEquals("Retry-After", "1")
                .expectBody()
                .jsonPath("$.error_code").isEqualTo("COORDINATOR_NOT_AVAILABLE")
                .jsonPath("$.retriable").isEqualTo(true);
    }

    @Test
    void unknownRouteIsAProblemWithAnErrorCode() {
        client.get().uri("/v1/no-such-thing").exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.error_code").isEqualTo("INVALID_REQUEST")
                .jsonPath("$.retriable").isEqualTo(false);
    }

    @Test
    void wrongMethodIsA405ProblemNamingTheAllowedOnes() {
        client.put().uri("/v1/topics").exchange()
                .expectStatus().isEqualTo(405)
                .expectHeader().valueMatches("Allow", ".*GET.*")
                .expectBody()
                .jsonPath("$.error_code").isEqualTo("INVALID_REQUEST")
                .jsonPath("$.detail").value(String.class, detail -> assertThat(detail).contains("POST", "GET"));
    }

    @Test
    void unsupportedContentTypeIs415UnsupportedMediaType() {
        client.post().uri("/v1/topics/t/records").contentType(MediaType.APPLICATION_XML).bodyValue("<records/>")
                .exchange()
                .expectStatus().isEqualTo(415)
                .expectBody()
                .jsonPath("$.error_code").isEqualTo("UNSUPPORTED_MEDIA_TYPE")
                .jsonPath("$.retriable").isEqualTo(false);
    }

    @Test
    void ndjsonProduceAskingForJsonResultsIs406() {
        client.post().uri("/v1/topics/t/records").contentType(MediaType.parseMediaType("application/x-ndjson"))
                .accept(MediaType.APPLICATION_XML).bodyValue("{\"value\": 1}\n")
                .exchange()
                .expectStatus().isEqualTo(406)
                .expectBody()
                .jsonPath("$.error_code").isEqualTo("INVALID_REQUEST");
    }
}

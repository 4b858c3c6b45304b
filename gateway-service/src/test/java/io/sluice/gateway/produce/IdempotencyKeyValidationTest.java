package io.sluice.gateway.produce;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.testing.GatewayWebTest;
import io.sluice.protocol.ErrorCode;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * A bad Idempotency-Key is refused by the gateway itself, before the topic or the coordinator is asked: a 400 problem
 * that says what is wrong with the header; an NDJSON stream refuses the header.
 */
@GatewayWebTest
class IdempotencyKeyValidationTest {

    @Autowired
    WebTestClient client;

    static Stream<Arguments> badKeys() {
        return Stream.of(
                Arguments.of("empty", "", "Idempotency-Key is empty"),
                Arguments.of("256 characters", "k".repeat(256), "Idempotency-Key has 256 characters; at most 255"),
                Arguments.of("a tab inside", "order\t1", "visible ASCII characters only"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badKeys")
    void aBadKeyIsABadRequestNamingTheHeader(String name, String key, String detail) {
        client.post().uri("/v1/topics/orders/records").contentType(MediaType.APPLICATION_JSON)
                .header("Idempotency-Key", key)
                .bodyValue("[{\"value\": 1}]")
                .exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.error_code").isEqualTo(ErrorCode.INVALID_REQUEST.name())
                .jsonPath("$.retriable").isEqualTo(false)
                .jsonPath("$.detail").value(d -> assertThat((String) d).contains(detail));
    }

    @Test
    void aKeyOf255CharactersIsAcceptedAsFarAsTheTopicLookup() {
        // A valid key gets past the header check: this gateway knows no topic, so the answer is UNKNOWN_TOPIC.
        client.post().uri("/v1/topics/orders/records").contentType(MediaType.APPLICATION_JSON)
                .header("Idempotency-Key", "k".repeat(255))
                .bodyValue("[{\"value\": 1}]")
                .exchange()
                .expectStatus().isNotFound()
                .expectBody().jsonPath("$.error_code").isEqualTo(ErrorCode.UNKNOWN_TOPIC.name());
    }

    @Test
    void anNdjsonStreamRefusesTheHeader() {
        client.post().uri("/v1/topics/orders/records").contentType(MediaType.parseMediaType("application/x-ndjson"))
                .accept(MediaType.parseMediaType("application/x-ndjson"))
                .header("Idempotency-Key", "order-1")
                .bodyValue("{\"value\": 1}\n")
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.error_code").isEqualTo(ErrorCode.INVALID_REQUEST.name());
    }
}

package io.sluice.coordinator.store;

import io.sluice.web.ProblemHandler;
import org.junit.jupiter.api.Test;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * A request that meets a Redis failure is answered with a retriable problem, not the shared handler's opaque 500: a
 * command timeout (Lettuce's, as Spring Data Redis translates it) is 504 REQUEST_TIMED_OUT, a lost connection 503
 * COORDINATOR_NOT_AVAILABLE; anything else stays the shared handler's 500.
 */
class StoreProblemHandlerTest {

    private final WebTestClient client = WebTestClient.bindToController(new FailingStore())
            .controllerAdvice(new ProblemHandler(), new StoreProblemHandler())
            .build();

    @Test
    void aRedisCommandTimeoutIsARetriableTimeoutWhoseOutcomeIsUnknown() {
        client.get().uri("/timeout").exchange()
                .expectStatus().isEqualTo(504)
                .expectBody()
                .jsonPath("$.error_code").isEqualTo("REQUEST_TIMED_OUT")
                .jsonPath("$.retriable").isEqualTo(true);
    }

    @Test
    void aLostRedisConnectionMakesTheCoordinatorUnavailable() {
        client.get().uri("/unreachable").exchange()
                .expectStatus().isEqualTo(503)
                .expectBody()
                .jsonPath("$.error_code").isEqualTo("COORDINATOR_NOT_AVAILABLE")
                .jsonPath("$.retriable").isEqualTo(true);
    }

    @Test
    void anyOtherFailureIsStillTheOpaqueServerError() {
        client.get().uri("/bug").exchange()
                .expectStatus().isEqualTo(500)
                .expectBody()
                .jsonPath("$.error_code").isEqualTo("UNKNOWN_SERVER_ERROR")
                .jsonPath("$.retriable").isEqualTo(false);
    }

    @RestController
    static class FailingStore {

        @GetMapping("/timeout")
        Mono<String> timeout() {
            return Mono.error(new QueryTimeoutException("Redis command timed out",
                    new io.lettuce.core.RedisCommandTimeoutException("Command timed out after 2 second(s)")));
        }

        @GetMapping("/unreachable")
        Mono<String> unreachable() {
            return Mono.error(new RedisConnectionFailureException("Unable to connect to Redis"));
        }

        @GetMapping("/bug")
        Mono<String> bug() {
            return Mono.error(new IllegalStateException("a bug"));
        }
    }
}

package io.sluice.coordinator.store;

import io.sluice.web.ProblemHandler;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.data.redis.RedisSystemException;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * A request that meets a Redis failure is answered with a retriable problem, not an opaque 500: a
 * command timeout (Lettuce's, as Spring Data Redis translates it) or a connection reset during a command is 504
 * REQUEST_TIMED_OUT, a lost connection 503
 * COORDINATOR_NOT_AVAILABLE; anything else stays the shared handler's 500.
 */
class StoreErrorsTest {

    private final WebTestClient client = WebTestClient.bindToController(new FailingStore())
            .controllerAdvice(new ProblemHandler(List.of(new StoreErrors())))
            .configureClient()
            .responseTimeout(Duration.ofSeconds(30)) // the first exchange sets the handlers up: slow on a loaded machine
            .build();

    @Test
    void aRedisCommandTimeoutIsARetriableTimeoutWhoseOutcomeIsUnknown() {
        assertProblem("/timeout", 504, "REQUEST_TIMED_OUT", true);
    }

    /**
     * Redis killed while a script ran (ChaosIT's REDIS_RESTART): Lettuce fails the command with the connection's reset,
     * which Spring Data Redis leaves uncategorized. The script may have run, so the outcome is unknown, as after a
     * timeout; it was answered 500 UNKNOWN_SERVER_ERROR (an EndTxn in ChaosIT seed 12).
     */
    @Test
    void aConnectionResetDuringACommandIsARetriableTimeoutWhoseOutcomeIsUnknown() {
        assertProblem("/reset", 504, "REQUEST_TIMED_OUT", true);
    }

    /**
     * The same reset raised as it is, unwrapped (a group heartbeat's Redis call in ChaosIT seed 12, REDIS_RESTART,
     * with a Kafka consumer in the run): it was answered 500 UNKNOWN_SERVER_ERROR, which the gateway passed on to the
     * Kafka consumer's ConsumerGroupHeartbeat, and Kafka's consumer treats that error as fatal: it read nothing more.
     */
    @Test
    void anUnwrappedConnectionResetIsARetriableTimeoutToo() {
        assertProblem("/reset-unwrapped", 504, "REQUEST_TIMED_OUT", true);
    }

    @Test
    void aLostRedisConnectionMakesTheCoordinatorUnavailable() {
        assertProblem("/unreachable", 503, "COORDINATOR_NOT_AVAILABLE", true);
    }

    /**
     * Redis restarted and still loading its append-only file (ChaosIT's REDIS_RESTART) refuses every command with
     * LOADING, and a long script makes it refuse with BUSY: nothing ran, so the coordinator is unavailable for the
     * moment. As a 500 it would reach a Kafka consumer's ConsumerGroupHeartbeat as UNKNOWN_SERVER_ERROR, which Kafka's
     * consumer treats as fatal.
     */
    @Test
    void aCommandRedisRefusedWhileLoadingOrBusyMakesTheCoordinatorUnavailable() {
        assertProblem("/loading", 503, "COORDINATOR_NOT_AVAILABLE", true);
        assertProblem("/busy", 503, "COORDINATOR_NOT_AVAILABLE", true);
    }

    @Test
    void anyOtherFailureIsStillTheOpaqueServerError() {
        assertProblem("/bug", 500, "UNKNOWN_SERVER_ERROR", false);
    }

    private void assertProblem(String path, int status, String errorCode, boolean retriable) {
        client.get().uri(path).exchange()
                .expectStatus().isEqualTo(status)
                .expectBody()
                .jsonPath("$.error_code").isEqualTo(errorCode)
                .jsonPath("$.retriable").isEqualTo(retriable);
    }

    @RestController
    static class FailingStore {

        @GetMapping("/timeout")
        Mono<String> timeout() {
            return Mono.error(new QueryTimeoutException("Redis command timed out",
                    new io.lettuce.core.RedisCommandTimeoutException("Command timed out after 2 second(s)")));
        }

        @GetMapping("/reset")
        Mono<String> reset() {
            return Mono.error(new RedisSystemException("recvAddress(..) failed with error(-104): Connection reset by "
                    + "peer", new IOException("recvAddress(..) failed with error(-104): Connection reset by peer")));
        }

        @GetMapping("/reset-unwrapped")
        Mono<String> resetUnwrapped() {
            return Mono.error(new IOException("recvAddress(..) failed with error(-104): Connection reset by peer"));
        }

        @GetMapping("/unreachable")
        Mono<String> unreachable() {
            return Mono.error(new RedisConnectionFailureException("Unable to connect to Redis"));
        }

        @GetMapping("/loading")
        Mono<String> loading() {
            return Mono.error(new RedisSystemException("LOADING Redis is loading the dataset in memory",
                    new io.lettuce.core.RedisLoadingException("LOADING Redis is loading the dataset in memory")));
        }

        @GetMapping("/busy")
        Mono<String> busy() {
            return Mono.error(new io.lettuce.core.RedisBusyException("BUSY Redis is busy running a script."));
        }

        @GetMapping("/bug")
        Mono<String> bug() {
            return Mono.error(new IllegalStateException("a bug"));
        }
    }
}

package io.sluice.gateway.kafka;

import io.sluice.kafka.KafkaErrors;
import java.time.Duration;
import java.util.function.BiFunction;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.protocol.Errors;
import reactor.core.publisher.Mono;

/** What the classic group APIs share: how long a join or sync may wait, and errors as Kafka's. */
final class ClassicGroupCalls {

    /** Beyond the rebalance timeout, how long a join's answer may take to come back from the coordinator. */
    static final Duration GRACE = Duration.ofSeconds(5);

    private ClassicGroupCalls() {
    }

    /** A join waits up to the member's rebalance timeout (its session timeout before JoinGroup v1) for the rest. */
    static Duration waitFor(int rebalanceTimeoutMs, int sessionTimeoutMs) {
        return Duration.ofMillis(Math.max(0, Math.max(rebalanceTimeoutMs, sessionTimeoutMs))).plus(GRACE);
    }

    /** A failed call's Kafka error and message, for an answer of {@code <T>}. */
    static <T> Mono<T> failed(Throwable e, BiFunction<Errors, String, T> answer) {
        ApiException error = KafkaErrors.exception(e);
        return Mono.just(answer.apply(Errors.forException(error), error.getMessage()));
    }
}

package io.sluice.gateway.kafka.groups;

import io.sluice.kafka.KafkaErrors;
import java.time.Duration;
import java.util.function.BiFunction;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.protocol.Errors;
import reactor.core.publisher.Mono;

/** What the group APIs share: how long a classic join or sync may wait, and errors as Kafka's group coordinator's. */
public final class ClassicGroupCalls {

    /** Beyond the rebalance timeout, how long a join's answer may take to come back from the coordinator. */
    static final Duration GRACE = Duration.ofSeconds(5);

    private ClassicGroupCalls() {
    }

    /** A join waits up to the member's rebalance timeout (its session timeout before JoinGroup v1) for the rest. */
    static Duration waitFor(int rebalanceTimeoutMs, int sessionTimeoutMs) {
        return Duration.ofMillis(Math.max(0, Math.max(rebalanceTimeoutMs, sessionTimeoutMs))).plus(GRACE);
    }

    /**
     * A failed call's Kafka error and message, for an answer of {@code <T>}. A call the coordinator did not answer
     * (REQUEST_TIMED_OUT: it timed out, or broke after it was sent, as when this gateway stops under a join waiting
     * for a rebalance) is COORDINATOR_NOT_AVAILABLE, as Kafka's group coordinator answers a timed-out operation: group
     * clients find their coordinator again and retry it, where REQUEST_TIMED_OUT in a join answer ends a classic
     * consumer.
     */
    public static <T> Mono<T> failed(Throwable e, BiFunction<Errors, String, T> answer) {
        ApiException error = KafkaErrors.exception(e);
        Errors code = Errors.forException(error);
        return Mono.just(code == Errors.REQUEST_TIMED_OUT
                ? answer.apply(Errors.COORDINATOR_NOT_AVAILABLE, error.getMessage())
                : answer.apply(code, error.getMessage()));
    }
}

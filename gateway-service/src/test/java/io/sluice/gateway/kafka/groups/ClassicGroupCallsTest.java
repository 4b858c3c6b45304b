package io.sluice.gateway.kafka.groups;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.protocol.ErrorCode;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

/** The errors a group call answers Kafka's group clients with when the coordinator did not answer it. */
class ClassicGroupCallsTest {

    /**
     * A call to the coordinator broken after it was sent (the gateway stopping under a JoinGroup that waits for a
     * rebalance, say) is REQUEST_TIMED_OUT inside Sluice, which Kafka's group clients treat as fatal in a join answer;
     * Kafka's group coordinator answers COORDINATOR_NOT_AVAILABLE for it, and the client finds its coordinator again.
     */
    @Test
    void aCallTheCoordinatorDidNotAnswerIsCoordinatorNotAvailable() {
        Errors answered = ClassicGroupCalls.failed(ErrorCode.REQUEST_TIMED_OUT.exception("The call to the "
                + "coordinator failed after it was sent"), (error, message) -> error).block();

        assertThat(answered).isEqualTo(Errors.COORDINATOR_NOT_AVAILABLE);
    }

    @Test
    void aRefusalOfTheCoordinatorIsItsOwnError() {
        Errors answered = ClassicGroupCalls.failed(ErrorCode.UNKNOWN_MEMBER.exception("gone"),
                (error, message) -> error).block();

        assertThat(answered).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    }
}

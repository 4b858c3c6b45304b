package io.sluice.gateway.kafka.share;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.protocol.ErrorCode;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

/**
 * A share-partition's failed take is answered with an error Kafka's share consumer handles: its ShareFetchCollector
 * throws every partition error it does not know out of the application's {@code poll} ("Unexpected error code 7 while
 * fetching", which the chaos run met while the gateway was cut from the coordinators).
 */
class ShareFetchErrorsTest {

    @Test
    void aPassingFailureIsAnUnknownServerErrorTheConsumerRetries() {
        assertThat(ShareFetchApi.fetchError(ErrorCode.REQUEST_TIMED_OUT.exception("the coordinator did not answer")))
                .isEqualTo(Errors.UNKNOWN_SERVER_ERROR);
        assertThat(ShareFetchApi.fetchError(ErrorCode.COORDINATOR_NOT_AVAILABLE.exception("no active coordinator")))
                .isEqualTo(Errors.UNKNOWN_SERVER_ERROR);
    }

    @Test
    void errorsTheConsumerHandlesItselfOrThatAreNotPassingAreAnsweredAsTheyAre() {
        assertThat(ShareFetchApi.fetchError(ErrorCode.NOT_LEADER.exception("moved")))
                .isEqualTo(Errors.NOT_LEADER_OR_FOLLOWER);
        assertThat(ShareFetchApi.fetchError(ErrorCode.UNKNOWN_TOPIC.exception("gone")))
                .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
        assertThat(ShareFetchApi.fetchError(ErrorCode.TOPIC_AUTHORIZATION_FAILED.exception("no")))
                .isEqualTo(Errors.TOPIC_AUTHORIZATION_FAILED);
    }
}

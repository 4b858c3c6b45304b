package io.sluice.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.protocol.ErrorCode;
import java.util.UUID;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Sluice's errors reach Kafka clients as errors they handle the same way; topic ids and API versions as Kafka's. */
class KafkaErrorsTest {

    @ParameterizedTest
    @EnumSource(ErrorCode.class)
    void everyErrorIsAKafkaErrorAndARetriableOneStaysRetriable(ErrorCode code) {
        Errors error = KafkaErrors.of(code);
        assertThat(error).isNotEqualTo(Errors.NONE);
        if (code.retriable()) {
            assertThat(error.exception()).as("%s as %s", code, error).isInstanceOf(RetriableException.class);
        }
    }

    @Test
    void aSluiceErrorKeepsItsMessageAsAKafkaException() {
        assertThat(KafkaErrors.exception(ErrorCode.NOT_LEADER.exception("moved to node 2")))
                .hasMessage("moved to node 2").isInstanceOf(org.apache.kafka.common.errors.NotLeaderOrFollowerException.class);
        assertThat(Errors.forException(KafkaErrors.exception(new IllegalStateException("bug"))))
                .isEqualTo(Errors.UNKNOWN_SERVER_ERROR);
    }

    @Test
    void aTopicIdIsItsUuidsBitsAndStableForAnyOtherId() {
        UUID uuid = UUID.randomUUID();
        assertThat(TopicIds.of(uuid.toString())).isEqualTo(new Uuid(uuid.getMostSignificantBits(),
                uuid.getLeastSignificantBits()));
        assertThat(TopicIds.of("not-a-uuid")).isEqualTo(TopicIds.of("not-a-uuid"))
                .isNotEqualTo(TopicIds.of("not-a-uuid-2"));
    }

    @Test
    void apiVersionsOffersEachSupportedApiAtEveryVersionKafkaClientsReadsAndApiVersionsAlways() {
        SupportedApis supported = SupportedApis.of(java.util.Set.of(ApiKeys.PRODUCE, ApiKeys.FETCH));
        var answer = supported.apiVersions(KafkaCodec.parse(new org.apache.kafka.common.requests.ApiVersionsRequest
                .Builder().build((short) 3).serializeWithHeader(new org.apache.kafka.common.requests.RequestHeader(
                        ApiKeys.API_VERSIONS, (short) 3, "c", 1))));
        assertThat(answer.errorCode()).isZero();
        assertThat(answer.apiKeys()).hasSize(3);
        assertThat(answer.apiKeys().find(ApiKeys.FETCH.id).minVersion()).isEqualTo(ApiKeys.FETCH.oldestVersion());
        assertThat(answer.apiKeys().find(ApiKeys.FETCH.id).maxVersion()).isEqualTo(ApiKeys.FETCH.latestVersion());
    }
}

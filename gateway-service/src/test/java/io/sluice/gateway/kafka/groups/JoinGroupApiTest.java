package io.sluice.gateway.kafka.groups;

import static org.assertj.core.api.Assertions.assertThatCode;

import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.protocol.MessageUtil;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** A refused JoinGroup is written in every version a client may ask in (librdkafka asks versions below 7). */
class JoinGroupApiTest {

    static short[] versions() {
        short[] all = new short[ApiKeys.JOIN_GROUP.latestVersion() - ApiKeys.JOIN_GROUP.oldestVersion() + 1];
        for (int i = 0; i < all.length; i++) {
            all[i] = (short) (ApiKeys.JOIN_GROUP.oldestVersion() + i);
        }
        return all;
    }

    @ParameterizedTest
    @MethodSource("versions")
    void aRefusalIsWrittenInEveryVersion(short version) {
        assertThatCode(() -> MessageUtil.toByteBufferAccessor(
                JoinGroupApi.failed(Errors.GROUP_AUTHORIZATION_FAILED, "no"), version))
                .doesNotThrowAnyException();
    }
}

package io.sluice.gateway.kafka.groups;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.internal.streams.StreamsHeartbeatResponse;
import io.sluice.internal.streams.TaskIds;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.kafka.common.message.StreamsGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.MessageUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A streams member's heartbeat answer as written on the wire at each version served: the group's task offset interval
 * and acceptable recovery lag in the field the version has (an int32 of its own in version 0, which version 1 must
 * leave at its default or the answer cannot be written), read back as Kafka's client reads it.
 */
class StreamsGroupHeartbeatApiTest {

    private static final StreamsHeartbeatResponse ANSWER = new StreamsHeartbeatResponse("m", 3, 5_000, 20_000, 250,
            List.of(), List.of(new TaskIds("0", List.of(1))), List.of(), List.of(), 1, List.of(), false);

    @ParameterizedTest(name = "version {0}")
    @ValueSource(shorts = {0, 1})
    void theGroupsTaskOffsetIntervalAndRecoveryLagAreWrittenInTheVersionsField(short version) {
        StreamsGroupHeartbeatResponseData read = roundTrip(StreamsGroupHeartbeatApi.answer(ANSWER, 0, version),
                version);

        assertThat(read.taskOffsetIntervalMs()).isEqualTo(20_000);
        assertThat(version == 0 ? read.acceptableRecoveryLagLegacy() : read.acceptableRecoveryLag()).isEqualTo(250);
        assertThat(read.activeTasks()).singleElement().satisfies(tasks -> {
            assertThat(tasks.subtopologyId()).isEqualTo("0");
            assertThat(tasks.partitions()).containsExactly(1);
        });
    }

    @Test
    void aLagBeyondVersionZerosInt32IsTheLargestItHolds() {
        StreamsHeartbeatResponse huge = new StreamsHeartbeatResponse("m", 3, 5_000, 20_000, 5_000_000_000L,
                List.of(), List.of(), List.of(), List.of(), 1, List.of(), false);

        assertThat(roundTrip(StreamsGroupHeartbeatApi.answer(huge, 0, (short) 0), (short) 0)
                .acceptableRecoveryLagLegacy()).isEqualTo(Integer.MAX_VALUE);
    }

    private static StreamsGroupHeartbeatResponseData roundTrip(StreamsGroupHeartbeatResponseData data, short version) {
        ByteBuffer bytes = MessageUtil.toByteBufferAccessor(data, version).buffer();
        return new StreamsGroupHeartbeatResponseData(new ByteBufferAccessor(bytes), version);
    }
}

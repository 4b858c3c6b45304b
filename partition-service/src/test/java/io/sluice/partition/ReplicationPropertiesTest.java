package io.sluice.partition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.util.unit.DataSize;

/** {@code sluice.partition.replication.*} as a node binds it at start. */
class ReplicationPropertiesTest {

    @Test
    void theFetchStreamIsOnAndAnAnswerToAFollowerHoldsAtMost64MbByDefault() {
        PartitionProperties.Replication replication = bind(Map.of("sluice.partition.replication.lag-time-max", "30s"));

        assertThat(replication.fetchStream()).isTrue();
        assertThat(replication.fetchResponseMaxBytes()).isEqualTo(DataSize.ofMegabytes(64));
        assertThat(bind(Map.of("sluice.partition.replication.fetch-stream", "false",
                "sluice.partition.replication.fetch-response-max-bytes", "128MB")))
                .extracting(PartitionProperties.Replication::fetchStream,
                        PartitionProperties.Replication::fetchResponseMaxBytes)
                .containsExactly(false, DataSize.ofMegabytes(128));
    }

    @Test
    void aResponseBudgetAboveHalfAStreamFrameOrUnderOneByteStopsTheNodeWithItsName() {
        for (String bad : new String[] {"129MB", "0B"}) {
            assertThatThrownBy(() -> bind(Map.of("sluice.partition.replication.fetch-response-max-bytes", bad)))
                    .isInstanceOf(BindException.class)
                    .rootCause().hasMessageContaining("fetch-response-max-bytes must be between 1B and 128MB");
        }
    }

    private static PartitionProperties.Replication bind(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values))
                .bindOrCreate("sluice.partition.replication", PartitionProperties.Replication.class);
    }
}

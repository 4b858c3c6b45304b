package io.sluice.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MetadataSummaryTest {

    private static final String TOPICS = """
            [{"name":"orders","id":"x","replication_factor":2,"configs":{"retention.ms":"1000"},"partitions":[
               {"partition":0,"replicas":[1,2],"leader":1,"isr":[1,2],"leader_epoch":3,"partition_epoch":4},
               {"partition":1,"replicas":[2,1],"leader":-1,"isr":[2],"leader_epoch":1,"partition_epoch":2}]},
             {"name":"audit.log","id":"y","replication_factor":1,"configs":{},"partitions":[
               {"partition":0,"replicas":[1],"leader":1,"isr":[1],"leader_epoch":0,"partition_epoch":0}]}]
            """;
    private static final String NODES = """
            [{"id":1,"url":"http://127.0.0.1:9501","rack":null,"status":"ALIVE"},
             {"id":2,"url":"http://127.0.0.1:9502","rack":"r\\u0031","status":"DEAD"}]
            """;

    @Test
    void countsTopicsPartitionsOfflineUnderReplicatedAndLiveNodes() {
        MetadataSummary summary = MetadataSummary.parse(TOPICS, NODES);

        assertThat(summary).isEqualTo(new MetadataSummary(2, 3, List.of("orders-1"), 1, 1, 2));
        assertThat(summary.describe())
                .isEqualTo("2 topics, 3 partitions, 1 offline [orders-1], 1 under-replicated; 1 of 2 nodes alive");
    }

    @Test
    void anEmptyClusterHasNothing() {
        assertThat(MetadataSummary.parse("[]", "[]").describe())
                .isEqualTo("0 topics, 0 partitions, 0 offline, 0 under-replicated; 0 of 0 nodes alive");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "[1,", "{\"a\" 1}", "[1] x", "\"open", "{\"a\":tru}", "{\"status\":\"UP\"}"})
    void whenADocumentIsMalformedOrMisshapenShouldRefuseIt(String topics) {
        assertThatIllegalArgumentException().isThrownBy(() -> MetadataSummary.parse(topics, "[]"));
    }
}

package io.sluice.internal.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.internal.SluiceJson;
import org.junit.jupiter.api.Test;

/** A node record as stored and read back, with and without the decommissioning mark. */
class NodeInfoTest {

    @Test
    void whenANodeWasStoredBeforeDecommissioningExistedShouldReadAsNotDecommissioning() {
        String stored = "{\"id\":3,\"url\":\"http://127.0.0.1:9003\",\"rack\":\"a\",\"status\":\"ALIVE\","
                + "\"incarnation\":\"p1\"}";

        NodeInfo read = SluiceJson.mapper().readValue(stored, NodeInfo.class);

        assertThat(read).isEqualTo(new NodeInfo(3, "http://127.0.0.1:9003", "a", NodeStatus.ALIVE, "p1"));
        assertThat(read.decommissioning()).isFalse();
        assertThat(read.acceptsReplicas()).isTrue();
    }

    @Test
    void whenDecommissioningShouldKeepTheMarkThroughStatusChangesAndTakeNoReplicas() {
        NodeInfo node = new NodeInfo(3, "http://127.0.0.1:9003", null, NodeStatus.ALIVE, "p1").withDecommissioning(true);

        String json = SluiceJson.mapper().writeValueAsString(node);

        assertThat(json).contains("\"decommissioning\":true");
        assertThat(SluiceJson.mapper().readValue(json, NodeInfo.class)).isEqualTo(node);
        assertThat(node.acceptsReplicas()).isFalse();
        assertThat(node.withStatus(NodeStatus.DEAD).withStatus(NodeStatus.ALIVE).decommissioning()).isTrue();
    }
}

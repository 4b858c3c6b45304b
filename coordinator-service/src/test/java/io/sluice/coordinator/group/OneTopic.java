package io.sluice.coordinator.group;

import io.sluice.internal.metadata.ClusterMetadata;
import io.sluice.internal.metadata.MetadataView;
import io.sluice.internal.metadata.PartitionState;
import io.sluice.internal.metadata.TopicMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The cluster of the group simulations: one topic {@code t} (id {@code topic-id}), every partition on node 1. */
final class OneTopic {

    private OneTopic() {
    }

    static MetadataView view(int partitions) {
        List<PartitionState> states = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            states.add(new PartitionState(p, List.of(1), 1, List.of(1), 0, 0));
        }
        return new MetadataView(new ClusterMetadata(1, null, List.of(),
                List.of(new TopicMetadata("t", "topic-id", 1, Map.of(), states))));
    }
}

package io.sluice.coordinator.partition;

import io.sluice.coordinator.store.MetadataChange;
import io.sluice.coordinator.store.MetadataStore;
import io.sluice.internal.metadata.MetadataView;
import io.sluice.internal.metadata.NodeInfo;
import io.sluice.internal.metadata.PartitionState;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.protocol.config.TopicConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/** Builds metadata changes that rewrite partition states across topics. */
public final class PartitionChanges {

    private PartitionChanges() {
    }

    /**
     * Applies {@code transition} to every partition of every topic; topics where some partition changed are
     * updated, guarded by the partition epochs they were read at.
     */
    public static MetadataChange forEachPartition(MetadataView view, List<NodeInfo> nodes,
                                                  BiFunction<TopicMetadata, PartitionState, PartitionState> transition) {
        List<MetadataChange.TopicWrite> writes = new ArrayList<>();
        for (TopicMetadata topic : view.metadata().topics()) {
            List<PartitionState> states = new ArrayList<>(topic.partitions().size());
            boolean changed = false;
            for (PartitionState state : topic.partitions()) {
                PartitionState next = transition.apply(topic, state);
                changed |= !next.equals(state);
                states.add(next);
            }
            if (changed) {
                writes.add(MetadataChange.TopicWrite.update(topic.withPartitions(states), MetadataStore.partitionEpochs(topic)));
            }
        }
        return new MetadataChange(nodes, writes, List.of());
    }

    public static boolean uncleanAllowed(TopicMetadata topic) {
        return TopicConfig.of(topic.configs()).uncleanLeaderElectionEnable();
    }
}

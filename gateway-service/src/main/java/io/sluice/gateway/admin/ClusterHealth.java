package io.sluice.gateway.admin;

import io.sluice.internal.metadata.MetadataView;
import io.sluice.internal.metadata.NodeInfo;
import io.sluice.internal.metadata.PartitionState;
import io.sluice.internal.metadata.TopicMetadata;
import java.util.ArrayList;
import java.util.List;

/** Cluster health as the gateway's metadata shows it: counts, and the partitions that are offline or under-replicated. */
record ClusterHealth(long metadataVersion, String coordinator, int nodeCount, int liveNodeCount, int topicCount,
                     int partitionCount, List<PartitionRef> offlinePartitions,
                     List<PartitionRef> underReplicatedPartitions) {

    record PartitionRef(String topic, int partition) {
    }

    static ClusterHealth of(MetadataView view) {
        var metadata = view.metadata();
        List<PartitionRef> offline = new ArrayList<>();
        List<PartitionRef> under = new ArrayList<>();
        int partitions = 0;
        for (TopicMetadata topic : metadata.topics()) {
            for (PartitionState p : topic.partitions()) {
                partitions++;
                if (!p.hasLeader()) {
                    offline.add(new PartitionRef(topic.name(), p.partition()));
                } else if (p.isUnderReplicated()) {
                    under.add(new PartitionRef(topic.name(), p.partition()));
                }
            }
        }
        return new ClusterHealth(metadata.version(),
                metadata.coordinator() == null ? null : metadata.coordinator().url(), metadata.nodes().size(),
                (int) metadata.nodes().stream().filter(NodeInfo::isAlive).count(), metadata.topics().size(),
                partitions, offline, under);
    }
}

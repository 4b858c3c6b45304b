package io.sluice.gateway.admin;

import io.sluice.internal.metadata.MetadataView;
import io.sluice.internal.metadata.NodeInfo;
import io.sluice.internal.metadata.PartitionState;
import io.sluice.internal.metadata.TopicMetadata;
import java.util.ArrayList;
import java.util.List;

/** Cluster health as the gateway's metadata shows it. */
record ClusterHealth(long metadataVersion, String coordinator, int nodes, int liveNodes, int topics, int partitions,
                     List<String> offlinePartitions, List<String> underReplicatedPartitions) {
    static ClusterHealth of(MetadataView view) {
        var metadata = view.metadata();
        List<String> offline = new ArrayList<>();
        List<String> under = new ArrayList<>();
        int partitions = 0;
        for (TopicMetadata topic : metadata.topics()) {
            for (PartitionState p : topic.partitions()) {
                partitions++;
                if (!p.hasLeader()) {
                    offline.add(topic.name() + "-" + p.partition());
                } else if (p.isUnderReplicated()) {
                    under.add(topic.name() + "-" + p.partition());
                }
            }
        }
        return new ClusterHealth(metadata.version(),
                metadata.coordinator() == null ? null : metadata.coordinator().url(), metadata.nodes().size(),
                (int) metadata.nodes().stream().filter(NodeInfo::isAlive).count(), metadata.topics().size(),
                partitions, offline, under);
    }
}

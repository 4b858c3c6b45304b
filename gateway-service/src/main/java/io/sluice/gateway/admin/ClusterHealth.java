package io.sluice.gateway.admin;

import io.sluice.gateway.admin.AdminViews.Throughput;
import io.sluice.internal.coordinator.CoordinatorStatus;
import io.sluice.internal.metadata.CoordinatorInfo;
import io.sluice.internal.metadata.MetadataView;
import io.sluice.internal.metadata.NodeInfo;
import io.sluice.internal.metadata.PartitionState;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.internal.partition.NodeStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Cluster health: counts and the partitions that are offline or under-replicated (as the gateway's metadata shows
 * them), the active coordinator, and the bytes on disk and throughput of the nodes that answered
 * ({@code reportingNodeCount} of them; both null when none did); {@code authorizedOperations}, when asked for, what
 * the caller may do with the cluster (else null).
 */
record ClusterHealth(long metadataVersion, Coordinator coordinator, int nodeCount, int liveNodeCount,
                     int reportingNodeCount, int topicCount, int partitionCount,
                     List<PartitionRef> offlinePartitions, List<PartitionRef> underReplicatedPartitions,
                     Long sizeBytes, Throughput throughput, List<String> authorizedOperations) {

    ClusterHealth withAuthorizedOperations(List<String> operations) {
        return new ClusterHealth(metadataVersion, coordinator, nodeCount, liveNodeCount, reportingNodeCount,
                topicCount, partitionCount, offlinePartitions, underReplicatedPartitions, sizeBytes, throughput,
                operations);
    }

    record PartitionRef(String topic, int partition) {
    }

    /**
     * The active coordinator as the metadata names it (null fields while there is none): its instance, URL and the
     * fencing token of its lease. {@code reachable}: it answered this request and says it is active.
     */
    record Coordinator(String instanceId, String url, Long fencingToken, boolean reachable) {
    }

    static ClusterHealth of(MetadataView view, CoordinatorStatus status, Map<Integer, NodeStats> nodes) {
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
        CoordinatorInfo active = metadata.coordinator();
        Coordinator coordinator = new Coordinator(active == null ? null : active.instanceId(),
                active == null ? null : active.url(), active == null ? null : active.fencingToken(),
                status != null && status.active());
        return new ClusterHealth(metadata.version(), coordinator, metadata.nodes().size(),
                (int) metadata.nodes().stream().filter(NodeInfo::isAlive).count(), nodes.size(),
                metadata.topics().size(), partitions, offline, under,
                nodes.isEmpty() ? null : nodes.values().stream().mapToLong(StorageStats::sizeBytes).sum(),
                Throughput.of(StorageStats.throughput(nodes.values())), null);
    }
}

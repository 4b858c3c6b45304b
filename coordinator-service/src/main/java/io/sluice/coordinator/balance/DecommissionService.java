package io.sluice.coordinator.balance;

import io.sluice.coordinator.metadata.MetadataManager;
import io.sluice.coordinator.metadata.Mutation;
import io.sluice.coordinator.store.MetadataChange;
import io.sluice.internal.coordinator.DecommissionListing;
import io.sluice.internal.metadata.MetadataView;
import io.sluice.internal.metadata.NodeInfo;
import io.sluice.internal.metadata.PartitionState;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.protocol.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Decommissioning a node: the mark is the node record's {@code decommissioning}, stored with the rest of the metadata
 * under the fencing token (so it survives a coordinator failover and the node's restarts); a marked node is given no
 * new replica ({@code TopicService} places on nodes that {@link NodeInfo#acceptsReplicas()}), and the
 * {@link Balancer} hands its leaderships to other in-sync replicas at once and moves every replica off it, a few
 * partitions at a time. When no partition has a replica on it any more, its progress says it is safe to remove.
 * Cancelling lifts the mark; moves already under way complete (cancel them as any move, through the reassignments).
 */
@Service
class DecommissionService {

    private static final Logger LOG = LoggerFactory.getLogger(DecommissionService.class);

    private final MetadataManager metadata;
    private final Balancer balancer;

    DecommissionService(MetadataManager metadata, Balancer balancer) {
        this.metadata = metadata;
        this.balancer = balancer;
    }

    /** Marks the node, starts the first moves off it, and answers its progress then. */
    Mono<DecommissionListing.Progress> start(int nodeId) {
        return mark(nodeId, true)
                .then(balancer.round().onErrorResume(e -> {
                    LOG.warn("Could not start moves off node {} yet: {}; the balancer tries again", nodeId,
                            e.toString());
                    return Mono.empty();
                }))
                .then(Mono.fromSupplier(() -> progress(metadata.view(), metadata.view().node(nodeId).orElseThrow())));
    }

    /** Lifts the mark: the node may be given replicas again. */
    Mono<Void> cancel(int nodeId) {
        return mark(nodeId, false);
    }

    /** The nodes being decommissioned, with their progress. */
    DecommissionListing list() {
        MetadataView view = metadata.view();
        return new DecommissionListing(view.metadata().nodes().stream()
                .filter(NodeInfo::decommissioning)
                .map(node -> progress(view, node))
                .toList());
    }

    private Mono<Void> mark(int nodeId, boolean decommissioning) {
        return metadata.submit(view -> {
            NodeInfo node = view.node(nodeId).orElseThrow(() ->
                    ErrorCode.UNKNOWN_NODE.exception("Node " + nodeId + " is not registered"));
            if (node.decommissioning() == decommissioning) {
                return Mutation.none(null);
            }
            LOG.info(decommissioning ? "Decommissioning node {}: its replicas move to other nodes"
                    : "Node {} is no longer being decommissioned", nodeId);
            return Mutation.of(MetadataChange.ofNode(node.withDecommissioning(decommissioning)), null);
        });
    }

    private static DecommissionListing.Progress progress(MetadataView view, NodeInfo node) {
        int partitions = 0;
        int movingOff = 0;
        for (TopicMetadata topic : view.metadata().topics()) {
            for (PartitionState state : topic.partitions()) {
                if (state.replicas().contains(node.id())) {
                    partitions++;
                    movingOff += state.removingReplicas().contains(node.id()) ? 1 : 0;
                }
            }
        }
        return new DecommissionListing.Progress(node.id(), node.status(), partitions, movingOff, partitions == 0);
    }
}

package io.sluice.coordinator.balance;

import io.sluice.coordinator.metadata.MetadataManager;
import io.sluice.coordinator.metadata.Mutation;
import io.sluice.coordinator.store.MetadataChange;
import io.sluice.internal.metadata.NodeInfo;
import io.sluice.protocol.ErrorCode;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Each node's move throttle ({@link NodeInfo#moveThrottle}): stored in the node's record under the fencing token, so
 * it survives a coordinator failover and the node's restarts, and pushed with the metadata to the node, which applies
 * it as a leader to the replicas its partitions' moves are adding.
 */
@Service
class MoveThrottles {

    private static final Logger LOG = LoggerFactory.getLogger(MoveThrottles.class);

    private final MetadataManager metadata;

    MoveThrottles(MetadataManager metadata) {
        this.metadata = metadata;
    }

    /** Sets {@code nodeId}'s throttle to {@code bytesPerSecond} (null: the node's configured default). */
    Mono<NodeInfo> set(int nodeId, Long bytesPerSecond) {
        if (bytesPerSecond != null && bytesPerSecond < 1) {
            return Mono.error(ErrorCode.INVALID_REQUEST.exception("bytes_per_second must be at least 1, was "
                    + bytesPerSecond));
        }
        return metadata.submit(view -> {
            NodeInfo node = view.node(nodeId).orElseThrow(() ->
                    ErrorCode.UNKNOWN_NODE.exception("Node " + nodeId + " is not registered"));
            if (Objects.equals(node.moveThrottle(), bytesPerSecond)) {
                return Mutation.none(node);
            }
            LOG.info("Node {} serves replicas that moves add at {}", nodeId,
                    bytesPerSecond == null ? "its configured rate" : bytesPerSecond + " bytes/s");
            NodeInfo throttled = node.withMoveThrottle(bytesPerSecond);
            return Mutation.of(MetadataChange.ofNode(throttled), throttled);
        });
    }
}

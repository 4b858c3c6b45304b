package io.sluice.internal.client;

import io.sluice.internal.metadata.MetadataView;
import io.sluice.internal.metadata.NodeInfo;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Closes a node's circuit when the metadata shows the node back: alive again after it was dead, or alive under a new
 * incarnation (a process that registered since). The failures that opened the circuit were the old process's or the
 * dead node's, and the circuit would otherwise keep refusing the node for the rest of its open duration after it is
 * back (a follower could not ask a restarted leader where its epochs end, a gateway could not send it produces). A
 * {@link MetadataWatcher} listener, so it runs on the watcher's thread only.
 */
public final class ReturningNodes implements Consumer<MetadataView> {

    private final InternalHttp http;
    /** The last status and incarnation seen of each node. */
    private final Map<Integer, NodeInfo> seen = new HashMap<>();

    public ReturningNodes(InternalHttp http) {
        this.http = http;
    }

    /** One that follows {@code watcher}'s metadata from now on. */
    public static ReturningNodes following(MetadataWatcher watcher, InternalHttp http) {
        ReturningNodes returning = new ReturningNodes(http);
        watcher.addListener(returning);
        return returning;
    }

    @Override
    public void accept(MetadataView view) {
        for (NodeInfo node : view.metadata().nodes()) {
            NodeInfo before = seen.put(node.id(), node);
            if (before != null && node.isAlive()
                    && (!before.isAlive() || !Objects.equals(before.incarnation(), node.incarnation()))) {
                http.closeCircuit(Target.node(node));
            }
        }
    }
}

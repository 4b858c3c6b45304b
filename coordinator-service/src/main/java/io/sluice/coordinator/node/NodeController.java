package io.sluice.coordinator.node;

import io.sluice.internal.coordinator.CoordinatorPaths;
import io.sluice.internal.coordinator.OfflineReplicasRequest;
import io.sluice.internal.coordinator.RegisterRequest;
import io.sluice.internal.coordinator.RegisterResponse;
import io.sluice.internal.coordinator.ShutdownResponse;
import io.sluice.internal.metadata.NodeInfo;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Node membership over HTTP. Partition services register when they start, heartbeat while they run and ask for a
 * controlled shutdown before they stop; the gateway's admin face lists the nodes. Decisions are {@link NodeService}'s.
 */
@RestController
class NodeController {

    private final NodeService nodes;

    NodeController(NodeService nodes) {
        this.nodes = nodes;
    }

    @PostMapping(CoordinatorPaths.NODES)
    Mono<RegisterResponse> register(@RequestBody RegisterRequest request) {
        return nodes.register(request);
    }

    @GetMapping(CoordinatorPaths.NODES)
    List<NodeInfo> listNodes() {
        return nodes.list();
    }

    @PostMapping(CoordinatorPaths.NODE_HEARTBEAT)
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> heartbeat(@PathVariable int id) {
        return nodes.heartbeat(id);
    }

    @PostMapping(CoordinatorPaths.NODE_UNREACHABLE)
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> unreachable(@PathVariable int id) {
        return nodes.reportUnreachable(id);
    }

    @PostMapping(CoordinatorPaths.NODE_OFFLINE_REPLICAS)
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> offlineReplicas(@PathVariable int id, @RequestBody OfflineReplicasRequest request) {
        return nodes.offlineReplicas(id, request);
    }

    @PostMapping(CoordinatorPaths.NODE_SHUTDOWN)
    Mono<ShutdownResponse> shutdown(@PathVariable int id) {
        return nodes.shutdown(id);
    }
}

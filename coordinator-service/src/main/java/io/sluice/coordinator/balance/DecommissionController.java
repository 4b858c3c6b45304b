package io.sluice.coordinator.balance;

import io.sluice.internal.coordinator.CoordinatorPaths;
import io.sluice.internal.coordinator.DecommissionListing;
import io.sluice.internal.coordinator.MoveThrottleRequest;
import io.sluice.internal.metadata.NodeInfo;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Decommissioning nodes over HTTP: start, cancel, and see how far each has come ({@link DecommissionService} decides);
 * and each node's move throttle ({@link MoveThrottles}).
 */
@RestController
class DecommissionController {

    private final DecommissionService decommissions;
    private final MoveThrottles throttles;

    DecommissionController(DecommissionService decommissions, MoveThrottles throttles) {
        this.decommissions = decommissions;
        this.throttles = throttles;
    }

    @PutMapping(CoordinatorPaths.NODE_MOVE_THROTTLE)
    Mono<NodeInfo> throttle(@PathVariable int id, @RequestBody MoveThrottleRequest request) {
        return throttles.set(id, request.bytesPerSecond());
    }

    @DeleteMapping(CoordinatorPaths.NODE_MOVE_THROTTLE)
    Mono<NodeInfo> unthrottle(@PathVariable int id) {
        return throttles.set(id, null);
    }

    @PostMapping(CoordinatorPaths.NODE_DECOMMISSION)
    Mono<DecommissionListing.Progress> decommission(@PathVariable int id) {
        return decommissions.start(id);
    }

    @DeleteMapping(CoordinatorPaths.NODE_DECOMMISSION)
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> cancel(@PathVariable int id) {
        return decommissions.cancel(id);
    }

    @GetMapping(CoordinatorPaths.DECOMMISSIONS)
    Mono<DecommissionListing> list() {
        return Mono.fromSupplier(decommissions::list);
    }
}

package io.sluice.coordinator.failover;

import io.sluice.coordinator.lease.CoordinatorLease;
import io.sluice.coordinator.lease.LeaseStatus;
import io.sluice.coordinator.metadata.MetadataManager;
import io.sluice.internal.coordinator.CoordinatorPaths;
import io.sluice.internal.coordinator.CoordinatorStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * This instance's status, answered by every coordinator, standbys included ({@link StandbyRedirectFilter} lets it
 * through): who it is, whether it is active and serving (holds the lease and has loaded the metadata), where the
 * active coordinator is, and the fencing token and metadata version while it is active. Clients given several
 * coordinator URLs use it to find the active one; tests and operators use it to watch a failover.
 */
@RestController
class CoordinatorStatusController {

    private final CoordinatorLease lease;
    private final MetadataManager metadata;

    CoordinatorStatusController(CoordinatorLease lease, MetadataManager metadata) {
        this.lease = lease;
        this.metadata = metadata;
    }

    @GetMapping(CoordinatorPaths.STATUS)
    CoordinatorStatus status() {
        LeaseStatus status = lease.status();
        boolean ready = metadata.isReady();
        return new CoordinatorStatus(lease.instanceId(), ready,
                status.activeCoordinator() == null ? null : status.activeCoordinator().url(),
                status.active() ? status.self().fencingToken() : null,
                ready ? metadata.view().version() : -1);
    }
}

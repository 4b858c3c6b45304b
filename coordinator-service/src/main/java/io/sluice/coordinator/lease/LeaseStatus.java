package io.sluice.coordinator.lease;

import io.sluice.internal.metadata.CoordinatorInfo;

/**
 * Whether this instance is the active coordinator; {@code self} is set while active, {@code activeCoordinator}
 * names the active instance as last seen (this one when active, possibly null for a standby that has not seen one).
 */
public record LeaseStatus(boolean active, CoordinatorInfo self, CoordinatorInfo activeCoordinator) {

    static LeaseStatus active(CoordinatorInfo self) {
        return new LeaseStatus(true, self, self);
    }

    static LeaseStatus standby(CoordinatorInfo activeCoordinator) {
        return new LeaseStatus(false, null, activeCoordinator);
    }
}

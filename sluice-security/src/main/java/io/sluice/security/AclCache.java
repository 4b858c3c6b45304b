package io.sluice.security;

import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.internal.acl.AclApi;
import io.sluice.internal.acl.AclSnapshot;
import java.time.Clock;
import java.time.Duration;

/**
 * A process's copy of the cluster's ACLs (a gateway's, a partition service's), kept as {@link CoordinatorCopy} keeps
 * it. Before the first read there is no set ({@link #current} is null), and only super users are served.
 */
public final class AclCache extends CoordinatorCopy<AclSnapshot> {

    public AclCache(AclApi coordinator, Duration refreshInterval, Clock clock) {
        super("ACLs", coordinator::acls, AclSnapshot::version, refreshInterval, clock);
    }

    /** Its gauges, {@code sluice_<service>_acls_age_seconds} and {@code sluice_<service>_acls}. */
    public AclCache withMetrics(MeterRegistry meters, String service) {
        registerMetrics(meters, service, "acls", snapshot -> snapshot.acls().size());
        return this;
    }
}

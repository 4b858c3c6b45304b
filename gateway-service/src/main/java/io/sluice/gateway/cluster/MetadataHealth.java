package io.sluice.gateway.cluster;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Ready only once the gateway holds cluster metadata: before that it could route nothing. Part of the readiness
 * group; liveness does not depend on it (a gateway whose coordinator is away keeps serving with its last view).
 */
@Component
class MetadataHealth implements HealthIndicator {

    private final ClusterView cluster;

    MetadataHealth(ClusterView cluster) {
        this.cluster = cluster;
    }

    @Override
    public Health health() {
        if (!cluster.hasMetadata()) {
            return Health.outOfService().withDetail("metadata", "not received yet").build();
        }
        Health.Builder health = Health.up().withDetail("metadata_version", cluster.current().version());
        if (cluster.refusedMetadataRegressions() > 0) {
            // Still serving with the last good view; the alarm is for the operator (see MetadataWatcher).
            health.withDetail("refused_metadata_regressions", cluster.refusedMetadataRegressions());
        }
        return health.build();
    }
}

package io.sluice.coordinator.metadata;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The coordinator's metadata in {@code /actuator/health}: its version, whether this instance serves it, and the alarm
 * raised when a follower had seen a newer version than this coordinator has ({@code followers_ahead_of_version}). That
 * alarm does not take the coordinator down — restarting it would not bring the lost writes back — but an operator
 * must look (the same signal is the metric {@code sluice_coordinator_metadata_followers_ahead_total}).
 */
@Component
class MetadataHealth implements HealthIndicator {

    private final MetadataManager metadata;

    MetadataHealth(MetadataManager metadata) {
        this.metadata = metadata;
    }

    @Override
    public Health health() {
        Health.Builder health = Health.up()
                .withDetail("active", metadata.isReady())
                .withDetail("metadata_version", metadata.view().version());
        long ahead = metadata.highestVersionAhead();
        if (ahead > 0) {
            health.withDetail("followers_ahead_of_version", ahead);
        }
        return health.build();
    }
}

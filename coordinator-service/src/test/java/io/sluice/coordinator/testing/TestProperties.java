package io.sluice.coordinator.testing;

import io.sluice.coordinator.CoordinatorProperties;
import io.sluice.internal.client.InternalClientSettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/** Coordinator settings for tests that build a part without Spring: Kafka's group limits, short lease rounds. */
public final class TestProperties {

    private TestProperties() {
    }

    /** The defaults, with a lease of {@code leaseTtl}. */
    public static CoordinatorProperties coordinator(Duration leaseTtl) {
        return coordinator(leaseTtl, CoordinatorProperties.Balancer.defaults());
    }

    /** The defaults, with a lease of {@code leaseTtl} and {@code balancer}'s settings. */
    public static CoordinatorProperties coordinator(Duration leaseTtl, CoordinatorProperties.Balancer balancer) {
        return new CoordinatorProperties("coordinator-a", URI.create("http://127.0.0.1:9400"), Path.of("/tmp/unused"),
                new CoordinatorProperties.Redis(URI.create("redis://127.0.0.1:6390"), 6390),
                Duration.ofSeconds(6), Duration.ofSeconds(1),
                new CoordinatorProperties.Lease(leaseTtl, Duration.ofMillis(500)),
                new CoordinatorProperties.Election(Duration.ofMillis(500), Duration.ZERO),
                balancer,
                new CoordinatorProperties.Metadata(1000, Duration.ofSeconds(30)),
                new CoordinatorProperties.Groups(Duration.ofSeconds(45), Duration.ofSeconds(6), Duration.ofMinutes(30),
                        Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofMinutes(30), Duration.ofMillis(500),
                        4096, 1000, Duration.ofSeconds(3)),
                new CoordinatorProperties.Transactions(Duration.ofMinutes(15), Duration.ofSeconds(1),
                        Duration.ofMillis(100), Duration.ofSeconds(30), Duration.ofDays(7), Duration.ofHours(1)),
                new CoordinatorProperties.ShareGroups(2000, 5, Duration.ofSeconds(30),
                        CoordinatorProperties.ShareGroups.AutoOffsetReset.LATEST, Duration.ofSeconds(45),
                        Duration.ofSeconds(5), CoordinatorProperties.ShareGroups.DeadLetter.defaults()),
                CoordinatorProperties.StreamsGroups.defaults(), InternalClientSettings.defaults(), false);
    }
}

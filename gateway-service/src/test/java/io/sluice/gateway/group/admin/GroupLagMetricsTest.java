package io.sluice.gateway.group.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.atLeast;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.gateway.GatewayProperties;
import io.sluice.gateway.group.admin.GroupViews.GroupView;
import io.sluice.gateway.group.admin.GroupViews.PartitionLag;
import io.sluice.internal.coordinator.CoordinatorApi;
import io.sluice.internal.group.GroupListing;
import io.sluice.internal.group.GroupState;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * Rounds of lag measurement change the values of the gauges a group already has and remove none of them: a gauge
 * removed and registered again with the same tags is what let a Prometheus scrape meet both and fail with
 * DuplicateLabelsException (the 500 ChartBootIT once got from {@code /actuator/prometheus}).
 */
class GroupLagMetricsTest {

    @Test
    void whenTheSameGroupIsMeasuredRoundAfterRoundShouldUpdateItsGaugesWithoutRemovingAny() {
        GroupAdmin admin = mock(GroupAdmin.class);
        CoordinatorApi coordinator = mock(CoordinatorApi.class);
        GatewayProperties properties = mock(GatewayProperties.class);
        when(properties.groups()).thenReturn(new GatewayProperties.Groups(Duration.ofSeconds(5),
                Duration.ofMillis(20), GatewayProperties.Groups.LagScope.ALL, Duration.ZERO));
        when(coordinator.groups()).thenReturn(Mono.just(List.of(
                new GroupListing("dashboard", GroupState.STABLE, 1, 0))));
        when(admin.describe("dashboard")).thenReturn(Mono.just(new GroupView("dashboard", GroupState.STABLE, 1, 1,
                List.of(), List.of(new PartitionLag("clicks", 0, 5L, 0L, 9L, 4L, 1.5, null)), 4)));
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        List<Meter.Id> removed = new CopyOnWriteArrayList<>();
        meters.config().onMeterRemoved(meter -> removed.add(meter.getId()));
        GroupLagMetrics metrics = new GroupLagMetrics(admin, mock(GroupActivity.class), coordinator, properties,
                meters, mock(GroupLagHistory.class), Clock.systemUTC());

        metrics.start();
        try {
            verify(admin, timeout(10_000).atLeast(4)).describe("dashboard");
        } finally {
            metrics.stop();
        }

        assertThat(removed).as("no gauge removed while its group stays").isEmpty();
        assertThat(meters.get("sluice.gateway.group.lag.records").tag("group", "dashboard").gauge().value())
                .isEqualTo(4);
        assertThat(meters.get("sluice.gateway.group.members").tag("group", "dashboard").gauge().value()).isZero();
    }
}

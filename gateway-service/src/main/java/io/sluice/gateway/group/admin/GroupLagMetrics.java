package io.sluice.gateway.group.admin;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.sluice.gateway.GatewayProperties;
import io.sluice.gateway.group.admin.GroupViews.GroupView;
import io.sluice.gateway.group.admin.GroupViews.PartitionLag;
import io.sluice.gateway.history.PeriodicRounds;
import io.sluice.internal.coordinator.CoordinatorApi;
import io.sluice.internal.group.GroupListing;
import io.sluice.web.TaggedGauges;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Group lag metrics: every {@code groups.lag-interval}, each group in scope is described as {@code GET
 * /v1/groups/{group}} does, and the gauges are replaced: {@code sluice_gateway_group_lag_records{group,topic,partition}},
 * {@code sluice_gateway_group_lag_seconds{…}} and {@code sluice_gateway_group_members{group}}.
 *
 * <p>The scope ({@code groups.lag-scope}): {@code all} (the default) exports every group the coordinator has, so lag is
 * watched also for groups whose members are all gone; {@code served} only the groups whose members used this gateway
 * within two intervals ({@link GroupActivity}), so an idle gateway asks the leaders nothing. The cost of a round is one
 * group list and one description per group at the coordinator, and per partition of each group one offset lookup at its
 * leader (and one record read where it lags), at most two groups at a time; rounds never overlap. A gateway keeps
 * no state to share this work with the others, so a deployment of many gateways sets {@code all} on one or two and
 * {@code served} on the rest rather than having every gateway measure every group; any two gateways export the same
 * values for a group (take the max across instances). Failures are logged and the last values stay until the next
 * round. Each round is also kept in the metrics history ({@link GroupLagHistory}).
 */
@Component
class GroupLagMetrics extends PeriodicRounds {

    private static final Logger log = LoggerFactory.getLogger(GroupLagMetrics.class);

    private final GroupAdmin admin;
    private final GroupActivity activity;
    private final CoordinatorApi coordinator;
    private final GatewayProperties.Groups.LagScope scope;
    private final Duration interval;
    private final TaggedGauges lagRecords;
    private final TaggedGauges lagSeconds;
    private final TaggedGauges members;
    private final GroupLagHistory lagHistory;
    private final Clock clock;

    GroupLagMetrics(GroupAdmin admin, GroupActivity activity, CoordinatorApi coordinator, GatewayProperties properties,
                    MeterRegistry meters, GroupLagHistory lagHistory, Clock clock) {
        super(properties.groups().lagInterval(), properties.groups().lagInterval(), "Group lag");
        this.admin = admin;
        this.lagHistory = lagHistory;
        this.clock = clock;
        this.activity = activity;
        this.coordinator = coordinator;
        this.scope = properties.groups().lagScope();
        this.interval = properties.groups().lagInterval();
        this.lagRecords = new TaggedGauges(meters, "sluice.gateway.group.lag.records",
                "Records a group has not consumed: high watermark minus committed offset", null);
        this.lagSeconds = new TaggedGauges(meters, "sluice.gateway.group.lag.seconds",
                "Age of the first record a group has not consumed", "seconds");
        this.members = new TaggedGauges(meters, "sluice.gateway.group.members", "Members of a group", null);
    }

    @Override
    protected Mono<Void> round() {
        return groupsInScope()
                .flatMap(group -> admin.describe(group).onErrorResume(e -> {
                    log.debug("Lag of group {} not measured this round: {}", group, e.toString());
                    return Mono.empty();
                }), 2)
                .collectList()
                .doOnNext(this::publish)
                .then();
    }

    /** The groups to measure this round; without a coordinator, none (the last values stay). */
    private Flux<String> groupsInScope() {
        if (scope == GatewayProperties.Groups.LagScope.SERVED) {
            return Flux.fromIterable(activity.servedWithin(interval.multipliedBy(2)));
        }
        return coordinator.groups().flatMapIterable(groups -> groups.stream().map(GroupListing::groupId).toList());
    }

    private void publish(List<GroupView> groups) {
        Map<Tags, Number> records = new HashMap<>();
        Map<Tags, Number> seconds = new HashMap<>();
        Map<Tags, Number> sizes = new HashMap<>();
        for (GroupView group : groups) {
            sizes.put(Tags.of("group", group.groupId()), group.members().size());
            for (PartitionLag partition : group.partitions()) {
                Tags tags = Tags.of("group", group.groupId(), "topic", partition.topic(), "partition",
                        Integer.toString(partition.partition()));
                if (partition.lag() != null) {
                    records.put(tags, partition.lag());
                }
                if (partition.lagSeconds() != null) {
                    seconds.put(tags, partition.lagSeconds());
                }
            }
        }
        lagRecords.replace(records);
        lagSeconds.replace(seconds);
        members.replace(sizes);
        lagHistory.record(groups, clock.millis());
    }
}

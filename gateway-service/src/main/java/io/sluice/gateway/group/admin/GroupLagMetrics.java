package io.sluice.gateway.group.admin;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.sluice.gateway.GatewayProperties;
import io.sluice.gateway.group.admin.GroupViews.GroupView;
import io.sluice.gateway.group.admin.GroupViews.PartitionLag;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Lag metrics of the groups this gateway serves ({@link GroupActivity}): every {@code groups.lag-interval}, each such
 * group is described as {@code GET /v1/groups/{group}} does, and the gauges are replaced:
 * {@code sluice_gateway_group_lag_records{group,topic,partition}}, {@code sluice_gateway_group_lag_seconds{…}} and
 * {@code sluice_gateway_group_members{group}}. A gateway exports only groups whose members used it within two
 * intervals, so an idle gateway asks nothing of the leaders; gateways serving one group export the same values (take
 * the max across instances). Failures are logged and the last values stay until the next round.
 */
@Component
class GroupLagMetrics implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(GroupLagMetrics.class);

    private final GroupAdmin admin;
    private final GroupActivity activity;
    private final Duration interval;
    private final MultiGauge lagRecords;
    private final MultiGauge lagSeconds;
    private final MultiGauge members;
    private volatile Disposable rounds;

    GroupLagMetrics(GroupAdmin admin, GroupActivity activity, GatewayProperties properties, MeterRegistry meters) {
        this.admin = admin;
        this.activity = activity;
        this.interval = properties.groups().lagInterval();
        this.lagRecords = MultiGauge.builder("sluice.gateway.group.lag.records")
                .description("Records a group has not consumed: high watermark minus committed offset").register(meters);
        this.lagSeconds = MultiGauge.builder("sluice.gateway.group.lag.seconds").baseUnit("seconds")
                .description("Age of the first record a group has not consumed").register(meters);
        this.members = MultiGauge.builder("sluice.gateway.group.members")
                .description("Members of a group served by this gateway").register(meters);
    }

    @Override
    public void start() {
        rounds = Flux.interval(interval, interval, Schedulers.parallel())
                .onBackpressureDrop()
                .concatMap(tick -> Flux.fromIterable(activity.servedWithin(interval.multipliedBy(2)))
                        .flatMap(group -> admin.describe(group).onErrorResume(e -> {
                            log.debug("Lag of group {} not measured this round: {}", group, e.toString());
                            return Mono.empty();
                        }), 2)
                        .collectList(), 1)
                .subscribe(this::publish, e -> log.warn("Group lag metrics stopped", e));
    }

    private void publish(List<GroupView> groups) {
        List<MultiGauge.Row<?>> records = new ArrayList<>();
        List<MultiGauge.Row<?>> seconds = new ArrayList<>();
        List<MultiGauge.Row<?>> sizes = new ArrayList<>();
        for (GroupView group : groups) {
            sizes.add(MultiGauge.Row.of(Tags.of("group", group.groupId()), group.members().size()));
            for (PartitionLag partition : group.partitions()) {
                Tags tags = Tags.of("group", group.groupId(), "topic", partition.topic(), "partition",
                        Integer.toString(partition.partition()));
                if (partition.lag() != null) {
                    records.add(MultiGauge.Row.of(tags, partition.lag()));
                }
                if (partition.lagSeconds() != null) {
                    seconds.add(MultiGauge.Row.of(tags, partition.lagSeconds()));
                }
            }
        }
        lagRecords.register(records, true);
        lagSeconds.register(seconds, true);
        members.register(sizes, true);
    }

    @Override
    public void stop() {
        Disposable running = rounds;
        if (running != null) {
            running.dispose();
        }
    }

    @Override
    public boolean isRunning() {
        Disposable running = rounds;
        return running != null && !running.isDisposed();
    }
}

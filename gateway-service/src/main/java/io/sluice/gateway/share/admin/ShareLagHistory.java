package io.sluice.gateway.share.admin;

import io.sluice.gateway.GatewayProperties;
import io.sluice.gateway.history.Metric;
import io.sluice.gateway.history.MetricsHistory;
import io.sluice.gateway.history.SeriesKey;
import io.sluice.gateway.history.SeriesKey.Subject;
import io.sluice.gateway.share.admin.ShareGroupViews.ShareGroupView;
import io.sluice.gateway.share.admin.ShareGroupViews.SharePartitionView;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Share-group lag into the metrics history: every {@code groups.lag-interval} each share group is described as
 * {@code GET /v1/share-groups/{group}} does, and each share-partition's lag (records from the start offset to the high
 * watermark) becomes a point. Only with {@code groups.lag-scope=all}: a gateway does not know which share groups it
 * serves. Cost per round: one listing and one description per share group at the coordinator, one offset lookup per
 * share-partition at its leader, two groups at a time; rounds never overlap, a failed one is skipped.
 */
@Component
class ShareLagHistory implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ShareLagHistory.class);

    private final ShareGroupAdmin admin;
    private final MetricsHistory history;
    private final Clock clock;
    private final Duration interval;
    private final boolean enabled;
    private volatile Disposable rounds;

    ShareLagHistory(ShareGroupAdmin admin, MetricsHistory history, Clock clock, GatewayProperties properties) {
        this.admin = admin;
        this.history = history;
        this.clock = clock;
        this.interval = properties.groups().lagInterval();
        this.enabled = properties.groups().lagScope() == GatewayProperties.Groups.LagScope.ALL;
    }

    @Override
    public void start() {
        if (!enabled) {
            return;
        }
        rounds = Flux.interval(interval, interval, Schedulers.parallel())
                .onBackpressureDrop()
                .concatMap(tick -> admin.list()
                        .flatMapIterable(groups -> groups)
                        .flatMap(group -> admin.describe(group.groupId()).onErrorResume(e -> Mono.empty()), 2)
                        .doOnNext(this::record)
                        .then()
                        .onErrorResume(e -> {
                            log.debug("Share-group lag not measured this round: {}", e.toString());
                            return Mono.empty();
                        }), 1)
                .subscribe(done -> { }, e -> log.warn("Share-group lag history stopped", e));
    }

    private void record(ShareGroupView group) {
        long now = clock.millis();
        Subject subject = Subject.shareGroup(group.groupId());
        for (SharePartitionView p : group.partitions()) {
            if (p.lag() != null) {
                history.record(SeriesKey.ofGroup(subject, Metric.LAG_RECORDS, p.topic(), p.partition()), now,
                        p.lag());
            }
        }
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

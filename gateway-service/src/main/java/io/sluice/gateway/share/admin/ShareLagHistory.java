package io.sluice.gateway.share.admin;

import io.sluice.gateway.GatewayProperties;
import io.sluice.gateway.consume.PartitionRecords;
import io.sluice.gateway.history.Metric;
import io.sluice.gateway.history.MetricsHistory;
import io.sluice.gateway.history.SeriesKey;
import io.sluice.gateway.history.SeriesKey.Subject;
import io.sluice.gateway.share.admin.ShareGroupViews.ShareGroupView;
import io.sluice.protocol.TopicPartition;
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
 * {@code GET /v1/share-groups/{group}} does, and each share-partition's lag becomes two points: in records, from the
 * start offset to the high watermark; in seconds, the age of the record at the start offset (the oldest not yet
 * acknowledged; 0 without lag). Only with {@code groups.lag-scope=all}: a gateway does not know which share groups it
 * serves. Cost per round: one listing and one description per share group at the coordinator, one offset lookup and,
 * with lag, one small read per share-partition at its leader, two at a time; rounds never overlap, a failed one is
 * skipped (a partition whose age cannot be read has no seconds point that round).
 */
@Component
class ShareLagHistory implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ShareLagHistory.class);

    private final ShareGroupAdmin admin;
    private final PartitionRecords records;
    private final MetricsHistory history;
    private final Clock clock;
    private final Duration interval;
    private final boolean enabled;
    private volatile Disposable rounds;

    ShareLagHistory(ShareGroupAdmin admin, PartitionRecords records, MetricsHistory history, Clock clock,
                    GatewayProperties properties) {
        this.admin = admin;
        this.records = records;
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
                        .concatMap(this::record)
                        .then()
                        .onErrorResume(e -> {
                            log.debug("Share-group lag not measured this round: {}", e.toString());
                            return Mono.empty();
                        }), 1)
                .subscribe(done -> { }, e -> log.warn("Share-group lag history stopped", e));
    }

    private Mono<Void> record(ShareGroupView group) {
        long now = clock.millis();
        Subject subject = Subject.shareGroup(group.groupId());
        return Flux.fromIterable(group.partitions())
                .filter(p -> p.lag() != null)
                .flatMap(p -> {
                    history.record(SeriesKey.ofGroup(subject, Metric.LAG_RECORDS, p.topic(), p.partition()), now,
                            p.lag());
                    Mono<Double> age = p.lag() == 0 ? Mono.just(0.0)
                            : records.age(new TopicPartition(p.topic(), p.partition()), p.startOffset(), now)
                                    .onErrorResume(e -> Mono.empty());
                    return age.doOnNext(seconds -> history.record(SeriesKey.ofGroup(subject, Metric.LAG_SECONDS,
                            p.topic(), p.partition()), now, seconds));
                }, 2)
                .then();
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

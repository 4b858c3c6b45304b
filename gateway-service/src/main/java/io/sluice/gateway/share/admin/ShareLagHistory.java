package io.sluice.gateway.share.admin;

import io.sluice.gateway.GatewayProperties;
import io.sluice.gateway.consume.PartitionRecords;
import io.sluice.gateway.history.Metric;
import io.sluice.gateway.history.PeriodicRounds;
import io.sluice.gateway.history.MetricsHistory;
import io.sluice.gateway.history.SeriesKey;
import io.sluice.gateway.history.SeriesKey.Subject;
import io.sluice.gateway.share.admin.ShareGroupViews.ShareGroupView;
import io.sluice.protocol.TopicPartition;
import java.time.Clock;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

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
class ShareLagHistory extends PeriodicRounds {

    private final ShareGroupAdmin admin;
    private final PartitionRecords records;
    private final MetricsHistory history;
    private final Clock clock;

    ShareLagHistory(ShareGroupAdmin admin, PartitionRecords records, MetricsHistory history, Clock clock,
                    GatewayProperties properties) {
        // Only with lag-scope all: a gateway does not know which share groups it serves.
        super(properties.groups().lagInterval(), properties.groups().lagScope() == GatewayProperties.Groups.LagScope.ALL
                ? properties.groups().lagInterval() : null, "Share-group lag");
        this.admin = admin;
        this.records = records;
        this.history = history;
        this.clock = clock;
    }

    @Override
    protected Mono<Void> round() {
        return admin.list()
                .flatMapIterable(groups -> groups)
                .flatMap(group -> admin.describe(group.groupId()).onErrorResume(e -> Mono.empty()), 2)
                .concatMap(this::record)
                .then();
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
}

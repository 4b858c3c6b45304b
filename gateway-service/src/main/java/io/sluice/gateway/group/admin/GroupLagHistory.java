package io.sluice.gateway.group.admin;

import io.sluice.gateway.group.admin.GroupViews.GroupView;
import io.sluice.gateway.group.admin.GroupViews.PartitionLag;
import io.sluice.gateway.history.Metric;
import io.sluice.gateway.history.MetricsHistory;
import io.sluice.gateway.history.SeriesKey;
import io.sluice.gateway.history.SeriesKey.Subject;
import io.sluice.protocol.TopicPartition;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * One lag round's groups into the metrics history: per group and partition its lag in records and seconds and its
 * consume rate (its committed offset as a counter); per topic and partition the consume rate of all the round's groups
 * (the sum of their rates, so a group appearing, reset or deleted adds no jump), and per topic their total. Called
 * by {@link GroupLagMetrics}, one round at a time.
 */
@Component
class GroupLagHistory {

    private final MetricsHistory history;

    GroupLagHistory(MetricsHistory history) {
        this.history = history;
    }

    void record(List<GroupView> groups, long atMs) {
        Map<TopicPartition, Double> consumed = new HashMap<>();
        for (GroupView group : groups) {
            Subject subject = Subject.group(group.groupId());
            for (PartitionLag p : group.partitions()) {
                if (p.lag() != null) {
                    history.record(SeriesKey.ofGroup(subject, Metric.LAG_RECORDS, p.topic(), p.partition()), atMs,
                            p.lag());
                }
                if (p.lagSeconds() != null) {
                    history.record(SeriesKey.ofGroup(subject, Metric.LAG_SECONDS, p.topic(), p.partition()), atMs,
                            p.lagSeconds());
                }
                if (p.committedOffset() != null) {
                    Double rate = history.recordCounter(SeriesKey.ofGroup(subject, Metric.CONSUME_RATE, p.topic(),
                            p.partition()), atMs, p.committedOffset());
                    if (rate != null) {
                        consumed.merge(new TopicPartition(p.topic(), p.partition()), rate, Double::sum);
                    }
                }
            }
        }
        Map<String, Double> byTopic = new HashMap<>();
        consumed.forEach((tp, rate) -> {
            history.record(SeriesKey.ofTopic(tp.topic(), Metric.CONSUME_RATE, tp.partition()), atMs, rate);
            byTopic.merge(tp.topic(), rate, Double::sum);
        });
        byTopic.forEach((topic, rate) -> history.record(SeriesKey.ofTopic(topic, Metric.CONSUME_RATE, null), atMs,
                rate));
    }
}

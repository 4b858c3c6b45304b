package io.sluice.coordinator.share;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.internal.share.AcknowledgeType;
import io.sluice.internal.share.RecordState;
import io.sluice.protocol.TopicPartition;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Share groups' meters on the coordinator, each tagged with its {@code group}. Counted when a call's new state was
 * stored (a refused or fenced call counts nothing):
 * <ul>
 *   <li>{@code sluice_coordinator_share_acquired_records_total}: records locked for a member;</li>
 *   <li>{@code sluice_coordinator_share_redelivered_records_total}: of those, records delivered before (delivery
 *       count above 1);</li>
 *   <li>{@code sluice_coordinator_share_acknowledged_records_total{type}}: records that took an accept, release,
 *       reject or renew;</li>
 *   <li>{@code sluice_coordinator_share_lock_expiries_total}: locks that reached their deadline unacknowledged;</li>
 *   <li>{@code sluice_coordinator_share_delivery_limit_archived_records_total}: records archived because their lock
 *       ended (expiry or release) at the delivery limit;</li>
 *   <li>{@code sluice_coordinator_share_dead_lettered_records_total}: archived records written to the group's
 *       dead-letter topic (counted when the topic's leader acknowledged them, acks=all);</li>
 *   <li>{@code sluice_coordinator_share_dead_letter_errors_total{reason}}: archived records that were not, by
 *       {@link DeadLetterProblem.Reason} (a run written again after a failure is counted once written).</li>
 * </ul>
 * Gauges, as this instance last stored them (a standby keeps what it last saw until it is active again):
 * {@code sluice_coordinator_share_in_flight_records} (records in the windows, any state) and
 * {@code sluice_coordinator_share_locked_records} (records locked now, as of each share-partition's last call).
 *
 * <p>Thread-safe: the counters are, and the gauges read concurrent maps the share-group sequence writes.
 */
@Component
class ShareMetrics {

    private final MeterRegistry registry;
    /** Per group, per share-partition: [records in flight, records acquired]. */
    private final Map<String, Map<TopicPartition, int[]>> windows = new ConcurrentHashMap<>();

    ShareMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** An acquire stored: the locks it ended, and the records it locked. */
    void acquired(String groupId, List<ExpiredLock> expired, List<AcquiredRecord> records) {
        count("sluice.coordinator.share.acquired.records", "Records locked for a share group member", groupId,
                records.size());
        count("sluice.coordinator.share.redelivered.records", "Records locked again after an earlier delivery",
                groupId, records.stream().filter(r -> r.deliveryCount() > 1).count());
        expired(groupId, expired);
    }

    /** Locks ended at their deadline; those at the delivery limit archived their records. */
    void expired(String groupId, List<ExpiredLock> expired) {
        count("sluice.coordinator.share.lock.expiries", "Acquisition locks that reached their deadline unacknowledged",
                groupId, expired.size());
        archivedAtLimit(groupId, expired.stream().filter(lock -> lock.state() == RecordState.ARCHIVED).count());
    }

    /** An acknowledgement stored: the records that took it. */
    void acknowledged(String groupId, List<AckResult> results) {
        for (AckResult result : results) {
            AcknowledgeType type = result.acknowledgement().type();
            long took = result.records().stream().filter(AckResult.RecordResult::succeeded).count();
            Counter.builder("sluice.coordinator.share.acknowledged.records")
                    .description("Records that took an acknowledgement, by type")
                    .tag("group", groupId).tag("type", type.name().toLowerCase(Locale.ROOT))
                    .register(registry).increment(took);
            if (type == AcknowledgeType.RELEASE) {
                archivedAtLimit(groupId, result.records().stream()
                        .filter(r -> r.succeeded() && r.state() == RecordState.ARCHIVED).count());
            }
        }
    }

    /** The window of one share-partition as stored now (null: the share-partition was removed). */
    void window(String groupId, TopicPartition partition, SharePartition state) {
        Map<TopicPartition, int[]> group = windows.computeIfAbsent(groupId, id -> {
            Map<TopicPartition, int[]> partitions = new ConcurrentHashMap<>();
            Gauge.builder("sluice.coordinator.share.in.flight.records", partitions, p -> sum(p, 0))
                    .description("Records in the in-flight windows of a share group's share-partitions")
                    .tag("group", id).register(registry);
            Gauge.builder("sluice.coordinator.share.locked.records", partitions, p -> sum(p, 1))
                    .description("Records of a share group locked for members now")
                    .tag("group", id).register(registry);
            return partitions;
        });
        if (state == null) {
            group.remove(partition);
        } else {
            group.put(partition, new int[] {state.inFlightRecords().size(), state.acquiredCount()});
        }
    }

    /** Archived records the group's dead-letter topic's leader acknowledged. */
    void deadLettered(String groupId, long records) {
        count("sluice.coordinator.share.dead.lettered.records",
                "Archived records written to the share group's dead-letter topic", groupId, records);
    }

    /** Archived records not written to the group's dead-letter topic, and why. */
    void deadLetterErrors(String groupId, DeadLetterProblem.Reason reason, long records) {
        Counter.builder("sluice.coordinator.share.dead.letter.errors")
                .description("Archived records not written to the share group's dead-letter topic, by reason")
                .tag("group", groupId).tag("reason", reason.tag())
                .register(registry).increment(records);
    }

    private void archivedAtLimit(String groupId, long records) {
        count("sluice.coordinator.share.delivery.limit.archived.records",
                "Records archived because their lock ended at the delivery limit", groupId, records);
    }

    private void count(String name, String description, String groupId, long amount) {
        Counter counter = Counter.builder(name).description(description).tag("group", groupId).register(registry);
        if (amount > 0) {
            counter.increment(amount);
        }
    }

    private static double sum(Map<TopicPartition, int[]> partitions, int index) {
        return partitions.values().stream().mapToInt(counts -> counts[index]).sum();
    }
}

package io.sluice.coordinator.share;

import io.sluice.protocol.ErrorCode;
import java.time.Duration;

/**
 * A share group's limits on each of its share-partitions (Kafka's group configs of the same meaning).
 *
 * @param maxInFlightRecords the most records the in-flight window holds ({@code group.share.partition.max.record.locks},
 *                           default 2,000): no new record is acquired while the window is full
 * @param deliveryLimit      the most times a record is delivered ({@code group.share.delivery.count.limit}, default 5);
 *                           a record whose lock ends at the limit without an accept is archived
 * @param lockDuration       how long an acquisition lock lasts ({@code group.share.record.lock.duration.ms}, default
 *                           30 s), and how far a renew extends it
 */
record ShareLimits(int maxInFlightRecords, int deliveryLimit, Duration lockDuration) {

    public static final ShareLimits DEFAULTS = new ShareLimits(2_000, 5, Duration.ofSeconds(30));

    public ShareLimits {
        if (maxInFlightRecords < 1) {
            throw ErrorCode.INVALID_CONFIG.exception("max in-flight records must be at least 1, not "
                    + maxInFlightRecords);
        }
        if (deliveryLimit < 1) {
            throw ErrorCode.INVALID_CONFIG.exception("the delivery limit must be at least 1, not " + deliveryLimit);
        }
        if (lockDuration == null || lockDuration.toMillis() < 1) {
            throw ErrorCode.INVALID_CONFIG.exception("the lock duration must be at least 1 ms, not " + lockDuration);
        }
    }

    long lockDurationMs() {
        return lockDuration.toMillis();
    }
}

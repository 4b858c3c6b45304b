package io.sluice.coordinator.share;

import io.sluice.coordinator.CoordinatorProperties;
import io.sluice.coordinator.CoordinatorProperties.ShareGroups.AutoOffsetReset;
import io.sluice.coordinator.groupconfig.GroupConfig;
import io.sluice.coordinator.groupconfig.GroupConfigKey;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;

/**
 * What holds for one share group: each share group config ({@link GroupConfigKey}'s {@code share.*} and dead-letter
 * keys) with the group's value where it sets one ({@link #overrides}) and the coordinator's {@code share-groups.*}
 * default otherwise, read from the group's {@link GroupConfig}. It is a value, so a caller that holds one sees no
 * later change.
 *
 * @param groupId                 the group
 * @param overrides               the keys the group sets, with their stored values (in their canonical form)
 * @param autoOffsetReset         {@code share.auto.offset.reset}: where a share-partition the group does not have yet
 *                                starts
 * @param recordLockDuration      {@code share.record.lock.duration.ms}
 * @param deliveryCountLimit      {@code share.delivery.count.limit}
 * @param partitionMaxRecordLocks {@code share.partition.max.record.locks}
 * @param sessionTimeout          {@code share.session.timeout.ms}
 * @param heartbeatInterval       {@code share.heartbeat.interval.ms}
 * @param deadLetterTopicName     {@code errors.deadletterqueue.topic.name}, "" for none (see {@link #deadLetterTopic})
 * @param copyRecord              {@code errors.deadletterqueue.copy.record.enable}
 */
record ShareGroupConfig(String groupId, SortedMap<String, String> overrides, AutoOffsetReset autoOffsetReset,
                        Duration recordLockDuration, int deliveryCountLimit, int partitionMaxRecordLocks,
                        Duration sessionTimeout, Duration heartbeatInterval, String deadLetterTopicName,
                        boolean copyRecord) {

    /** The share group configs of {@code config}. */
    static ShareGroupConfig of(GroupConfig config) {
        return new ShareGroupConfig(config.groupId(), config.overrides(),
                AutoOffsetReset.valueOf(config.value(GroupConfigKey.SHARE_AUTO_OFFSET_RESET).toUpperCase(Locale.ROOT)),
                config.millis(GroupConfigKey.SHARE_RECORD_LOCK_DURATION_MS),
                config.integer(GroupConfigKey.SHARE_DELIVERY_COUNT_LIMIT),
                config.integer(GroupConfigKey.SHARE_PARTITION_MAX_RECORD_LOCKS),
                config.millis(GroupConfigKey.SHARE_SESSION_TIMEOUT_MS),
                config.millis(GroupConfigKey.SHARE_HEARTBEAT_INTERVAL_MS),
                config.value(GroupConfigKey.DEAD_LETTER_TOPIC_NAME),
                Boolean.parseBoolean(config.value(GroupConfigKey.DEAD_LETTER_COPY_RECORD_ENABLE)));
    }

    /** The share group configs of {@code groupId} with the stored values {@code overrides}, over {@code properties}. */
    static ShareGroupConfig of(String groupId, Map<String, String> overrides, CoordinatorProperties properties) {
        return of(GroupConfig.of(groupId, overrides, properties));
    }

    /** The topic the group's archived records are written to, if it names one. */
    public Optional<String> deadLetterTopic() {
        return deadLetterTopicName.isBlank() ? Optional.empty() : Optional.of(deadLetterTopicName);
    }

    /** Whether the group sets {@code key} (a {@link GroupConfigKey} name) rather than taking the cluster default. */
    public boolean isSet(String key) {
        return overrides.containsKey(key);
    }

    /** The group's limits on each of its share-partitions. */
    ShareLimits limits() {
        return new ShareLimits(partitionMaxRecordLocks, deliveryCountLimit, recordLockDuration);
    }
}

package io.sluice.coordinator.share;

import io.sluice.coordinator.CoordinatorProperties;
import io.sluice.coordinator.CoordinatorProperties.ShareGroups.AutoOffsetReset;
import java.time.Duration;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What holds for one share group: each share group config ({@link ShareConfigKey}) with the group's value where it
 * sets one ({@link #overrides}) and the coordinator's {@code share-groups.*} default otherwise. Read it with
 * {@link ShareGroupConfigs#config}; it is a value, so a caller that holds one sees no later change.
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

    ShareGroupConfig {
        overrides = Collections.unmodifiableSortedMap(new TreeMap<>(overrides));
    }

    /**
     * The config of {@code groupId} whose stored values are {@code overrides} (canonical, as {@link ShareConfigKey}
     * wrote them), over the cluster {@code defaults}.
     */
    static ShareGroupConfig of(String groupId, Map<String, String> overrides,
                               CoordinatorProperties.ShareGroups defaults) {
        SortedMap<String, String> set = new TreeMap<>(overrides);
        return new ShareGroupConfig(groupId, set,
                set.containsKey(ShareConfigKey.AUTO_OFFSET_RESET.key())
                        ? AutoOffsetReset.valueOf(set.get(ShareConfigKey.AUTO_OFFSET_RESET.key())
                        .toUpperCase(Locale.ROOT)) : defaults.autoOffsetReset(),
                millis(set, ShareConfigKey.RECORD_LOCK_DURATION_MS, defaults.lockDuration()),
                integer(set, ShareConfigKey.DELIVERY_COUNT_LIMIT, defaults.deliveryLimit()),
                integer(set, ShareConfigKey.PARTITION_MAX_RECORD_LOCKS, defaults.maxInFlightRecords()),
                millis(set, ShareConfigKey.SESSION_TIMEOUT_MS, defaults.sessionTimeout()),
                millis(set, ShareConfigKey.HEARTBEAT_INTERVAL_MS, defaults.heartbeatInterval()),
                set.getOrDefault(ShareConfigKey.DEAD_LETTER_TOPIC_NAME.key(), ""),
                Boolean.parseBoolean(set.getOrDefault(ShareConfigKey.DEAD_LETTER_COPY_RECORD_ENABLE.key(), "false")));
    }

    /** The topic the group's archived records are written to, if it names one. */
    public Optional<String> deadLetterTopic() {
        return deadLetterTopicName.isBlank() ? Optional.empty() : Optional.of(deadLetterTopicName);
    }

    /** Whether the group sets {@code key} (a {@link ShareConfigKey} name) rather than taking the cluster default. */
    public boolean isSet(String key) {
        return overrides.containsKey(key);
    }

    /** The group's limits on each of its share-partitions. */
    ShareLimits limits() {
        return new ShareLimits(partitionMaxRecordLocks, deliveryCountLimit, recordLockDuration);
    }

    private static Duration millis(Map<String, String> set, ShareConfigKey key, Duration otherwise) {
        String value = set.get(key.key());
        return value == null ? otherwise : Duration.ofMillis(Long.parseLong(value));
    }

    private static int integer(Map<String, String> set, ShareConfigKey key, int otherwise) {
        String value = set.get(key.key());
        return value == null ? otherwise : Integer.parseInt(value);
    }
}

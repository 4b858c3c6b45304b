package io.sluice.coordinator.groupconfig;

import io.sluice.coordinator.CoordinatorProperties;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What holds for one group id: each group config ({@link GroupConfigKey}) with the group's value where it sets one
 * ({@link #overrides}) and the coordinator's setting of the same meaning otherwise. Read it with
 * {@link GroupConfigs#config}; it is a value, so a caller that holds one sees no later change. Each group type reads
 * its own keys: consumer groups {@code consumer.*}, streams groups {@code streams.*}, share groups {@code share.*} and
 * the dead-letter keys (the share package's {@code ShareGroupConfig}).
 *
 * @param groupId    the group
 * @param overrides  the keys the group sets, with their stored values (in their canonical form)
 * @param properties the coordinator's settings, where the defaults come from
 */
public record GroupConfig(String groupId, SortedMap<String, String> overrides, CoordinatorProperties properties) {

    public GroupConfig {
        overrides = Collections.unmodifiableSortedMap(new TreeMap<>(overrides));
    }

    /**
     * The config of {@code groupId} whose stored values are {@code overrides}, canonical as {@link GroupConfigKey}
     * wrote them.
     */
    public static GroupConfig of(String groupId, Map<String, String> overrides, CoordinatorProperties properties) {
        return new GroupConfig(groupId, new TreeMap<>(overrides), properties);
    }

    /** The group's value of {@code key}, or the cluster default. */
    public String value(GroupConfigKey key) {
        String set = overrides.get(key.key());
        return set != null ? set : key.clusterDefault(properties);
    }

    /** An INT key's value as milliseconds. */
    public Duration millis(GroupConfigKey key) {
        return Duration.ofMillis(Long.parseLong(value(key)));
    }

    /** An INT key's value. */
    public int integer(GroupConfigKey key) {
        return Integer.parseInt(value(key));
    }

    /** Whether the group sets {@code key} (a {@link GroupConfigKey} name) rather than taking the cluster default. */
    public boolean isSet(String key) {
        return overrides.containsKey(key);
    }
}

package io.sluice.internal.brokerconfig;

import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The cluster-wide broker configs set at run time ({@link BrokerConfigKey}), by config name, in canonical form; a
 * config not set is absent. {@code version} is bumped by every change.
 */
public record BrokerConfigSnapshot(long version, SortedMap<String, String> values) {

    public BrokerConfigSnapshot {
        values = values == null ? new TreeMap<>() : new TreeMap<>(values);
    }

    public static BrokerConfigSnapshot of(long version, Map<String, String> values) {
        return new BrokerConfigSnapshot(version, new TreeMap<>(values));
    }

    /** The value set for {@code key}, if one is. */
    public Optional<String> value(BrokerConfigKey key) {
        return Optional.ofNullable(values.get(key.configName()));
    }
}

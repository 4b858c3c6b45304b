package io.sluice.internal.brokerconfig;

import io.sluice.protocol.ErrorCode;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A change of the cluster-wide broker configs ({@link BrokerConfigPaths#ALTER}), validated as a whole and applied
 * entirely or not at all: INVALID_CONFIG for a config Sluice cannot change at run time or a bad value,
 * INVALID_REQUEST for a config both set and deleted.
 *
 * @param set          configs to set, with their values
 * @param delete       configs to remove (back to the gateways' settings)
 * @param replace      true: the configs set become exactly {@code set} (Kafka's AlterConfigs); {@code delete} must then
 *                     be empty
 * @param validateOnly true: check, answer what the configs would be, and change nothing
 */
public record BrokerConfigChange(Map<String, String> set, List<String> delete, boolean replace,
                                 boolean validateOnly) {

    public BrokerConfigChange {
        if (set != null) {
            set.forEach((name, value) -> {
                if (name == null || value == null) {
                    throw ErrorCode.INVALID_CONFIG.exception("Broker config " + name + " needs a value to be set to");
                }
            });
        }
        set = set == null ? Map.of() : Map.copyOf(set);
        delete = delete == null ? List.of() : List.copyOf(delete);
    }

    /** The configs set after this change on top of {@code current}, each value checked and made canonical. */
    public SortedMap<String, String> applyTo(Map<String, String> current) {
        if (replace && !delete.isEmpty()) {
            throw ErrorCode.INVALID_REQUEST.exception("A change that replaces the broker configs deletes none");
        }
        SortedMap<String, String> after = new TreeMap<>(replace ? Map.of() : current);
        for (String name : delete) {
            if (set.containsKey(name)) {
                throw ErrorCode.INVALID_REQUEST.exception("Broker config " + name + " is both set and deleted");
            }
            key(name);
            after.remove(name);
        }
        set.forEach((name, value) -> after.put(name, key(name).canonical(value)));
        return after;
    }

    private static BrokerConfigKey key(String name) {
        return BrokerConfigKey.named(name).orElseThrow(() -> ErrorCode.INVALID_CONFIG.exception("Broker config "
                + name + " cannot be altered at run time (the ones that can: "
                + String.join(", ", Arrays.stream(BrokerConfigKey.values())
                        .map(BrokerConfigKey::configName).sorted().toList()) + ")"));
    }
}

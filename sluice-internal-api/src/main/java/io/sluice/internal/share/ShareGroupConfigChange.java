package io.sluice.internal.share;

import java.util.List;
import java.util.Map;

/**
 * A change of a share group's configs ({@link SharePaths#CONFIGS}), validated as a whole and applied entirely or not
 * at all: INVALID_CONFIG for an unknown key or a value out of range, INVALID_REQUEST for a key both set and deleted.
 *
 * @param set          keys to set, with their values
 * @param delete       keys to remove (back to the cluster default)
 * @param replace      true: the group's configs become exactly {@code set} (Kafka's AlterConfigs); {@code delete} must
 *                     then be empty
 * @param validateOnly true: check, answer what the configs would be, and change nothing
 */
public record ShareGroupConfigChange(Map<String, String> set, List<String> delete, boolean replace,
                                     boolean validateOnly) {

    public ShareGroupConfigChange {
        set = set == null ? Map.of() : set;
        delete = delete == null ? List.of() : delete;
    }
}

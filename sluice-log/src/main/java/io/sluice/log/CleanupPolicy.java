package io.sluice.log;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/** {@code cleanup.policy}: what happens to old records — retention deletes segments, the cleaner compacts keys, or both. */
public enum CleanupPolicy {
    DELETE(false, true),
    COMPACT(true, false),
    COMPACT_DELETE(true, true);

    private final boolean compacts;
    private final boolean deletes;

    CleanupPolicy(boolean compacts, boolean deletes) {
        this.compacts = compacts;
        this.deletes = deletes;
    }

    /** Whether the log cleaner keeps only the latest record per key. */
    public boolean compacts() {
        return compacts;
    }

    /** Whether {@code retention.ms} and {@code retention.bytes} delete old segments. */
    public boolean deletes() {
        return deletes;
    }

    /** Kafka's list form: {@code delete}, {@code compact}, or both in either order. */
    public static CleanupPolicy forConfigValue(String value) {
        Set<String> parts = Arrays.stream(value.split(",")).map(String::trim).collect(Collectors.toSet());
        if (parts.equals(Set.of("delete"))) {
            return DELETE;
        }
        if (parts.equals(Set.of("compact"))) {
            return COMPACT;
        }
        if (parts.equals(Set.of("compact", "delete"))) {
            return COMPACT_DELETE;
        }
        throw new IllegalArgumentException("unknown cleanup.policy " + value);
    }
}

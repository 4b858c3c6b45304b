package io.sluice.internal.share;

import java.util.List;

/**
 * A share group's configs ({@link SharePaths#CONFIGS}): every key the coordinator knows, with the group's value when
 * it sets one and the cluster default otherwise, in key order.
 *
 * @param groupId the group
 * @param configs one entry per key
 */
public record ShareGroupConfigList(String groupId, List<Entry> configs) {

    /** How a value reads, as Kafka's config types name it. */
    public enum Type { INT, LONG, STRING, BOOLEAN }

    /**
     * @param name          the key, Kafka's group config name ({@code share.record.lock.duration.ms})
     * @param value         the value that holds for the group
     * @param isDefault     true when the group sets none and {@code value} is the cluster default
     * @param defaultValue  the cluster default (what deleting the key gives)
     * @param type          how the value reads
     * @param documentation what the key means
     */
    public record Entry(String name, String value, boolean isDefault, String defaultValue, Type type,
                        String documentation) {
    }
}

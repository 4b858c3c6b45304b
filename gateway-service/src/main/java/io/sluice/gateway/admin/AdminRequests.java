package io.sluice.gateway.admin;

import io.sluice.internal.coordinator.AlterConfigsRequest;
import io.sluice.internal.coordinator.CreateTopicRequest;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.TopicNames;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The admin API's request bodies. They bind strictly (an unknown field is a 400 naming it) and use the names the
 * answers use: {@code partition_count}, and configs as a list of {@code {"name", "value"}}.
 */
public final class AdminRequests {

    private AdminRequests() {
    }

    /** {@code {"name", "value"}}; in a config update a null value removes the override (back to the default). */
    public record ConfigValue(String name, String value) {
    }

    /**
     * A new topic; missing configs are none. With {@code validate_only} everything is checked as for a real creation
     * (name, partition count, replication factor against the live nodes, configs, an existing topic) and nothing is
     * created.
     */
    record NewTopic(String name, Integer partitionCount, Integer replicationFactor, List<ConfigValue> configs,
                    Boolean validateOnly) {

        boolean onlyValidate() {
            return validateOnly != null && validateOnly;
        }

        CreateTopicRequest toInternal() {
            if (name == null) {
                throw ErrorCode.INVALID_TOPIC_NAME.exception("name is required");
            }
            TopicNames.validate(name);
            Map<String, String> overrides = new LinkedHashMap<>();
            for (ConfigValue config : names(configs)) {
                if (config.value() == null) {
                    throw ErrorCode.INVALID_CONFIG.exception("Config '" + config.name() + "' needs a value");
                }
                overrides.put(config.name(), config.value());
            }
            if (partitionCount == null) {
                throw ErrorCode.INVALID_PARTITIONS.exception("partition_count is required (1 to 10000)");
            }
            if (replicationFactor == null) {
                throw ErrorCode.INVALID_REPLICATION_FACTOR.exception("replication_factor is required (at least 1)");
            }
            return new CreateTopicRequest(name, partitionCount, replicationFactor, overrides, onlyValidate());
        }
    }

    /**
     * Config overrides to set (a value) or remove (null), applied together: a topic's, and in the same shape a share
     * group's ({@code PATCH /v1/share-groups/{group}/configs}).
     */
    public record ConfigUpdate(List<ConfigValue> configs) {

        public AlterConfigsRequest toInternal() {
            if (configs == null || configs.isEmpty()) {
                throw ErrorCode.INVALID_CONFIG.exception("configs (a list of {\"name\", \"value\"}; a null value "
                        + "removes the override) is required");
            }
            Map<String, String> set = new LinkedHashMap<>();
            List<String> delete = new ArrayList<>();
            for (ConfigValue config : names(configs)) {
                if (config.value() == null) {
                    delete.add(config.name());
                } else {
                    set.put(config.name(), config.value());
                }
            }
            return new AlterConfigsRequest(set, delete);
        }
    }

    /**
     * Partition moves to start, replace or cancel: each partition's target replicas (node ids, the first the
     * preferred leader), or null replicas to cancel its move.
     */
    record MoveRequest(List<PartitionMove> partitions) {
    }

    record PartitionMove(String topic, Integer partition, List<Integer> replicas) {
    }

    /** What to propose moves for: the topics whose partitions may move, and the node ids they may use. */
    record ProposalRequest(List<String> topics, List<Integer> nodes) {
    }

    /** A node's move throttle: bytes per second, at least 1. */
    record MoveThrottle(Long bytesPerSecond) {
    }

    /** The new total number of partitions. */
    record NewPartitionCount(Integer partitionCount) {
    }

    /** {@code configs} (none when null), each named once. */
    private static List<ConfigValue> names(List<ConfigValue> configs) {
        if (configs == null) {
            return List.of();
        }
        Set<String> seen = new HashSet<>();
        for (ConfigValue config : configs) {
            if (config == null || config.name() == null) {
                throw ErrorCode.INVALID_CONFIG.exception("Every config needs a \"name\"");
            }
            if (!seen.add(config.name())) {
                throw ErrorCode.INVALID_CONFIG.exception("Config '" + config.name() + "' is given twice");
            }
        }
        return configs;
    }
}

package io.sluice.internal.brokerconfig;

import io.sluice.protocol.ErrorCode;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The broker configs Sluice can change at run time, cluster-wide (Kafka's default broker resource, {@code ""}), under
 * Kafka's names. They are the defaults a topic gets when it is created without saying: by a Kafka client's
 * CreateTopics with -1 partitions or replication factor, and by auto-creation on a produce or a Metadata request.
 * The gateways' {@code sluice.gateway.auto-create-topics.*} settings are the values until one is set here.
 */
public enum BrokerConfigKey {

    AUTO_CREATE_TOPICS_ENABLE("auto.create.topics.enable", Type.BOOLEAN,
            "Whether a topic that a produce or a Kafka client's Metadata request names is created when it does not "
                    + "exist."),
    DEFAULT_REPLICATION_FACTOR("default.replication.factor", Type.INT,
            "The replication factor of a topic that is auto-created or created with a replication factor of -1 "
                    + "(at least 1)."),
    NUM_PARTITIONS("num.partitions", Type.INT,
            "The partition count of a topic that is auto-created or created with -1 partitions (at least 1).");

    /** How a value is written and checked. */
    public enum Type { INT, BOOLEAN }

    private final String configName;
    private final Type type;
    private final String documentation;

    BrokerConfigKey(String configName, Type type, String documentation) {
        this.configName = configName;
        this.type = type;
        this.documentation = documentation;
    }

    public String configName() {
        return configName;
    }

    public Type type() {
        return type;
    }

    public String documentation() {
        return documentation;
    }

    /** The key of {@code name}, if Sluice can change that config at run time. */
    public static Optional<BrokerConfigKey> named(String name) {
        return Arrays.stream(values()).filter(key -> key.configName.equals(name)).findFirst();
    }

    /**
     * {@code value} as stored and shown ({@code "6"}, {@code "true"}); INVALID_CONFIG naming the config for a value
     * that is no integer of at least 1, or neither {@code true} nor {@code false}.
     */
    public String canonical(String value) {
        if (value == null) {
            throw ErrorCode.INVALID_CONFIG.exception("Broker config " + configName + " needs a value");
        }
        String trimmed = value.trim();
        if (type == Type.BOOLEAN) {
            String lower = trimmed.toLowerCase(Locale.ROOT);
            if (!lower.equals("true") && !lower.equals("false")) {
                throw ErrorCode.INVALID_CONFIG.exception("Invalid value " + value + " for broker config "
                        + configName + ": true or false");
            }
            return lower;
        }
        int number;
        try {
            number = Integer.parseInt(trimmed);
        } catch (NumberFormatException e) {
            throw ErrorCode.INVALID_CONFIG.exception("Invalid value " + value + " for broker config " + configName
                    + ": an integer");
        }
        if (number < 1) {
            throw ErrorCode.INVALID_CONFIG.exception("Invalid value " + value + " for broker config " + configName
                    + ": at least 1");
        }
        return Integer.toString(number);
    }
}

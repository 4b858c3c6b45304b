package io.sluice.protocol.record;

/** Where a batch's timestamps come from: the producer ({@code CreateTime}) or the leader on append ({@code LogAppendTime}). */
public enum TimestampType {
    CREATE_TIME("CreateTime"),
    LOG_APPEND_TIME("LogAppendTime");

    private final String configName;

    TimestampType(String configName) {
        this.configName = configName;
    }

    /** The value used by the {@code message.timestamp.type} topic config. */
    public String configName() {
        return configName;
    }

    public static TimestampType forConfigName(String name) {
        for (TimestampType type : values()) {
            if (type.configName.equals(name)) {
                return type;
            }
        }
        throw new IllegalArgumentException("Unknown timestamp type '" + name + "'; expected CreateTime or LogAppendTime");
    }
}

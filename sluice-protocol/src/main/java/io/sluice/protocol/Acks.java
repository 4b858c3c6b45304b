package io.sluice.protocol;

/**
 * When a produce request is answered (Kafka's {@code acks}): at once (0), once the leader wrote it (1), once every
 * in-sync replica has it (all, also spelled -1). The same values on the public API and the internal one.
 */
public enum Acks {
    NONE("0"),
    LEADER("1"),
    ALL("all");

    private final String wireName;

    Acks(String wireName) {
        this.wireName = wireName;
    }

    /** The value as a request parameter carries it: {@code 0}, {@code 1} or {@code all}. */
    public String wireName() {
        return wireName;
    }

    public static Acks parse(String value) {
        return switch (value) {
            case "0" -> NONE;
            case "1" -> LEADER;
            case "all", "-1" -> ALL;
            default -> throw ErrorCode.INVALID_REQUEST.exception("acks must be 0, 1 or all, was '" + value + "'");
        };
    }
}

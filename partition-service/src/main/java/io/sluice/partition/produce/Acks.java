package io.sluice.partition.produce;

import io.sluice.protocol.ErrorCode;

/** When a produce request is answered: at once (0), once the leader wrote it (1), once the ISR has it (all, -1). */
public enum Acks {
    NONE,
    LEADER,
    ALL;

    public static Acks parse(String value) {
        return switch (value) {
            case "0" -> NONE;
            case "1" -> LEADER;
            case "all", "-1" -> ALL;
            default -> throw ErrorCode.INVALID_REQUEST.exception("acks must be 0, 1 or all, was '" + value + "'");
        };
    }
}

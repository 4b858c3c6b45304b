package io.sluice.gateway.consume;

import io.sluice.protocol.ErrorCode;

/**
 * The {@code isolation_level} of a read, as a Kafka consumer's: {@code read_uncommitted} (the default, as for Kafka's
 * consumers) reads every record below the high watermark, aborted transactions' too; {@code read_committed} reads below
 * the last stable offset and leaves aborted transactions' records out. Pages, streams and group members take it.
 */
public final class IsolationLevel {

    public static final String PARAMETER = "isolation_level";

    private IsolationLevel() {
    }

    /** Whether {@code given} (null: absent) asks for read_committed; INVALID_REQUEST for a value it cannot be. */
    public static boolean readCommitted(String given) {
        if (given == null || given.equals("read_uncommitted")) {
            return false;
        }
        if (given.equals("read_committed")) {
            return true;
        }
        throw ErrorCode.INVALID_REQUEST.exception(PARAMETER + " must be read_uncommitted or read_committed, was '"
                + given + "'");
    }
}

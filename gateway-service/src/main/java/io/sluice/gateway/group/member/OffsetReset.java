package io.sluice.gateway.group.member;

import io.sluice.protocol.ErrorCode;

/** Where a member starts reading a partition that has no committed offset (Kafka's {@code auto.offset.reset}). */
enum OffsetReset {
    EARLIEST, LATEST;

    /** From the {@code auto_offset_reset} parameter; null is {@link #LATEST}, as in Kafka. */
    static OffsetReset of(String value) {
        if (value == null || value.equals("latest")) {
            return LATEST;
        }
        if (value.equals("earliest")) {
            return EARLIEST;
        }
        throw ErrorCode.INVALID_REQUEST.exception("auto_offset_reset is earliest or latest, was '" + value + "'");
    }
}

package io.sluice.gateway.group.admin;

import io.sluice.gateway.format.Timestamps;
import io.sluice.protocol.ErrorCode;
import java.util.List;

/**
 * A reset of a group's offsets in one topic (all its partitions, or those named): {@code to} is {@code earliest},
 * {@code latest}, {@code timestamp} (with {@code timestamp}: ms or ISO-8601), {@code offset} (with {@code offset}) or
 * {@code shift} (with {@code shift_by}, negative to go back). {@code dry_run} answers the plan and changes nothing;
 * {@code force} resets a group that has members.
 */
record ResetRequest(String topic, List<Integer> partitions, String to, String timestamp, Long offset, Long shiftBy,
                    Boolean dryRun, Boolean force) {

    enum Target { EARLIEST, LATEST, TIMESTAMP, OFFSET, SHIFT }

    Target target() {
        if (topic == null) {
            throw ErrorCode.INVALID_REQUEST.exception("A reset names its topic");
        }
        if (to == null) {
            throw ErrorCode.INVALID_REQUEST.exception("to is one of earliest, latest, timestamp, offset, shift");
        }
        Target target = switch (to) {
            case "earliest" -> Target.EARLIEST;
            case "latest" -> Target.LATEST;
            case "timestamp" -> Target.TIMESTAMP;
            case "offset" -> Target.OFFSET;
            case "shift" -> Target.SHIFT;
            default -> throw ErrorCode.INVALID_REQUEST.exception("to is one of earliest, latest, timestamp, offset, "
                    + "shift, was '" + to + "'");
        };
        requireOnly(target == Target.TIMESTAMP, timestamp != null, "timestamp", "to=timestamp");
        requireOnly(target == Target.OFFSET, offset != null, "offset", "to=offset");
        requireOnly(target == Target.SHIFT, shiftBy != null, "shift_by", "to=shift");
        if (target == Target.TIMESTAMP) {
            timestampMs();
        }
        if (offset != null && offset < 0) {
            throw ErrorCode.INVALID_OFFSET.exception("offset must be >= 0, was " + offset);
        }
        if (partitions != null && (partitions.isEmpty() || partitions.stream().anyMatch(p -> p == null || p < 0))) {
            throw ErrorCode.INVALID_REQUEST.exception("partitions, when given, lists partition numbers >= 0");
        }
        return target;
    }

    long timestampMs() {
        return Timestamps.parse(timestamp, "timestamp");
    }

    private static void requireOnly(boolean wanted, boolean given, String field, String when) {
        if (wanted != given) {
            throw ErrorCode.INVALID_REQUEST.exception(wanted ? field + " is required with " + when
                    : field + " is only for " + when);
        }
    }
}

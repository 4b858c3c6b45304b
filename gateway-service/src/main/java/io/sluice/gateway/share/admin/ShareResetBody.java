package io.sluice.gateway.share.admin;

import io.sluice.gateway.format.Timestamps;
import io.sluice.protocol.ErrorCode;
import java.util.List;

/**
 * A reset of a share group's start offsets in one topic (all its partitions, or those named): {@code to} is
 * {@code earliest}, {@code latest}, {@code timestamp} (with {@code timestamp}: ms or ISO-8601; the first record at or
 * after it, else the high watermark) or {@code offset} (with {@code offset}). {@code dry_run} answers the plan and
 * changes nothing. The consumer groups' reset body without {@code shift} and {@code force}: a share group has no
 * committed offset to shift from, and nothing forces a reset while records are acquired.
 */
record ShareResetBody(String topic, List<Integer> partitions, String to, String timestamp, Long offset,
                      Boolean dryRun) {

    enum Target { EARLIEST, LATEST, TIMESTAMP, OFFSET }

    Target target() {
        if (topic == null) {
            throw ErrorCode.INVALID_REQUEST.exception("A reset names its topic");
        }
        if (to == null) {
            throw ErrorCode.INVALID_REQUEST.exception("to is one of earliest, latest, timestamp, offset");
        }
        Target target = switch (to) {
            case "earliest" -> Target.EARLIEST;
            case "latest" -> Target.LATEST;
            case "timestamp" -> Target.TIMESTAMP;
            case "offset" -> Target.OFFSET;
            default -> throw ErrorCode.INVALID_REQUEST.exception("to is one of earliest, latest, timestamp, offset,"
                    + " was '" + to + "'");
        };
        requireOnly(target == Target.TIMESTAMP, timestamp != null, "timestamp", "to=timestamp");
        requireOnly(target == Target.OFFSET, offset != null, "offset", "to=offset");
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

    boolean isDryRun() {
        return dryRun != null && dryRun;
    }

    private static void requireOnly(boolean wanted, boolean given, String field, String when) {
        if (wanted != given) {
            throw ErrorCode.INVALID_REQUEST.exception(wanted ? field + " is required with " + when
                    : field + " is only for " + when);
        }
    }
}

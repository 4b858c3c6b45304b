package io.sluice.gateway.share.admin;

import io.sluice.gateway.group.admin.ResetTargets;
import io.sluice.gateway.group.admin.ResetTargets.Target;
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

    private static final List<Target> TARGETS = List.of(Target.EARLIEST, Target.LATEST, Target.TIMESTAMP,
            Target.OFFSET);

    Target target() {
        return ResetTargets.target(TARGETS, topic, partitions, to, timestamp, offset, null);
    }

    boolean isDryRun() {
        return dryRun != null && dryRun;
    }
}

package io.sluice.gateway.group.admin;

import java.util.List;

/**
 * A reset of a group's offsets in one topic (all its partitions, or those named): {@code to} is {@code earliest},
 * {@code latest}, {@code timestamp} (with {@code timestamp}: ms or ISO-8601), {@code offset} (with {@code offset}) or
 * {@code shift} (with {@code shift_by}, negative to go back). {@code dry_run} answers the plan and changes nothing;
 * {@code force} resets a group that has members.
 */
record ResetRequest(String topic, List<Integer> partitions, String to, String timestamp, Long offset, Long shiftBy,
                    Boolean dryRun, Boolean force) {

    private static final List<ResetTargets.Target> TARGETS = List.of(ResetTargets.Target.values());

    ResetTargets.Target target() {
        return ResetTargets.target(TARGETS, topic, partitions, to, timestamp, offset, shiftBy);
    }
}

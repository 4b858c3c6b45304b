package io.sluice.internal.group;

import java.util.List;

/**
 * The answer to a heartbeat: the member's id and epoch to send next time, how soon to heartbeat again, and the
 * partitions the member may own now. A partition the member owns that is not in {@code assignment} is being asked
 * back: the member stops reading it, commits its position, and leaves it out of its next {@code owned_partitions}.
 * A partition in {@code assignment} is never owned by another member at the same time.
 */
public record GroupHeartbeatResponse(String memberId, int memberEpoch, long heartbeatIntervalMs,
                                     List<TopicPartitions> assignment) {

    public GroupHeartbeatResponse {
        assignment = List.copyOf(assignment);
    }
}

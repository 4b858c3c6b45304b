package io.sluice.internal.share;

import io.sluice.internal.group.TopicPartitions;
import java.util.List;

/**
 * The member's id and epoch after a heartbeat, when to send the next one, and the partitions it is assigned (topics by
 * name, partitions ascending; several members may be assigned one partition). A leave is answered with the epoch -1
 * and no partitions.
 */
public record ShareHeartbeatResponse(String memberId, int memberEpoch, long heartbeatIntervalMs,
                                     List<TopicPartitions> assignment) {

    public ShareHeartbeatResponse {
        assignment = List.copyOf(assignment);
    }
}

package io.sluice.internal.share;

import java.util.List;

/**
 * A share group member's join, heartbeat or leave (KIP-932's ShareGroupHeartbeat): {@code memberEpoch} 0 joins (with
 * the member's own id, or a blank one for the coordinator to make), -1 leaves, any other is the epoch the member was
 * last given. {@code subscribedTopicNames} is the member's subscription, null when unchanged since its last heartbeat
 * (a join must give one). HTTP workers are not members: they take and acknowledge records without a heartbeat.
 */
public record ShareHeartbeatRequest(String groupId, String memberId, int memberEpoch,
                                    List<String> subscribedTopicNames, String clientId, String clientHost) {

    /** The epoch a joining member sends. */
    public static final int JOIN = 0;
    /** The epoch a leaving member sends. */
    public static final int LEAVE = -1;

    public ShareHeartbeatRequest {
        subscribedTopicNames = subscribedTopicNames == null ? null : List.copyOf(subscribedTopicNames);
    }
}

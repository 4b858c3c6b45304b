package io.sluice.internal.group;

import java.util.List;

/**
 * One heartbeat of a group member (KIP-848's ConsumerGroupHeartbeat); the group id is in the path. A member joins,
 * stays and leaves through this one call, and every answer carries the partitions it may own now.
 *
 * @param memberId           the member's id; empty or null to join and have the coordinator choose one. A caller may
 *                           choose its own id (a UUID) when joining, which makes a join retried after a lost answer
 *                           the same member rather than a second one
 * @param memberEpoch        {@link #JOIN} (0) to join or rejoin, the epoch of the last answer to heartbeat,
 *                           {@link #LEAVE} (-1) to leave, {@link #STATIC_LEAVE} (-2) for a static member leaving for a
 *                           restart (it keeps its partitions for its session timeout)
 * @param groupInstanceId    the static member's stable id (Kafka's {@code group.instance.id}), or null
 * @param rebalanceTimeoutMs how long the member may take to release partitions asked back; null = unchanged/default
 * @param sessionTimeoutMs   how long the member may stay silent before it is removed; null = unchanged/default
 * @param subscribedTopicNames topics the member consumes; null = unchanged (required, or a regex, when joining)
 * @param subscribedTopicRegex a Java regular expression matching whole topic names; null = unchanged
 * @param ownedPartitions    the partitions the member owns now; null = unchanged since the last heartbeat. Leaving a
 *                           revoked partition out of this list is how the member releases it
 * @param clientId           the member's client id (a Kafka consumer's {@code client.id}), as describing the group
 *                           shows it; null = unchanged (none for a member that never sent one)
 * @param clientHost         the address the member's client connects from ({@code /127.0.0.1}, as Kafka shows it);
 *                           null = unchanged
 */
public record GroupHeartbeatRequest(String memberId, Integer memberEpoch, String groupInstanceId,
                                    Integer rebalanceTimeoutMs, Integer sessionTimeoutMs,
                                    List<String> subscribedTopicNames, String subscribedTopicRegex,
                                    List<TopicPartitions> ownedPartitions, String clientId, String clientHost) {

    public static final int JOIN = 0;
    public static final int LEAVE = -1;
    public static final int STATIC_LEAVE = -2;

    public static GroupHeartbeatRequest join(String memberIdOrNull, List<String> topics) {
        return new GroupHeartbeatRequest(memberIdOrNull, JOIN, null, null, null, topics, null, List.of(), null, null);
    }

    public static GroupHeartbeatRequest heartbeat(String memberId, int memberEpoch, List<TopicPartitions> owned) {
        return new GroupHeartbeatRequest(memberId, memberEpoch, null, null, null, null, null, owned, null, null);
    }

    public static GroupHeartbeatRequest leave(String memberId) {
        return new GroupHeartbeatRequest(memberId, LEAVE, null, null, null, null, null, null, null, null);
    }

    /** A static member leaving for a restart: it keeps its partitions until its session times out. */
    public static GroupHeartbeatRequest staticLeave(String memberId, String groupInstanceId) {
        return new GroupHeartbeatRequest(memberId, STATIC_LEAVE, groupInstanceId, null, null, null, null, null, null,
                null);
    }
}

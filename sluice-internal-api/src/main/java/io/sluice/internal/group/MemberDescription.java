package io.sluice.internal.group;

import java.util.List;

/**
 * A member as the coordinator sees it: its epochs, subscription, what it owns ({@code assignment}), what it is asked
 * to release ({@code pending_revocation}, still its own until it does) and where it is heading
 * ({@code target_assignment}), the client id and address its client last sent (null for an HTTP member), and whether it
 * speaks Kafka's classic group protocol (a classic consumer in a consumer group).
 */
public record MemberDescription(String memberId, String groupInstanceId, int memberEpoch, MemberState state,
                                List<String> subscribedTopicNames, String subscribedTopicRegex,
                                List<TopicPartitions> assignment, List<TopicPartitions> pendingRevocation,
                                List<TopicPartitions> targetAssignment, int rebalanceTimeoutMs,
                                int sessionTimeoutMs, String clientId, String clientHost, boolean classic) {
}

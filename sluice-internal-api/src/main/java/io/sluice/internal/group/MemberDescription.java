package io.sluice.internal.group;

import java.util.List;

/**
 * A member as the coordinator sees it: its epochs, subscription, what it owns ({@code assignment}), what it is asked
 * to release ({@code pending_revocation}, still its own until it does) and where it is heading
 * ({@code target_assignment}), and the client id and address its client last sent (null for an HTTP member).
 */
public record MemberDescription(String memberId, String groupInstanceId, int memberEpoch, MemberState state,
                                List<String> subscribedTopicNames, String subscribedTopicRegex,
                                List<TopicPartitions> assignment, List<TopicPartitions> pendingRevocation,
                                List<TopicPartitions> targetAssignment, int rebalanceTimeoutMs,
                                int sessionTimeoutMs, String clientId, String clientHost) {
}

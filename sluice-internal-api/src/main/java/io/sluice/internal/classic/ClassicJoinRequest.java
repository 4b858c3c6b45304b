package io.sluice.internal.classic;

import java.util.List;

/**
 * A member joining a classic group (Kafka's JoinGroup): its id (empty for a first join), static instance id (or null),
 * protocol type (opaque: {@code consumer}, {@code connect}, ...) and protocols in its order of preference, its session
 * and rebalance timeouts, and who it is. {@code requireKnownMemberId} (KIP-394, JoinGroup v4+): a first join is
 * answered with an id to join with, and joins nothing yet.
 */
public record ClassicJoinRequest(String memberId, String groupInstanceId, String protocolType,
                                 List<ClassicProtocol> protocols, int sessionTimeoutMs, int rebalanceTimeoutMs,
                                 String clientId, String clientHost, boolean requireKnownMemberId) {

    public ClassicJoinRequest {
        protocols = protocols == null ? List.of() : List.copyOf(protocols);
    }
}

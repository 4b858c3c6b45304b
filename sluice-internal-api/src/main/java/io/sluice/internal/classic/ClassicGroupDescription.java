package io.sluice.internal.classic;

import java.util.List;

/**
 * A classic group as Kafka's DescribeGroups shows it: state ({@code Empty}, {@code PreparingRebalance},
 * {@code CompletingRebalance}, {@code Stable}), protocol type and chosen protocol, generation and members.
 */
public record ClassicGroupDescription(String groupId, String state, String protocolType, String protocolName,
                                      int generationId, List<Member> members) {

    public ClassicGroupDescription {
        members = List.copyOf(members);
    }

    public record Member(String memberId, String groupInstanceId, String clientId, String clientHost,
                         byte[] metadata, byte[] assignment) {
    }
}

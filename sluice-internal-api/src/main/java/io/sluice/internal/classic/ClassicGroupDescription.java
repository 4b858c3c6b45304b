package io.sluice.internal.classic;

import java.util.List;

/**
 * A classic group as Kafka's DescribeGroups shows it: state ({@code Empty}, {@code PreparingRebalance},
 * {@code CompletingRebalance}, {@code Stable}), protocol type and chosen protocol, generation and members.
 */
public record ClassicGroupDescription(String groupId, String state, String protocolType, String protocolName,
                                      int generationId, List<Member> members) {

    /** The protocol type of Kafka's consumers, whose subscription metadata says the topics they read. */
    public static final String CONSUMER_PROTOCOL_TYPE = "consumer";

    public ClassicGroupDescription {
        members = List.copyOf(members);
    }

    /**
     * Whether members of a protocol type other than {@code consumer} (Kafka Connect's, say) hold the group: nobody
     * reads what they subscribe to, so none of its offsets may be deleted (Kafka's NON_EMPTY_GROUP for OffsetDelete).
     */
    public boolean heldByAnotherProtocolType() {
        return !members.isEmpty() && !CONSUMER_PROTOCOL_TYPE.equals(protocolType);
    }

    public record Member(String memberId, String groupInstanceId, String clientId, String clientHost,
                         byte[] metadata, byte[] assignment) {
    }
}

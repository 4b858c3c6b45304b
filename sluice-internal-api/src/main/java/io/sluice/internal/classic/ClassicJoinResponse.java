package io.sluice.internal.classic;

import java.util.List;

/**
 * The end of a join: the generation the member is in, the protocol chosen, the leader, the member's id, and — for the
 * leader only — every member with its metadata, to compute the assignment from. With {@code memberIdRequired}, only
 * {@code memberId} is set: the member joins again with it (KIP-394).
 */
public record ClassicJoinResponse(boolean memberIdRequired, int generationId, String protocolType, String protocolName,
                                  String leader, String memberId, List<ClassicMember> members) {

    public ClassicJoinResponse {
        members = members == null ? List.of() : List.copyOf(members);
    }
}

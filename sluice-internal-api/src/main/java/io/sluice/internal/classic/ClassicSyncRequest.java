package io.sluice.internal.classic;

import java.util.List;

/** Kafka's SyncGroup: a member of a generation asks for its assignment; the leader's request carries everyone's. */
public record ClassicSyncRequest(String memberId, String groupInstanceId, int generationId, String protocolType,
                                 String protocolName, List<ClassicAssignment> assignments) {

    public ClassicSyncRequest {
        assignments = assignments == null ? List.of() : List.copyOf(assignments);
    }
}

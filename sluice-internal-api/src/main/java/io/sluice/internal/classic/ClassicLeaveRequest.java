package io.sluice.internal.classic;

import java.util.List;

/** Kafka's LeaveGroup: members leaving, each by member id or, for static members, by instance id. */
public record ClassicLeaveRequest(List<Leaving> members) {

    public ClassicLeaveRequest {
        members = members == null ? List.of() : List.copyOf(members);
    }

    public record Leaving(String memberId, String groupInstanceId) {
    }
}

package io.sluice.internal.share;

import io.sluice.internal.group.TopicPartitions;
import java.util.List;

/**
 * A share group's members as the active coordinator knows them (Kafka share consumers; HTTP workers are not members),
 * by member id, with the group epoch (0 when the group has no member). Each member's assignment names topics by name,
 * partitions ascending.
 */
public record ShareGroupMembers(String groupId, int groupEpoch, List<Member> members) {

    public ShareGroupMembers {
        members = List.copyOf(members);
    }

    public record Member(String memberId, int memberEpoch, String clientId, String clientHost,
                         List<String> subscribedTopicNames, List<TopicPartitions> assignment) {

        public Member {
            subscribedTopicNames = List.copyOf(subscribedTopicNames);
            assignment = List.copyOf(assignment);
        }
    }

    /** The body of a {@link SharePaths#MEMBERS} call. */
    public record Request(String groupId) {
    }
}

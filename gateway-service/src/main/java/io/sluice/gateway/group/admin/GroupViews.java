package io.sluice.gateway.group.admin;

import io.sluice.internal.group.GroupState;
import io.sluice.internal.group.MemberDescription;
import io.sluice.internal.group.MemberState;
import io.sluice.internal.group.TopicPartitions;
import java.util.List;

/** What the group admin routes answer. */
final class GroupViews {

    private GroupViews() {
    }

    record GroupList(List<GroupSummary> groups) {
    }

    /** {@code lag}: records behind over every committed partition whose leader answered. */
    record GroupSummary(String groupId, GroupState state, int members, List<String> topics, long lag) {
    }

    record GroupView(String groupId, GroupState state, int groupEpoch, int assignmentEpoch, List<MemberView> members,
                     List<PartitionLag> partitions, long lag) {
    }

    record MemberView(String memberId, String groupInstanceId, int memberEpoch, MemberState state,
                      List<String> subscribedTopics, String subscribedTopicPattern, List<TopicPartitions> assignment,
                      List<TopicPartitions> pendingRevocation, int sessionTimeoutMs) {

        static MemberView of(MemberDescription member) {
            return new MemberView(member.memberId(), member.groupInstanceId(), member.memberEpoch(), member.state(),
                    member.subscribedTopicNames(), member.subscribedTopicRegex(), member.assignment(),
                    member.pendingRevocation(), member.sessionTimeoutMs());
        }
    }

    /**
     * One partition of a group: its committed offset (null: none), when it was committed, the high watermark, the lag
     * in records and in seconds (null: unknown — no committed offset, or the leader did not answer), and the member
     * that owns it now (null: none).
     */
    record PartitionLag(String topic, int partition, Long committedOffset, Long commitTimestamp, Long highWatermark,
                        Long lag, Double lagSeconds, String memberId) {
    }

    /** A reset's plan (with {@code dry_run}) or what it did. */
    record ResetPlan(String groupId, boolean dryRun, List<PlannedOffset> partitions) {
    }

    /** {@code lag}: the high watermark minus the new offset. */
    record PlannedOffset(String topic, int partition, Long currentOffset, long newOffset, long lag) {
    }
}

package io.sluice.gateway.share.admin;

import io.sluice.internal.share.ShareGroupMembers;
import io.sluice.internal.share.SharePartitionDescription;
import java.util.List;

/** What the share-group admin routes answer. */
final class ShareGroupViews {

    private ShareGroupViews() {
    }

    record ShareGroupList(List<ShareGroupSummary> shareGroups) {
    }

    /** {@code inFlightRecords}: in the windows, any state; {@code acquiredRecords}: locked for members now. */
    record ShareGroupSummary(String groupId, int partitions, long inFlightRecords, long acquiredRecords) {
    }

    /**
     * A share group: its members (Kafka share consumers, by heartbeat) with the group epoch, the takers holding records
     * now ({@code lockHolders}: members and HTTP workers), each share-partition, and the total lag over the
     * share-partitions whose leader answered.
     */
    record ShareGroupView(String groupId, int groupEpoch, List<MemberView> members, List<LockHolder> lockHolders,
                          List<SharePartitionView> partitions, long lag) {
    }

    /** A member as its heartbeats made it: what it subscribes to and the partitions the group assigned it. */
    record MemberView(String memberId, int memberEpoch, String clientId, String clientHost,
                      List<String> subscribedTopics, List<AssignedPartitions> assignment) {

        static MemberView of(ShareGroupMembers.Member member) {
            return new MemberView(member.memberId(), member.memberEpoch(), member.clientId(), member.clientHost(),
                    member.subscribedTopicNames(), member.assignment().stream()
                    .map(a -> new AssignedPartitions(a.topic(), a.partitions())).toList());
        }
    }

    record AssignedPartitions(String topic, List<Integer> partitions) {
    }

    record LockHolder(String memberId, long acquiredRecords) {
    }

    /**
     * One share-partition: its start offset (every record below is acknowledged or archived), end offset (the next
     * offset not yet taken into the window), the high watermark and the lag (the records from the start offset to
     * the high watermark not yet acknowledged or archived; both null when the leader did not answer), the in-flight
     * records by state, and by delivery count.
     */
    record SharePartitionView(String topic, int partition, long startOffset, long endOffset, Long highWatermark,
                              Long lag, InFlight inFlight, int maxDeliveryCount,
                              List<DeliveryCount> deliveryCounts) {

        static SharePartitionView of(SharePartitionDescription partition, Long highWatermark) {
            return new SharePartitionView(partition.topic(), partition.partition(), partition.startOffset(),
                    partition.endOffset(), highWatermark, highWatermark == null ? null : partition.lag(highWatermark),
                    new InFlight(partition.available(), partition.acquired(), partition.acknowledged(),
                            partition.archived()),
                    partition.maxDeliveryCount(), partition.deliveryCounts().stream()
                            .map(d -> new DeliveryCount(d.deliveries(), d.records())).toList());
        }
    }

    record InFlight(int available, int acquired, int acknowledged, int archived) {
    }

    /** {@code records} records in flight were delivered {@code deliveries} times. */
    record DeliveryCount(int deliveries, int records) {
    }

    /** A reset's plan (with {@code dry_run}) or what it did. */
    record ResetPlan(String groupId, boolean dryRun, List<PlannedStart> partitions) {
    }

    /** {@code currentStartOffset}: null where the group had no share-partition; {@code lag}: high watermark − new. */
    record PlannedStart(String topic, int partition, Long currentStartOffset, long newStartOffset, long lag) {
    }
}

package io.sluice.gateway.group.member;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.sluice.gateway.group.admin.GroupActivity;
import io.sluice.gateway.routing.PartitionReader;
import io.sluice.internal.coordinator.CoordinatorApi;
import io.sluice.internal.group.CommittedOffset;
import io.sluice.internal.group.GroupHeartbeatRequest;
import io.sluice.internal.group.GroupHeartbeatResponse;
import io.sluice.internal.group.GroupOffsets;
import io.sluice.internal.group.OffsetCommitRequest;
import io.sluice.internal.group.PartitionOffset;
import io.sluice.internal.group.TopicPartitions;
import io.sluice.internal.partition.ListOffsetsResponse;
import io.sluice.internal.partition.ListOffsetsRequest;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import io.sluice.protocol.TopicPartition;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.mockito.InOrder;
import reactor.core.publisher.Mono;

/**
 * The member side of the hand-off rules (issue 40), against a scripted coordinator: a partition asked back is released
 * only after the commit of its final position, a commit that cannot reach the coordinator releases nothing, one refused
 * for good releases all the same; a start resolved by {@code auto_offset_reset} is committed before it is read, and a
 * start the coordinator does not take is not read.
 */
class MembershipTest {

    private static final String GROUP = "g";
    private static final String MEMBER = "m";
    private static final TopicPartition KEPT = new TopicPartition("t", 0);
    private static final TopicPartition TAKEN = new TopicPartition("t", 1);

    private final CoordinatorApi coordinator = mock(CoordinatorApi.class);
    private final PartitionReader reader = mock(PartitionReader.class);
    private final Membership membership = new Membership(coordinator, reader, mock(GroupActivity.class));

    @Test
    void aPartitionAskedBackIsReleasedOnlyAfterItsFinalPositionIsCommitted() {
        answerHeartbeats();
        when(coordinator.commitOffsets(eq(GROUP), any())).thenReturn(Mono.just(new GroupOffsets(GROUP, List.of())));

        Membership.Heartbeat beat = membership.heartbeat(GROUP, MEMBER, 3, owning(), true, revoked -> Map.of(TAKEN, 42L))
                .block();

        assertThat(beat.revoked()).containsExactly(TAKEN);
        InOrder order = inOrder(coordinator);
        order.verify(coordinator).groupHeartbeat(eq(GROUP), eq(heartbeat(KEPT, TAKEN)));
        order.verify(coordinator).commitOffsets(GROUP, new OffsetCommitRequest(MEMBER, 3,
                List.of(PartitionOffset.of("t", 1, 42))));
        order.verify(coordinator).groupHeartbeat(eq(GROUP), eq(heartbeat(KEPT)));
    }

    @Test
    void aReleaseCommitThatCannotReachTheCoordinatorReleasesNothing() {
        answerHeartbeats();
        when(coordinator.commitOffsets(eq(GROUP), any())).thenReturn(Mono.error(
                ErrorCode.COORDINATOR_NOT_AVAILABLE.exception("away")));

        assertThatThrownBy(() -> membership.heartbeat(GROUP, MEMBER, 3, owning(), true,
                revoked -> Map.of(TAKEN, 42L)).block())
                .isInstanceOfSatisfying(SluiceException.class, e ->
                        assertThat(e.errorCode()).isEqualTo(ErrorCode.COORDINATOR_NOT_AVAILABLE));
        verify(coordinator, never()).groupHeartbeat(eq(GROUP), eq(heartbeat(KEPT)));
    }

    @Test
    void aReleaseCommitRefusedForGoodReleasesAllTheSame() {
        answerHeartbeats();
        when(coordinator.commitOffsets(eq(GROUP), any())).thenReturn(Mono.error(
                ErrorCode.FENCED_MEMBER_EPOCH.exception("fenced")));

        Membership.Heartbeat beat = membership.heartbeat(GROUP, MEMBER, 3, owning(), true, revoked -> Map.of(TAKEN, 42L))
                .block();

        assertThat(beat.revoked()).containsExactly(TAKEN);
        verify(coordinator).groupHeartbeat(eq(GROUP), eq(heartbeat(KEPT)));
    }

    @Test
    void aStartResolvedByTheResetIsCommittedBeforeItIsRead() {
        when(coordinator.committedOffsets(GROUP)).thenReturn(Mono.just(new GroupOffsets(GROUP,
                List.of(new CommittedOffset("t", 0, 7, null, null, 0)))));
        when(reader.listOffset(TAKEN, ListOffsetsRequest.LATEST, false)).thenReturn(Mono.just(
                new ListOffsetsResponse.Partition("t", 1, null, null, 17L, null)));
        when(coordinator.commitOffsets(eq(GROUP), any())).thenReturn(Mono.just(new GroupOffsets(GROUP, List.of())));

        Map<TopicPartition, Long> starts = membership.starts(GROUP, MEMBER, 3, List.of(KEPT, TAKEN),
                OffsetReset.LATEST, false).block();

        assertThat(starts).isEqualTo(Map.of(KEPT, 7L, TAKEN, 17L));
        ArgumentCaptor<OffsetCommitRequest> commit = ArgumentCaptor.forClass(OffsetCommitRequest.class);
        verify(coordinator).commitOffsets(eq(GROUP), commit.capture());
        assertThat(commit.getValue()).as("only the resolved start, at the member's epoch")
                .isEqualTo(new OffsetCommitRequest(MEMBER, 3, List.of(PartitionOffset.of("t", 1, 17))));
    }

    @Test
    void aStartTheCoordinatorDoesNotTakeIsNotRead() {
        when(coordinator.committedOffsets(GROUP)).thenReturn(Mono.just(new GroupOffsets(GROUP, List.of())));
        when(reader.listOffset(eq(TAKEN), anyLong(), eq(false))).thenReturn(Mono.just(
                new ListOffsetsResponse.Partition("t", 1, null, null, 17L, null)));
        when(coordinator.commitOffsets(eq(GROUP), any())).thenReturn(Mono.error(
                ErrorCode.STALE_MEMBER_EPOCH.exception("moved on")));

        assertThat(membership.starts(GROUP, MEMBER, 3, List.of(TAKEN), OffsetReset.EARLIEST, false).block()).isEmpty();
    }

    /** KIP-447 over HTTP: a member reading committed records waits for the offset an open transaction holds. */
    @Test
    void aReadCommittedMemberDoesNotStartAPartitionWhoseOffsetAnOpenTransactionHolds() {
        when(coordinator.committedOffsets(GROUP)).thenReturn(Mono.just(new GroupOffsets(GROUP,
                List.of(new CommittedOffset("t", 0, 7, null, null, 0), new CommittedOffset("t", 1, 9, null, null, 0)),
                List.of(TAKEN))));

        assertThat(membership.starts(GROUP, MEMBER, 3, List.of(KEPT, TAKEN), OffsetReset.EARLIEST, true).block())
                .as("started at a later heartbeat").isEqualTo(Map.of(KEPT, 7L));
        assertThat(membership.starts(GROUP, MEMBER, 3, List.of(KEPT, TAKEN), OffsetReset.EARLIEST, false).block())
                .as("read_uncommitted does not wait").isEqualTo(Map.of(KEPT, 7L, TAKEN, 9L));
    }

    /** The member owns both partitions; the coordinator asks {@link #TAKEN} back and keeps the epoch. */
    private void answerHeartbeats() {
        when(coordinator.groupHeartbeat(eq(GROUP), any())).thenReturn(Mono.just(new GroupHeartbeatResponse(MEMBER, 3,
                1000, List.of(new TopicPartitions("t", List.of(0))))));
    }

    private static Map<TopicPartition, Long> owning() {
        Map<TopicPartition, Long> owned = new TreeMap<>();
        owned.put(KEPT, 10L);
        owned.put(TAKEN, 50L);
        return owned;
    }

    private static GroupHeartbeatRequest heartbeat(TopicPartition... owned) {
        return GroupHeartbeatRequest.heartbeat(MEMBER, 3, Membership.topicPartitions(Set.of(owned)));
    }
}

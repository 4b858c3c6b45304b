package io.sluice.partition.replica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.internal.metadata.PartitionState;
import io.sluice.log.LogConfig;
import io.sluice.log.PartitionLog;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import io.sluice.protocol.TopicPartition;
import io.sluice.protocol.record.CompressionType;
import io.sluice.protocol.record.RecordBatchBuilder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PartitionTest {

    private static final TopicPartition TP = new TopicPartition("orders", 0);
    private static final PartitionState LED_BY_1 = new PartitionState(0, List.of(1, 2, 3), 1, List.of(1, 2, 3), 3, 5);
    private static final long LAG_MAX = 10_000;

    @TempDir
    Path dir;
    PartitionLog log;
    Partition partition;
    /** What the metadata shows alive when a follower fetches. */
    Partition.LiveReplicas live = alive(1, 2, 3);

    @BeforeEach
    void open() throws IOException {
        log = PartitionLog.open(dir.resolve("orders-0"), LogConfig.defaults(), Clock.systemUTC());
        partition = new Partition(TP, "topic-id", log, 1);
    }

    @AfterEach
    void close() throws IOException {
        log.close();
    }

    @Test
    void aLeaderAloneInTheIsrCommitsEachAppendAtOnce() {
        partition.becomeLeader(new PartitionState(0, List.of(1), 1, List.of(1), 0, 0), 0);

        partition.appendAsLeader(batch("a", "b"), 0, true);

        assertThat(log.highWatermark()).isEqualTo(2);
    }

    @Test
    void theHighWatermarkIsTheSmallestLogEndAcrossTheIsr() {
        partition.becomeLeader(LED_BY_1, 0);
        partition.appendAsLeader(batch("a", "b", "c", "d"), 3, false);
        assertThat(log.highWatermark()).as("followers not heard from yet").isZero();

        fetch(2, incarnation(2), 4, 3, 10);
        fetch(3, incarnation(3), 1, 3, 10);
        assertThat(log.highWatermark()).isEqualTo(1);

        fetch(3, incarnation(3), 4, 3, 20);
        assertThat(log.highWatermark()).isEqualTo(4);
    }

    @Test
    void aFollowerOutsideTheIsrDoesNotHoldTheHighWatermarkBack() {
        partition.becomeLeader(new PartitionState(0, List.of(1, 2, 3), 1, List.of(1, 2), 3, 5), 0);
        partition.appendAsLeader(batch("a", "b"), 3, false);

        fetch(2, incarnation(2), 2, 3, 10);

        assertThat(log.highWatermark()).isEqualTo(2);
    }

    @Test
    void aFollowerThatStopsCatchingUpIsProposedOutOfTheIsr() {
        partition.becomeLeader(LED_BY_1, 0);
        partition.appendAsLeader(batch("a"), 3, false);
        fetch(2, incarnation(2), 1, 3, 100);
        fetch(3, incarnation(3), 0, 3, 100);

        assertThat(isr(partition.proposedIsr(LAG_MAX, LAG_MAX, live))).isNull();
        Partition.IsrProposal shrink = partition.proposedIsr(LAG_MAX + 1, LAG_MAX, live);
        assertThat(isr(shrink)).containsExactly(1, 2);
        assertThat(shrink.joinerIncarnations()).as("a shrink adds no one").isEmpty();
        assertThat(shrink.outOfSync()).as("what the leader knew of the follower it drops")
                .isEqualTo("log end 1, high watermark 0; out of sync: node 3 at log end 0, caught up " + (LAG_MAX + 1)
                        + " ms ago, last fetch " + (LAG_MAX + 1 - 100) + " ms ago");
    }

    @Test
    void onlyOneIsrChangeIsInFlightAndTheAcceptedStateIsAdopted() {
        partition.becomeLeader(LED_BY_1, 0);
        List<Integer> proposed = isr(partition.proposedIsr(LAG_MAX + 1, LAG_MAX, live));
        assertThat(proposed).containsExactly(1);
        assertThat(isr(partition.proposedIsr(LAG_MAX + 2, LAG_MAX, live))).as("in flight").isNull();

        partition.isrChangeCompleted(LED_BY_1.withIsr(proposed));

        assertThat(partition.state().isr()).containsExactly(1);
        assertThat(partition.state().partitionEpoch()).isEqualTo(6);
    }

    @Test
    void aLiveFollowerThatReachedTheHighWatermarkIsProposedBackIn() {
        live = alive(1, 2);
        partition.becomeLeader(new PartitionState(0, List.of(1, 2, 3), 1, List.of(1), 3, 5), 0);
        partition.appendAsLeader(batch("a", "b"), 3, false);
        fetch(2, incarnation(2), 2, 3, 50);
        fetch(3, incarnation(3), 2, 3, 50);

        assertThat(isr(partition.proposedIsr(60, LAG_MAX, live))).containsExactly(1, 2);
    }

    /**
     * A leader alone in the ISR moves the high watermark with every write. A follower that reached it at one fetch
     * joins although the leader wrote more before its round, and holds the high watermark back from that fetch on.
     */
    @Test
    void aFollowerThatCaughtUpAtAFetchJoinsALeaderAloneInTheIsrWhileWritesGoOn() {
        partition.becomeLeader(new PartitionState(0, List.of(1, 2, 3), 1, List.of(1), 3, 5), 0);
        partition.appendAsLeader(batch("a", "b"), 3, false);
        fetch(2, incarnation(2), 2, 3, 50);

        partition.appendAsLeader(batch("c", "d"), 3, false);

        assertThat(log.highWatermark()).as("replica 2, about to join, holds offsets below 2 only").isEqualTo(2);
        assertThat(isr(partition.proposedIsr(60, LAG_MAX, live))).containsExactly(1, 2);
    }

    /**
     * KIP-903: node 2 fetched up to the high watermark from a process the metadata no longer shows alive (it has
     * restarted since; a fetch delayed in the network looks the same). That fetch must not bring it into the ISR: the
     * new process may hold less, and an ISR member holding less than the high watermark could be elected and lose
     * committed records.
     */
    @Test
    void aRestartedFollowerIsNotProposedIntoTheIsrOnWhatItsPreviousProcessFetched() {
        live = (node, incarnation) -> node == 2 && "node-2-second".equals(incarnation);
        partition.becomeLeader(new PartitionState(0, List.of(1, 2, 3), 1, List.of(1), 3, 5), 0);
        partition.appendAsLeader(batch("a", "b"), 3, false);
        fetch(2, incarnation(2), 2, 3, 50);

        assertThat(isr(partition.proposedIsr(60, LAG_MAX, live))).as("the fetch came from the old process")
                .isNull();

        fetch(2, "node-2-second", 0, 3, 70);
        assertThat(isr(partition.proposedIsr(80, LAG_MAX, live))).as("the new process holds nothing yet")
                .isNull();
        fetch(2, "node-2-second", 2, 3, 90);
        assertThat(isr(partition.proposedIsr(100, LAG_MAX, live))).containsExactly(1, 2);
    }

    /**
     * A replica a move adds (moving [1, 2, 3] to [4, 2, 3]) fetches from an empty log like any follower: it does not
     * hold the high watermark back while it catches up, and is proposed into the ISR once it reaches it.
     */
    @Test
    void whenAMoveAddsAReplicaShouldCatchItUpFromEmptyAndProposeItIntoTheIsr() {
        live = alive(1, 2, 3, 4);
        partition.becomeLeader(new PartitionState(0, List.of(4, 2, 3, 1), 1, List.of(2, 3, 1), 3, 5, List.of(4),
                List.of(1)), 0);
        partition.appendAsLeader(batch("a", "b"), 3, false);
        fetch(2, incarnation(2), 2, 3, 10);
        fetch(3, incarnation(3), 2, 3, 10);

        fetch(4, incarnation(4), 0, 3, 20);

        assertThat(log.highWatermark()).as("replica 4, catching up from offset 0, is not in the ISR").isEqualTo(2);
        assertThat(isr(partition.proposedIsr(30, LAG_MAX, live))).isNull();

        fetch(4, incarnation(4), 2, 3, 40);

        assertThat(isr(partition.proposedIsr(50, LAG_MAX, live))).containsExactlyInAnyOrder(1, 2, 3, 4);
    }

    @Test
    void producersAreToldWhoIsNotTheLeaderOrWhichEpochIsStale() {
        partition.becomeFollower(new PartitionState(0, List.of(1, 2, 3), 2, List.of(1, 2, 3), 4, 6));
        assertThatThrownBy(() -> partition.appendAsLeader(batch("a"), -1, false)).satisfies(errorCode(ErrorCode.NOT_LEADER));

        partition.becomeLeader(LED_BY_1, 0);
        assertThatThrownBy(() -> partition.appendAsLeader(batch("a"), 2, false))
                .satisfies(errorCode(ErrorCode.FENCED_LEADER_EPOCH));
        assertThatThrownBy(() -> partition.appendAsLeader(batch("a"), 4, false))
                .satisfies(errorCode(ErrorCode.UNKNOWN_LEADER_EPOCH));
        assertThat(log.logEndOffset()).isZero();
    }

    @Test
    void acksAllIsRefusedWithoutWritingWhileTheIsrIsBelowMinInsyncReplicas() {
        partition.minInsyncReplicas(2);
        partition.becomeLeader(new PartitionState(0, List.of(1, 2, 3), 1, List.of(1), 3, 5), 0);

        assertThatThrownBy(() -> partition.appendAsLeader(batch("a"), 3, true))
                .satisfies(errorCode(ErrorCode.NOT_ENOUGH_REPLICAS));
        assertThat(log.logEndOffset()).isZero();
        partition.appendAsLeader(batch("a"), 3, false);
        assertThat(log.logEndOffset()).isEqualTo(1);
    }

    @Test
    void aFetchMadeUnderAnOlderLeadershipWritesNothing() {
        partition.becomeFollower(new PartitionState(0, List.of(1, 2, 3), 2, List.of(1, 2, 3), 4, 6));
        ByteBuffer fromOldLeader = RecordBatchBuilder.of(CompressionType.NONE).partitionLeaderEpoch(4)
                .append(1, null, bytes("x")).build();

        partition.becomeLeader(new PartitionState(0, List.of(1, 2, 3), 1, List.of(1, 2, 3), 5, 7), 0);

        assertThat(partition.appendAsFollower(fromOldLeader, 4)).isFalse();
        assertThat(log.logEndOffset()).isZero();
    }

    @Test
    void aFetchMadeInAnotherLeaderEpochDoesNotMoveTheHighWatermark() {
        partition.becomeLeader(LED_BY_1, 0);
        partition.appendAsLeader(batch("a", "b", "c", "d"), 3, false);

        fetch(2, incarnation(2), 4, 2, 10);
        fetch(3, incarnation(3), 4, 2, 10);
        assertThat(log.highWatermark()).as("fetches delayed from leader epoch 2").isZero();

        fetch(2, incarnation(2), 4, 3, 20);
        fetch(3, incarnation(3), 4, 3, 20);
        assertThat(log.highWatermark()).isEqualTo(4);
    }

    @Test
    void aFetchFromBeyondTheLogEndDoesNotMoveTheHighWatermark() {
        partition.becomeLeader(LED_BY_1, 0);
        partition.appendAsLeader(batch("a", "b", "c", "d"), 3, false);

        fetch(2, incarnation(2), 9, 3, 10);
        fetch(3, incarnation(3), 9, 3, 10);

        assertThat(log.highWatermark()).isZero();
    }

    @Test
    void whileAnExpansionIsPendingTheJoiningReplicaHoldsTheHighWatermarkBack() {
        proposeThatReplica3Joins();

        partition.appendAsLeader(batch("c", "d"), 3, false);
        fetch(2, incarnation(2), 4, 3, 70);

        assertThat(log.highWatermark()).as("replica 3, about to join, holds offsets below 2 only").isEqualTo(2);
        fetch(3, incarnation(3), 4, 3, 80);
        assertThat(log.highWatermark()).isEqualTo(4);
    }

    /**
     * KIP-903 between the fetch and the round: node 3 qualified at a fetch, then restarted before the leader sent the
     * expansion. The change is dropped unsent, and node 3 stops holding the high watermark back.
     */
    @Test
    void anExpansionWhoseJoinerRestartedBeforeItWasSentIsDropped() {
        replica3CatchesUp();
        partition.appendAsLeader(batch("c", "d"), 3, false);
        fetch(2, incarnation(2), 4, 3, 60);
        assertThat(log.highWatermark()).as("replica 3, about to join, holds offsets below 2 only").isEqualTo(2);

        live = (node, incarnation) -> node == 2 && incarnation(2).equals(incarnation)
                || node == 3 && "node-3-second".equals(incarnation);

        assertThat(partition.proposedIsr(70, LAG_MAX, live)).as("the fetch came from node 3's previous process")
                .isNull();
        assertThat(log.highWatermark()).isEqualTo(4);
    }

    @Test
    void anExpansionWhoseOutcomeIsUnknownKeepsHoldingTheHighWatermarkAndIsSentAgain() {
        proposeThatReplica3Joins();

        failTheProposalAndWriteMore(ErrorCode.REQUEST_TIMED_OUT);

        assertThat(log.highWatermark()).as("Redis may list replica 3 in the ISR already").isEqualTo(2);
        assertThat(partition.proposedIsr(80, LAG_MAX, live))
                .as("the same change again, computed at the same partition epoch, qualified by the same process")
                .isEqualTo(new Partition.IsrProposal(List.of(1, 2, 3), 3, 5, Map.of(3, incarnation(3)), null));
    }

    @Test
    void anExpansionRefusedAsStaleHoldsTheHighWatermarkUntilTheMetadataSaysHowItEnded() {
        proposeThatReplica3Joins();

        failTheProposalAndWriteMore(ErrorCode.STALE_PARTITION_EPOCH);
        assertThat(log.highWatermark()).isEqualTo(2);
        assertThat(partition.proposedIsr(80, LAG_MAX, live)).as("waits for the metadata").isNull();

        partition.updateState(new PartitionState(0, List.of(1, 2, 3), 1, List.of(1, 2, 3), 3, 6));
        fetch(3, incarnation(3), 4, 3, 90);
        assertThat(log.highWatermark()).isEqualTo(4);
    }

    /** INELIGIBLE_REPLICA: replica 3 died or restarted since its fetch qualified it (KIP-903); nothing was written. */
    @ParameterizedTest
    @EnumSource(value = ErrorCode.class, names = {"INVALID_REQUEST", "INELIGIBLE_REPLICA"})
    void anExpansionTheCoordinatorRejectedOutrightStopsCounting(ErrorCode refusal) {
        proposeThatReplica3Joins();

        failTheProposalAndWriteMore(refusal);

        assertThat(log.highWatermark()).isEqualTo(4);
    }

    @Test
    void anOlderViewOfTheSameLeadershipDoesNotTakeBackAnAdoptedIsrChange() {
        partition.becomeLeader(new PartitionState(0, List.of(1, 2, 3), 1, List.of(1, 2, 3), 3, 5), 0);
        partition.isrChangeCompleted(new PartitionState(0, List.of(1, 2, 3), 1, List.of(1, 2), 3, 6));

        partition.becomeLeader(new PartitionState(0, List.of(1, 2, 3), 1, List.of(1, 2, 3), 3, 5), 10);

        assertThat(partition.state().isr()).containsExactly(1, 2);
        assertThat(partition.state().partitionEpoch()).isEqualTo(6);
    }

    @Test
    void aFollowerShortOfTheLeaderEpochsStartOffsetIsNotProposedIntoTheIsr() {
        partition.becomeLeader(new PartitionState(0, List.of(1, 2, 3), 1, List.of(1, 2), 2, 4), 0);
        partition.appendAsLeader(batch("a", "b", "c", "d"), 2, false);
        fetch(2, incarnation(2), 2, 2, 10);
        assertThat(log.highWatermark()).isEqualTo(2);
        partition.becomeLeader(new PartitionState(0, List.of(1, 2, 3), 1, List.of(1, 2), 3, 5), 20);

        fetch(3, incarnation(3), 3, 3, 30);
        assertThat(isr(partition.proposedIsr(40, LAG_MAX, live)))
                .as("past the high watermark (2) but short of epoch 3's first offset (4)").isNull();

        fetch(3, incarnation(3), 4, 3, 50);
        assertThat(isr(partition.proposedIsr(60, LAG_MAX, live))).containsExactly(1, 2, 3);
    }

    @Test
    void belowMinInsyncReplicasNothingNewBecomesReadable() {
        partition.minInsyncReplicas(2);
        partition.becomeLeader(new PartitionState(0, List.of(1, 2, 3), 1, List.of(1), 3, 5), 0);

        partition.appendAsLeader(batch("a", "b"), 3, false);
        assertThat(log.highWatermark()).as("an acks=1 write held by the leader alone").isZero();

        partition.updateState(new PartitionState(0, List.of(1, 2, 3), 1, List.of(1, 2), 3, 6));
        fetch(2, incarnation(2), 2, 3, 10);
        assertThat(log.highWatermark()).isEqualTo(2);
    }

    @Test
    void loweringMinInsyncReplicasMakesWhatTheIsrHoldsReadableWithoutFurtherWrites() {
        partition.minInsyncReplicas(3);
        partition.becomeLeader(new PartitionState(0, List.of(1, 2, 3), 1, List.of(1, 2), 3, 5), 0);
        partition.appendAsLeader(batch("a", "b"), 3, false);
        fetch(2, incarnation(2), 2, 3, 10);
        // caught up: nothing the follower holds changes any more
        fetch(2, incarnation(2), 2, 3, 20);
        assertThat(log.highWatermark()).as("an ISR of 2 below min.insync.replicas=3").isZero();

        partition.minInsyncReplicas(2);

        assertThat(log.highWatermark()).isEqualTo(2);
    }

    @Test
    void anAcksAllWriteWhoseLeaderLostLeadershipBeforeItWasCommittedIsNotAnsweredNotLeader() {
        partition.becomeLeader(LED_BY_1, 0);
        java.util.concurrent.CompletableFuture<Long> answer = appendAcksAll("a");

        partition.becomeFollower(new PartitionState(0, List.of(1, 2, 3), 2, List.of(2, 3), 4, 6));
        partition.updateFollowerHighWatermark(1, 4);

        assertThatThrownBy(answer::join).cause()
                .as("NOT_LEADER would tell the gateway that nothing was written, and it would send the write again")
                .satisfies(errorCode(ErrorCode.NOT_LEADER_AFTER_APPEND));
        assertThat(ErrorCode.NOT_LEADER_AFTER_APPEND.refreshesMetadata()).isFalse();
        assertThat(ErrorCode.NOT_LEADER_AFTER_APPEND.retriable()).isTrue();
    }

    /**
     * A network split (issue 47, shape e): the leader, cut off from its followers and the coordinator, learns at the
     * heal that another node leads and truncates to it. Its high watermark as a follower passes the waiting write's
     * offset only once the new leader commits that much again, which the writers waiting for this answer do not help
     * with: the answer comes at once instead of at the request's timeout.
     */
    @Test
    void anAcksAllWriteWaitingWhenItsLeaderBecomesAFollowerIsAnsweredAtOnce() {
        partition.becomeLeader(LED_BY_1, 0);
        java.util.concurrent.CompletableFuture<Long> answer = appendAcksAll("a");
        assertThat(answer).isNotDone();

        partition.becomeFollower(new PartitionState(0, List.of(1, 2, 3), 2, List.of(2, 3), 4, 6));

        assertThat(answer).isCompletedExceptionally();
        assertThatThrownBy(answer::join).cause().satisfies(errorCode(ErrorCode.NOT_LEADER_AFTER_APPEND));
    }

    @Test
    void anAcksAllWriteWaitingWhenTheIsrFallsBelowMinInsyncReplicasIsAnsweredAtOnce() {
        partition.minInsyncReplicas(2);
        partition.becomeLeader(new PartitionState(0, List.of(1, 2, 3), 1, List.of(1, 2), 3, 5), 0);
        java.util.concurrent.CompletableFuture<Long> answer = appendAcksAll("a");
        assertThat(answer).isNotDone();

        partition.updateState(new PartitionState(0, List.of(1, 2, 3), 1, List.of(1), 3, 6));

        assertThat(answer).isCompletedExceptionally();
        assertThatThrownBy(answer::join).hasCauseInstanceOf(SluiceException.class)
                .cause().satisfies(errorCode(ErrorCode.NOT_ENOUGH_REPLICAS_AFTER_APPEND));
        assertThat(log.highWatermark()).isZero();
    }

    /** Appends {@code value} as leader at epoch 3 and waits for it as an acks=all write does: the answer. */
    private java.util.concurrent.CompletableFuture<Long> appendAcksAll(String value) {
        Partition.LeaderAppend append = partition.appendAsLeader(batch(value), 3, true);
        return partition.awaitCommitted(append.result().lastOffset() + 1, append.leaderEpoch());
    }

    /** Leader 1 at epoch 3, ISR [1, 2], offsets 0–1 held by all: replica 3's fetch qualifies it to join. */
    private void replica3CatchesUp() {
        partition.becomeLeader(new PartitionState(0, List.of(1, 2, 3), 1, List.of(1, 2), 3, 5), 0);
        partition.appendAsLeader(batch("a", "b"), 3, false);
        fetch(2, incarnation(2), 2, 3, 50);
        fetch(3, incarnation(3), 2, 3, 50);
    }

    /** As {@link #replica3CatchesUp}, and the round proposes replica 3 into the ISR. */
    private void proposeThatReplica3Joins() {
        replica3CatchesUp();
        Partition.IsrProposal proposal = partition.proposedIsr(60, LAG_MAX, live);
        assertThat(isr(proposal)).containsExactly(1, 2, 3);
        assertThat(proposal.joinerIncarnations()).as("the process whose fetch qualified replica 3")
                .isEqualTo(Map.of(3, incarnation(3)));
    }

    @Test
    void deleteRecordsIsConfirmedOnceEveryIsrMemberReportsTheNewLogStart() {
        partition.becomeLeader(new PartitionState(0, List.of(1, 2, 3), 1, List.of(1, 2), 3, 5), 0);
        partition.appendAsLeader(batch("a", "b", "c", "d"), 3, false);
        partition.recordFollowerFetch(2, incarnation(2), 4, 0, 3, 10, live);
        partition.recordFollowerFetch(3, incarnation(3), 1, 0, 3, 10, live);

        log.deleteRecordsBefore(3);
        var confirmed = partition.awaitLowWatermark(3);

        assertThat(partition.lowWatermark()).as("replica 2 still starts at 0").isZero();
        assertThat(confirmed).isNotDone();
        partition.recordFollowerFetch(2, incarnation(2), 4, 3, 3, 20, live);
        assertThat(confirmed).as("replica 3 is outside the ISR").isCompletedWithValue(3L);
    }

    /** The proposal fails with {@code error}; offsets 2–3 are written and replica 2 (not 3) fetches them. */
    private void failTheProposalAndWriteMore(ErrorCode error) {
        partition.isrChangeFailed(error);
        partition.appendAsLeader(batch("c", "d"), 3, false);
        fetch(2, incarnation(2), 4, 3, 70);
    }

    private void fetch(int follower, String incarnation, long fetchOffset, int fetchEpoch, long now) {
        partition.recordFollowerFetch(follower, incarnation, fetchOffset, 0, fetchEpoch, now, live);
    }

    private static ByteBuffer batch(String... values) {
        RecordBatchBuilder builder = RecordBatchBuilder.of(CompressionType.NONE);
        for (String value : values) {
            builder.append(1_000, null, bytes(value));
        }
        return builder.build();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static List<Integer> isr(Partition.IsrProposal proposal) {
        return proposal == null ? null : proposal.isr();
    }

    /** The metadata shows {@code nodes} alive, each under its first incarnation ({@link #incarnation}). */
    private static Partition.LiveReplicas alive(Integer... nodes) {
        Set<Integer> live = Set.of(nodes);
        return (node, incarnation) -> live.contains(node) && incarnation(node).equals(incarnation);
    }

    private static String incarnation(int node) {
        return "node-" + node + "-first";
    }

    private static java.util.function.Consumer<Throwable> errorCode(ErrorCode code) {
        return e -> assertThat(((SluiceException) e).errorCode()).isEqualTo(code);
    }
}

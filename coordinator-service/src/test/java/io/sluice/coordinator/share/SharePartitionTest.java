package io.sluice.coordinator.share;

import static io.sluice.internal.share.AcknowledgeType.ACCEPT;
import static io.sluice.internal.share.AcknowledgeType.REJECT;
import static io.sluice.internal.share.AcknowledgeType.RELEASE;
import static io.sluice.internal.share.AcknowledgeType.RENEW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.coordinator.share.AckResult.RecordResult;
import io.sluice.internal.share.AcknowledgeType;
import io.sluice.internal.share.RecordState;
import io.sluice.internal.share.ShareError;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** One share-partition's rules, call by call: acquisition, the four acknowledgements, expiry, the start offset. */
class SharePartitionTest {

    private static final long LOCK_MS = 30_000;
    private static final ShareLimits LIMITS = new ShareLimits(2_000, 5, Duration.ofMillis(LOCK_MS));
    private static final String A = "worker-a";
    private static final String B = "worker-b";

    private long now = 1_000_000;

    private static SharePartition partition() {
        return SharePartition.startingAt(0, LIMITS);
    }

    private static List<Long> offsets(List<AcquiredRecord> records) {
        return records.stream().map(AcquiredRecord::offset).toList();
    }

    private static long idAt(List<AcquiredRecord> records, long offset) {
        return records.stream().filter(r -> r.offset() == offset).findFirst().orElseThrow().acquisitionId();
    }

    private AckResult ack(SharePartition partition, String member, Acknowledgement acknowledgement) {
        return partition.acknowledge(member, List.of(acknowledgement), now).getFirst();
    }

    private static ShareError recordError(AckResult result) {
        assertThat(result.error()).as("item error").isNull();
        assertThat(result.records()).hasSize(1);
        return result.records().getFirst().error();
    }

    private static ErrorCode code(Runnable call) {
        try {
            call.run();
        } catch (SluiceException e) {
            return e.errorCode();
        }
        throw new AssertionError("accepted");
    }

    // --- held

    @Test
    void heldByAnswersTheMembersLiveLocksOnlyAndChangesNothing() {
        SharePartition partition = partition();
        List<AcquiredRecord> mine = partition.acquire(A, 3, LogSlice.dense(0, 3), now);
        partition.acquire(B, 1, LogSlice.dense(3, 4), now);
        ack(partition, A, Acknowledgement.of(idAt(mine, 0), ACCEPT));
        ack(partition, A, Acknowledgement.of(idAt(mine, 1), RELEASE));

        assertThat(partition.heldBy(A, now)).extracting(InFlightRecord::offset).containsExactly(2L);
        assertThat(partition.heldBy(B, now)).extracting(InFlightRecord::offset).containsExactly(3L);
        String before = SharePartitionJson.write(partition);
        assertThat(partition.heldBy(A, now + LOCK_MS)).as("a lock at its deadline is over").isEmpty();
        assertThat(SharePartitionJson.write(partition)).as("a read ends no lock").isEqualTo(before);
    }

    // --- acquire

    @Test
    void acquireLocksNewRecordsForTheMemberUntilNowPlusTheLockDuration() {
        SharePartition partition = partition();

        List<AcquiredRecord> taken = partition.acquire(A, 10, LogSlice.dense(0, 3), now);

        assertThat(taken).containsExactly(new AcquiredRecord(0, 0, 1, now + LOCK_MS),
                new AcquiredRecord(1, 1, 1, now + LOCK_MS), new AcquiredRecord(2, 2, 1, now + LOCK_MS));
        assertThat(partition.inFlightRecords()).allSatisfy(r -> {
            assertThat(r.state()).isEqualTo(RecordState.ACQUIRED);
            assertThat(r.holder()).isEqualTo(A);
        });
        assertThat(partition.startOffset()).isZero();
        assertThat(partition.endOffset()).isEqualTo(3);
        assertThat(partition.nextLockDeadlineMs()).isEqualTo(now + LOCK_MS);
    }

    @Test
    void acquireTakesAtMostMaxRecordsAndTheEndOffsetStopsAfterTheLastTaken() {
        SharePartition partition = partition();

        assertThat(offsets(partition.acquire(A, 2, LogSlice.dense(0, 5), now))).containsExactly(0L, 1L);

        assertThat(partition.endOffset()).isEqualTo(2);
        assertThat(offsets(partition.acquire(B, 10, LogSlice.dense(0, 5), now))).containsExactly(2L, 3L, 4L);
    }

    @Test
    void anAcquiredRecordIsNotGivenToAnotherMemberWhileItsLockHolds() {
        SharePartition partition = partition();
        partition.acquire(A, 10, LogSlice.dense(0, 3), now);

        now += LOCK_MS - 1;
        partition.expire(now);

        assertThat(partition.acquire(B, 10, LogSlice.empty(3), now)).isEmpty();
    }

    @Test
    void acquireRedeliversAvailableRecordsBeforeNewOnesWithTheNextDeliveryCountAndANewId() {
        SharePartition partition = partition();
        List<AcquiredRecord> first = partition.acquire(A, 3, LogSlice.dense(0, 3), now);
        ack(partition, A, Acknowledgement.of(idAt(first, 1), RELEASE));

        List<AcquiredRecord> again = partition.acquire(B, 2, LogSlice.dense(3, 6), now);

        assertThat(again).containsExactly(new AcquiredRecord(1, 3, 2, now + LOCK_MS),
                new AcquiredRecord(3, 4, 1, now + LOCK_MS));
    }

    @Test
    void acquireTakesNoNewRecordWhileTheWindowIsFullButStillRedeliversAvailableOnes() {
        SharePartition partition = SharePartition.startingAt(0, new ShareLimits(3, 5, Duration.ofMillis(LOCK_MS)));
        List<AcquiredRecord> taken = partition.acquire(A, 10, LogSlice.dense(0, 10), now);
        assertThat(offsets(taken)).containsExactly(0L, 1L, 2L);
        assertThat(partition.endOffset()).isEqualTo(3);
        assertThat(partition.windowFull()).isTrue();

        ack(partition, A, Acknowledgement.of(idAt(taken, 2), RELEASE));
        assertThat(offsets(partition.acquire(B, 10, LogSlice.dense(3, 10), now))).containsExactly(2L);
        assertThat(partition.windowFull()).as("a release leaves the record in the window").isTrue();

        ack(partition, A, Acknowledgement.of(idAt(taken, 0), ACCEPT));
        assertThat(partition.windowFull()).as("the accept moved the start offset").isFalse();
        assertThat(offsets(partition.acquire(B, 10, LogSlice.dense(3, 10), now))).containsExactly(3L);
        assertThat(partition.windowFull()).isTrue();
    }

    @Test
    void acquireStepsOverOffsetsTheLogHasNoRecordAt() {
        SharePartition partition = partition();

        List<AcquiredRecord> taken = partition.acquire(A, 10, LogSlice.of(0, 10, 2, 5, 9), now);

        assertThat(offsets(taken)).containsExactly(2L, 5L, 9L);
        assertThat(partition.endOffset()).isEqualTo(10);
        assertThat(partition.startOffset()).isEqualTo(2);
        assertThat(partition.acknowledge(A, List.of(Acknowledgement.range(2, 9, ACCEPT)), now).getFirst().records())
                .extracting(RecordResult::offset).containsExactly(2L, 5L, 9L);
        assertThat(partition.startOffset()).isEqualTo(10);
        assertThat(partition.inFlightRecords()).isEmpty();
    }

    @Test
    void aSliceOfGapsOnlyMovesTheEndOffsetToItsEnd() {
        SharePartition partition = partition();

        assertThat(partition.acquire(A, 10, LogSlice.of(0, 7), now)).isEmpty();

        assertThat(partition.startOffset()).isEqualTo(7);
        assertThat(partition.endOffset()).isEqualTo(7);
    }

    @Test
    void aSliceStartingBelowTheEndOffsetAddsOnlyTheRecordsFromTheEndOffset() {
        SharePartition partition = partition();
        partition.acquire(A, 2, LogSlice.dense(0, 5), now);

        assertThat(offsets(partition.acquire(B, 10, LogSlice.dense(0, 4), now))).containsExactly(2L, 3L);
        assertThat(partition.endOffset()).isEqualTo(4);
    }

    @Test
    void aSliceStartingAboveTheEndOffsetIsRefusedAndChangesNothing() {
        SharePartition partition = partition();
        partition.acquire(A, 2, LogSlice.dense(0, 2), now);
        String before = SharePartitionJson.write(partition);

        assertThat(code(() -> partition.acquire(A, 2, LogSlice.dense(3, 5), now))).isEqualTo(ErrorCode.INVALID_REQUEST);
        assertThat(SharePartitionJson.write(partition)).isEqualTo(before);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1})
    void acquireOfNoRecordsIsRefused(int maxRecords) {
        assertThat(code(() -> partition().acquire(A, maxRecords, LogSlice.dense(0, 2), now)))
                .isEqualTo(ErrorCode.INVALID_REQUEST);
    }

    @Test
    void acquireByABlankMemberIsRefused() {
        assertThat(code(() -> partition().acquire(" ", 1, LogSlice.dense(0, 2), now)))
                .isEqualTo(ErrorCode.INVALID_REQUEST);
        assertThat(code(() -> partition().acquire(null, 1, LogSlice.dense(0, 2), now)))
                .isEqualTo(ErrorCode.INVALID_REQUEST);
    }

    @Test
    void aLogSliceMustListRisingOffsetsWithinItsRange() {
        assertThat(code(() -> LogSlice.of(5, 4))).isEqualTo(ErrorCode.INVALID_REQUEST);
        assertThat(code(() -> LogSlice.of(-1, 4))).isEqualTo(ErrorCode.INVALID_REQUEST);
        assertThat(code(() -> LogSlice.of(0, 4, 2, 1))).isEqualTo(ErrorCode.INVALID_REQUEST);
        assertThat(code(() -> LogSlice.of(0, 4, 1, 1))).isEqualTo(ErrorCode.INVALID_REQUEST);
        assertThat(code(() -> LogSlice.of(0, 4, 4))).isEqualTo(ErrorCode.INVALID_REQUEST);
        assertThat(code(() -> LogSlice.of(2, 4, 1))).isEqualTo(ErrorCode.INVALID_REQUEST);
    }

    // --- the delivery limit

    @Test
    void aRecordReleasedAtTheDeliveryLimitIsArchivedNotDeliveredAgain() {
        SharePartition partition = partition();
        LogSlice log = LogSlice.dense(0, 1);
        for (int delivery = 1; delivery <= 5; delivery++) {
            List<AcquiredRecord> taken = partition.acquire(A, 1, log, now);
            assertThat(taken).singleElement().extracting(AcquiredRecord::deliveryCount).isEqualTo(delivery);
            RecordResult result = ack(partition, A, Acknowledgement.of(taken.getFirst().acquisitionId(), RELEASE))
                    .records().getFirst();
            assertThat(result.state()).isEqualTo(delivery < 5 ? RecordState.AVAILABLE : RecordState.ARCHIVED);
        }

        assertThat(partition.acquire(A, 1, log, now)).isEmpty();
        assertThat(partition.startOffset()).isEqualTo(1);
    }

    @Test
    void aLockExpiringAtTheDeliveryLimitArchivesItsRecord() {
        SharePartition partition = SharePartition.startingAt(0, new ShareLimits(10, 2, Duration.ofMillis(LOCK_MS)));
        LogSlice log = LogSlice.dense(0, 1);
        partition.acquire(A, 1, log, now);
        now += LOCK_MS;
        assertThat(partition.expire(now)).singleElement().extracting(ExpiredLock::state)
                .isEqualTo(RecordState.AVAILABLE);
        partition.acquire(B, 1, log, now);
        now += LOCK_MS;

        assertThat(partition.expire(now)).containsExactly(new ExpiredLock(0, B, 1, RecordState.ARCHIVED));
        assertThat(partition.acquire(A, 1, log, now)).isEmpty();
        assertThat(partition.startOffset()).isEqualTo(1);
    }

    @Test
    void anAvailableRecordAtALoweredDeliveryLimitIsArchivedInsteadOfDelivered() {
        SharePartition partition = partition();
        LogSlice log = LogSlice.dense(0, 2);
        for (int i = 0; i < 3; i++) {
            List<AcquiredRecord> taken = partition.acquire(A, 1, log, now);
            ack(partition, A, Acknowledgement.of(taken.getFirst().acquisitionId(), RELEASE));
        }
        SharePartition lowered = SharePartitionJson.read(SharePartitionJson.write(partition),
                new ShareLimits(2_000, 3, Duration.ofMillis(LOCK_MS)));

        assertThat(offsets(lowered.acquire(A, 5, log, now))).containsExactly(1L);
        assertThat(lowered.startOffset()).isEqualTo(1);
    }

    // --- acknowledge: the four types

    @Test
    void acceptAcknowledgesAndTheStartOffsetMovesPastTheLeadingRunOfDoneRecords() {
        SharePartition partition = partition();
        List<AcquiredRecord> taken = partition.acquire(A, 4, LogSlice.dense(0, 4), now);

        assertThat(ack(partition, A, Acknowledgement.of(idAt(taken, 1), ACCEPT)).records())
                .containsExactly(new RecordResult(1, null, RecordState.ACKNOWLEDGED, now + LOCK_MS));
        assertThat(partition.startOffset()).isZero();

        ack(partition, A, Acknowledgement.of(idAt(taken, 0), ACCEPT));
        assertThat(partition.startOffset()).isEqualTo(2);
        assertThat(partition.inFlightRecords()).extracting(InFlightRecord::offset).containsExactly(2L, 3L);
    }

    @Test
    void rejectArchivesTheRecordForGood() {
        SharePartition partition = partition();
        List<AcquiredRecord> taken = partition.acquire(A, 2, LogSlice.dense(0, 2), now);

        assertThat(recordError(ack(partition, A, Acknowledgement.of(idAt(taken, 0), REJECT)))).isNull();

        assertThat(partition.startOffset()).isEqualTo(1);
        ack(partition, A, Acknowledgement.of(idAt(taken, 1), RELEASE));
        assertThat(offsets(partition.acquire(B, 5, LogSlice.dense(0, 2), now))).containsExactly(1L);
    }

    @Test
    void renewExtendsTheLockFromNowWithoutADelivery() {
        SharePartition partition = partition();
        long id = partition.acquire(A, 1, LogSlice.dense(0, 1), now).getFirst().acquisitionId();
        now += LOCK_MS - 1;

        assertThat(ack(partition, A, Acknowledgement.of(id, RENEW)).records())
                .containsExactly(new RecordResult(0, null, RecordState.ACQUIRED, now + LOCK_MS));

        now += LOCK_MS - 1;
        assertThat(partition.expire(now)).isEmpty();
        assertThat(partition.inFlightRecord(0).deliveryCount()).isEqualTo(1);
        assertThat(recordError(ack(partition, A, Acknowledgement.of(id, ACCEPT)))).isNull();
    }

    @Test
    void renewOfARecordNotAcquiredIsRefused() {
        SharePartition partition = partition();
        List<AcquiredRecord> taken = partition.acquire(A, 2, LogSlice.dense(0, 2), now);
        ack(partition, A, Acknowledgement.of(idAt(taken, 1), RELEASE));

        assertThat(recordError(ack(partition, A, Acknowledgement.range(1, 1, RENEW))))
                .isEqualTo(ShareError.NOT_ACQUIRED);
        assertThat(recordError(ack(partition, A, Acknowledgement.of(idAt(taken, 1), RENEW))))
                .isEqualTo(ShareError.NOT_ACQUIRED);
        assertThat(partition.inFlightRecord(1).state()).isEqualTo(RecordState.AVAILABLE);
    }

    @Test
    void aRangeAcknowledgesEveryRecordOfTheMemberInIt() {
        SharePartition partition = partition();
        partition.acquire(A, 5, LogSlice.dense(0, 5), now);

        AckResult result = ack(partition, A, Acknowledgement.range(1, 3, REJECT));

        assertThat(result.succeeded()).isTrue();
        assertThat(result.records()).extracting(RecordResult::offset).containsExactly(1L, 2L, 3L);
        assertThat(partition.inFlightRecords()).extracting(InFlightRecord::state).containsExactly(
                RecordState.ACQUIRED, RecordState.ARCHIVED, RecordState.ARCHIVED, RecordState.ARCHIVED,
                RecordState.ACQUIRED);
    }

    // --- acknowledge: errors, each changing nothing for its record

    @ParameterizedTest
    @ValueSource(longs = {-1, 3, 1_000})
    void anAcquisitionIdNeverHandedOutIsUnknown(long id) {
        SharePartition partition = partition();
        partition.acquire(A, 3, LogSlice.dense(0, 3), now);

        assertThat(ack(partition, A, Acknowledgement.of(id, ACCEPT)))
                .isEqualTo(AckResult.refused(Acknowledgement.of(id, ACCEPT), ShareError.UNKNOWN_ACQUISITION_ID));
        assertThat(partition.acquiredCount()).isEqualTo(3);
    }

    @Test
    void anAcquisitionOfAnotherMemberIsRefusedAndTheRecordStaysItsHolders() {
        SharePartition partition = partition();
        long id = partition.acquire(A, 1, LogSlice.dense(0, 1), now).getFirst().acquisitionId();

        assertThat(recordError(ack(partition, B, Acknowledgement.of(id, ACCEPT)))).isEqualTo(ShareError.NOT_HOLDER);
        assertThat(recordError(ack(partition, B, Acknowledgement.range(0, 0, REJECT))))
                .isEqualTo(ShareError.NOT_HOLDER);

        assertThat(partition.inFlightRecord(0).holder()).isEqualTo(A);
        assertThat(recordError(ack(partition, A, Acknowledgement.of(id, ACCEPT)))).isNull();
    }

    @Test
    void anAcknowledgementAtOrAfterTheLockDeadlineIsRefusedEvenBeforeExpiryRuns() {
        SharePartition partition = partition();
        long id = partition.acquire(A, 1, LogSlice.dense(0, 1), now).getFirst().acquisitionId();
        now += LOCK_MS;

        for (AcknowledgeType type : AcknowledgeType.values()) {
            assertThat(recordError(ack(partition, A, Acknowledgement.of(id, type)))).as(type.name())
                    .isEqualTo(ShareError.LOCK_EXPIRED);
        }
        assertThat(partition.inFlightRecord(0).state()).isEqualTo(RecordState.ACQUIRED);
        assertThat(partition.expire(now)).singleElement().extracting(ExpiredLock::state)
                .isEqualTo(RecordState.AVAILABLE);
    }

    @Test
    void anAcknowledgementAfterTheLockExpiredIsRefusedAndTheRecordGoesToTheNextTaker() {
        SharePartition partition = partition();
        long id = partition.acquire(A, 1, LogSlice.dense(0, 1), now).getFirst().acquisitionId();
        now += LOCK_MS;
        partition.expire(now);

        assertThat(recordError(ack(partition, A, Acknowledgement.of(id, ACCEPT)))).isEqualTo(ShareError.LOCK_EXPIRED);
        assertThat(recordError(ack(partition, A, Acknowledgement.range(0, 0, ACCEPT))))
                .isEqualTo(ShareError.LOCK_EXPIRED);

        List<AcquiredRecord> retaken = partition.acquire(B, 1, LogSlice.empty(1), now);
        assertThat(retaken).containsExactly(new AcquiredRecord(0, id + 1, 2, now + LOCK_MS));
        assertThat(ack(partition, A, Acknowledgement.of(id, ACCEPT)).error()).isEqualTo(ShareError.ACQUISITION_ENDED);
        assertThat(recordError(ack(partition, A, Acknowledgement.range(0, 0, ACCEPT))))
                .isEqualTo(ShareError.NOT_HOLDER);
        assertThat(partition.inFlightRecord(0).holder()).isEqualTo(B);
    }

    @Test
    void aRecordIsAcceptedOnceAndASecondAcknowledgementIsRefused() {
        SharePartition partition = partition();
        List<AcquiredRecord> taken = partition.acquire(A, 2, LogSlice.dense(0, 2), now);
        ack(partition, A, Acknowledgement.of(idAt(taken, 1), ACCEPT));

        assertThat(recordError(ack(partition, A, Acknowledgement.of(idAt(taken, 1), ACCEPT))))
                .isEqualTo(ShareError.NOT_ACQUIRED);
        assertThat(recordError(ack(partition, A, Acknowledgement.of(idAt(taken, 1), REJECT))))
                .isEqualTo(ShareError.NOT_ACQUIRED);

        ack(partition, A, Acknowledgement.of(idAt(taken, 0), ACCEPT));
        assertThat(ack(partition, A, Acknowledgement.of(idAt(taken, 1), ACCEPT)).error())
                .isEqualTo(ShareError.ACQUISITION_ENDED);
        assertThat(partition.inFlightRecords()).isEmpty();
    }

    @Test
    void aMalformedRangeIsRefusedWhole() {
        SharePartition partition = partition();
        partition.acquire(A, 5, LogSlice.dense(0, 5), now);

        assertThat(ack(partition, A, Acknowledgement.range(3, 2, ACCEPT)).error()).isEqualTo(ShareError.INVALID_RANGE);
        assertThat(ack(partition, A, Acknowledgement.range(-1, 2, ACCEPT)).error()).isEqualTo(ShareError.INVALID_RANGE);
        assertThat(partition.acquiredCount()).isEqualTo(5);
    }

    @Test
    void aRangeReachingOutOfTheWindowIsRefusedWhole() {
        SharePartition partition = partition();
        List<AcquiredRecord> taken = partition.acquire(A, 5, LogSlice.dense(0, 5), now);
        ack(partition, A, Acknowledgement.of(idAt(taken, 0), ACCEPT));

        assertThat(ack(partition, A, Acknowledgement.range(0, 2, ACCEPT)).error()).isEqualTo(ShareError.OUTSIDE_WINDOW);
        assertThat(ack(partition, A, Acknowledgement.range(3, 5, ACCEPT)).error()).isEqualTo(ShareError.OUTSIDE_WINDOW);
        assertThat(partition.acquiredCount()).isEqualTo(4);
    }

    @Test
    void itemsNamingTheSameRecordAreBothRefusedAndTheOthersApplied() {
        SharePartition partition = partition();
        List<AcquiredRecord> taken = partition.acquire(A, 10, LogSlice.dense(0, 10), now);

        List<AckResult> results = partition.acknowledge(A, List.of(
                Acknowledgement.range(0, 3, ACCEPT),
                Acknowledgement.range(3, 5, REJECT),
                Acknowledgement.of(idAt(taken, 7), ACCEPT),
                Acknowledgement.range(6, 8, RELEASE),
                Acknowledgement.of(idAt(taken, 9), ACCEPT),
                Acknowledgement.of(idAt(taken, 9), REJECT)), now);

        assertThat(results).extracting(AckResult::error).containsOnly(ShareError.OVERLAPPING_ACKNOWLEDGEMENT);
        assertThat(partition.acquiredCount()).isEqualTo(10);

        List<AckResult> apart = partition.acknowledge(A, List.of(
                Acknowledgement.range(0, 1, ACCEPT), Acknowledgement.range(1, 2, ACCEPT),
                Acknowledgement.range(4, 4, ACCEPT)), now);
        assertThat(apart).extracting(AckResult::error).containsExactly(ShareError.OVERLAPPING_ACKNOWLEDGEMENT,
                ShareError.OVERLAPPING_ACKNOWLEDGEMENT, null);
        assertThat(partition.inFlightRecord(4).state()).isEqualTo(RecordState.ACKNOWLEDGED);
    }

    @Test
    void aRangeOverRecordsOfTwoMembersAcknowledgesOnlyTheCallersOwn() {
        SharePartition partition = partition();
        partition.acquire(A, 2, LogSlice.dense(0, 4), now);
        partition.acquire(B, 2, LogSlice.dense(0, 4), now);

        AckResult result = ack(partition, A, Acknowledgement.range(0, 3, ACCEPT));

        assertThat(result.succeeded()).isFalse();
        assertThat(result.records()).extracting(RecordResult::error).containsExactly(null, null,
                ShareError.NOT_HOLDER, ShareError.NOT_HOLDER);
        assertThat(partition.startOffset()).isEqualTo(2);
        assertThat(partition.inFlightRecords()).extracting(InFlightRecord::holder).containsExactly(B, B);
    }

    @Test
    void anAcknowledgementListWithNullsIsRefused() {
        SharePartition partition = partition();
        assertThat(code(() -> partition.acknowledge(A, null, now))).isEqualTo(ErrorCode.INVALID_REQUEST);
        assertThat(code(() -> partition.acknowledge(A, java.util.Arrays.asList((Acknowledgement) null), now)))
                .isEqualTo(ErrorCode.INVALID_REQUEST);
        assertThat(code(() -> Acknowledgement.of(1, null))).isEqualTo(ErrorCode.INVALID_REQUEST);
    }

    // --- expiry

    @Test
    void expireEndsOnlyLocksAtOrPastTheirDeadline() {
        SharePartition partition = partition();
        partition.acquire(A, 1, LogSlice.dense(0, 1), now);
        now += 10;
        partition.acquire(B, 1, LogSlice.dense(1, 2), now);

        assertThat(partition.expire(now + LOCK_MS - 11)).isEmpty();
        assertThat(partition.expire(now + LOCK_MS - 10)).containsExactly(new ExpiredLock(0, A, 0, RecordState.AVAILABLE));
        assertThat(partition.nextLockDeadlineMs()).isEqualTo(now + LOCK_MS);
        assertThat(partition.expire(now + LOCK_MS)).containsExactly(new ExpiredLock(1, B, 1, RecordState.AVAILABLE));
        assertThat(partition.nextLockDeadlineMs()).isEqualTo(-1);
        assertThat(offsets(partition.acquire(B, 5, LogSlice.empty(2), now + LOCK_MS))).containsExactly(0L, 1L);
    }

    // --- reset

    @Test
    void resetIsRefusedWhileARecordIsAcquiredAndChangesNothing() {
        SharePartition partition = partition();
        partition.acquire(A, 1, LogSlice.dense(0, 3), now);
        String before = SharePartitionJson.write(partition);

        assertThat(code(() -> partition.reset(ResetPosition.LATEST, 0, 3))).isEqualTo(ErrorCode.NON_EMPTY_GROUP);
        assertThat(SharePartitionJson.write(partition)).isEqualTo(before);
    }

    @Test
    void resetMovesTheStartOffsetAndForgetsTheWindowButNotTheAcquisitionIds() {
        SharePartition partition = partition();
        List<AcquiredRecord> taken = partition.acquire(A, 3, LogSlice.dense(0, 3), now);
        partition.acknowledge(A, List.of(Acknowledgement.range(0, 0, ACCEPT), Acknowledgement.range(1, 2, RELEASE)),
                now);

        partition.reset(ResetPosition.LATEST, 0, 10);
        assertThat(partition.startOffset()).isEqualTo(10);
        assertThat(partition.endOffset()).isEqualTo(10);
        assertThat(partition.inFlightRecords()).isEmpty();

        partition.reset(ResetPosition.EARLIEST, 0, 10);
        assertThat(partition.acquire(B, 1, LogSlice.dense(0, 10), now))
                .containsExactly(new AcquiredRecord(0, 3, 1, now + LOCK_MS));
        assertThat(ack(partition, A, Acknowledgement.of(idAt(taken, 1), ACCEPT)).error())
                .isEqualTo(ShareError.ACQUISITION_ENDED);

        ack(partition, B, Acknowledgement.of(3, RELEASE));
        partition.reset(ResetPosition.offset(4), 0, 10);
        assertThat(partition.startOffset()).isEqualTo(4);
        assertThat(offsets(partition.acquire(B, 1, LogSlice.dense(4, 10), now))).containsExactly(4L);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 11, -1})
    void resetToAnOffsetOutsideTheLogIsRefused(long offset) {
        SharePartition partition = SharePartition.startingAt(5, LIMITS);

        assertThat(code(() -> partition.reset(ResetPosition.offset(offset), 2, 10))).isEqualTo(ErrorCode.INVALID_OFFSET);
        assertThat(partition.startOffset()).isEqualTo(5);
    }

    @Test
    void aShareCannotStartAtANegativeOffset() {
        assertThat(code(() -> SharePartition.startingAt(-1, LIMITS))).isEqualTo(ErrorCode.INVALID_OFFSET);
    }

    @ParameterizedTest
    @EnumSource(value = Limit.class)
    void limitsBelowOneAreRefused(Limit limit) {
        assertThatThrownBy(limit::build).isInstanceOf(SluiceException.class)
                .extracting(e -> ((SluiceException) e).errorCode()).isEqualTo(ErrorCode.INVALID_CONFIG);
    }

    enum Limit {
        IN_FLIGHT, DELIVERIES, LOCK;

        void build() {
            switch (this) {
                case IN_FLIGHT -> new ShareLimits(0, 5, Duration.ofSeconds(1));
                case DELIVERIES -> new ShareLimits(10, 0, Duration.ofSeconds(1));
                case LOCK -> new ShareLimits(10, 5, Duration.ZERO);
            }
        }
    }

    /** A departed member's locks end at once: its records are available to the next taker, others' stay locked. */
    @Test
    void releaseHeldByEndsOnlyThatMembersLocks() {
        SharePartition partition = partition();
        partition.acquire(A, 2, LogSlice.dense(0, 4), now);
        partition.acquire(B, 2, LogSlice.dense(0, 4), now);

        List<ExpiredLock> released = partition.releaseHeldBy(A);

        assertThat(released).extracting(ExpiredLock::offset).containsExactly(0L, 1L);
        assertThat(partition.inFlightRecord(0).state()).isEqualTo(RecordState.AVAILABLE);
        assertThat(partition.inFlightRecord(2).holder()).isEqualTo(B);
        List<AcquiredRecord> again = partition.acquire(B, 10, LogSlice.empty(4), now);
        assertThat(offsets(again)).containsExactly(0L, 1L);
        assertThat(again).allSatisfy(r -> assertThat(r.deliveryCount()).isEqualTo(2));
        assertThat(partition.releaseHeldBy(A)).as("nothing left to release").isEmpty();
    }
}

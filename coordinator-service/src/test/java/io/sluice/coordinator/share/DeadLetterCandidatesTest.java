package io.sluice.coordinator.share;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.internal.share.AcknowledgeType;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which records a share-partition gives up on, and why (KIP-1191's dead-letter candidates): rejected ones, and those
 * whose lock ends at the delivery limit by release, expiry or their holder's departure; never accepted ones, nor
 * records released or expired below the limit, nor those a reset skips.
 */
class DeadLetterCandidatesTest {

    private static final long NOW = 1_000_000;
    private static final long LOCK_MS = 1_000;
    private static final String A = "worker-a";

    private static SharePartition partition(int deliveryLimit) {
        return SharePartition.startingAt(0, new ShareLimits(100, deliveryLimit, Duration.ofMillis(LOCK_MS)));
    }

    @Test
    void aRejectedRecordIsGivenUpOnAsAClientReject() {
        SharePartition partition = partition(5);
        partition.acquire(A, 3, LogSlice.dense(0, 3), NOW);

        partition.acknowledge(A, List.of(Acknowledgement.range(0, 0, AcknowledgeType.ACCEPT),
                Acknowledgement.range(1, 2, AcknowledgeType.REJECT)), NOW);

        assertThat(partition.takeArchived()).containsExactly(
                new ArchivedRecord(1, 1, DeadLetterCause.CLIENT_REJECT),
                new ArchivedRecord(2, 1, DeadLetterCause.CLIENT_REJECT));
        assertThat(partition.takeArchived()).as("taken once").isEmpty();
    }

    @Test
    void aReleaseAtTheDeliveryLimitIsGivenUpOnButOneBelowItIsNot() {
        SharePartition partition = partition(2);
        partition.acquire(A, 1, LogSlice.dense(0, 1), NOW);
        partition.acknowledge(A, List.of(Acknowledgement.range(0, 0, AcknowledgeType.RELEASE)), NOW);
        assertThat(partition.takeArchived()).isEmpty();

        partition.acquire(A, 1, LogSlice.dense(1, 1), NOW);
        partition.acknowledge(A, List.of(Acknowledgement.range(0, 0, AcknowledgeType.RELEASE)), NOW);

        assertThat(partition.takeArchived()).containsExactly(
                new ArchivedRecord(0, 2, DeadLetterCause.DELIVERY_COUNT_EXCEEDED));
    }

    @Test
    void anExpiredLockOrADepartureAtTheLimitIsGivenUpOn() {
        SharePartition partition = partition(1);
        partition.acquire(A, 1, LogSlice.dense(0, 2), NOW);
        partition.acquire("worker-b", 1, LogSlice.dense(1, 2), NOW);

        partition.expire(NOW + LOCK_MS);

        assertThat(partition.takeArchived()).containsExactlyInAnyOrder(
                new ArchivedRecord(0, 1, DeadLetterCause.DELIVERY_COUNT_EXCEEDED),
                new ArchivedRecord(1, 1, DeadLetterCause.DELIVERY_COUNT_EXCEEDED));

        SharePartition departed = partition(1);
        departed.acquire(A, 1, LogSlice.dense(0, 1), NOW);
        departed.releaseHeldBy(A);
        assertThat(departed.takeArchived()).containsExactly(
                new ArchivedRecord(0, 1, DeadLetterCause.DELIVERY_COUNT_EXCEEDED));
    }

    @Test
    void acceptsRenewsAndResetsGiveUpOnNothing() {
        SharePartition partition = partition(1);
        partition.acquire(A, 2, LogSlice.dense(0, 2), NOW);
        partition.acknowledge(A, List.of(Acknowledgement.range(0, 0, AcknowledgeType.ACCEPT),
                Acknowledgement.range(1, 1, AcknowledgeType.RENEW)), NOW);
        partition.acknowledge(A, List.of(Acknowledgement.range(1, 1, AcknowledgeType.ACCEPT)), NOW);
        partition.reset(new ResetPosition.AtOffset(0), 0, 10);

        assertThat(partition.takeArchived()).isEmpty();
    }

    @Test
    void whatWasGivenUpOnIsNotPartOfTheStoredState() {
        SharePartition partition = partition(5);
        partition.acquire(A, 2, LogSlice.dense(0, 2), NOW);
        partition.acknowledge(A, List.of(Acknowledgement.range(0, 1, AcknowledgeType.REJECT)), NOW);

        SharePartition read = SharePartitionJson.read(SharePartitionJson.write(partition), ShareLimits.DEFAULTS);

        assertThat(read.takeArchived()).isEmpty();
        assertThat(partition.takeArchived()).hasSize(2);
    }
}

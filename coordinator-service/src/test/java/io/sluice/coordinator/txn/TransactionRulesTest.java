package io.sluice.coordinator.txn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import io.sluice.protocol.TopicPartition;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The transaction coordinator's state machine, call by call, as Kafka's transactional producers drive it. */
class TransactionRulesTest {

    private static final String ID = "copier-1";
    private static final int MAX_TIMEOUT = 900_000;
    private static final TopicPartition A = new TopicPartition("in", 0);
    private static final TopicPartition B = new TopicPartition("out", 1);

    private final AtomicLong ids = new AtomicLong(100);
    private long now = 1_000;

    private Transaction init(Transaction current) {
        return TransactionRules.initProducerId(current, ID, 60_000, -1, (short) -1, MAX_TIMEOUT, 3,
                ids::getAndIncrement, now).after();
    }

    /** EndTxn under transaction version 1 (no epoch bump). */
    private static TxnDecision<TransactionRules.ProducerIdAndEpoch> endV1(Transaction current, String transactionalId,
                                                                         long producerId, short epoch, boolean commit,
                                                                         int coordinatorEpoch, long nowMs) {
        return TransactionRules.endTxn(current, transactionalId, producerId, epoch, commit, false, coordinatorEpoch,
                () -> {
                    throw new AssertionError("version 1 never moves to a new producer id");
                }, nowMs);
    }

    /** EndTxn under transaction version 2 (KIP-890 part 2). */
    private TxnDecision<TransactionRules.ProducerIdAndEpoch> endV2(Transaction current, long producerId, short epoch,
                                                                  boolean commit) {
        return TransactionRules.endTxn(current, ID, producerId, epoch, commit, true, 7, ids::getAndIncrement, now);
    }

    private static ErrorCode code(Runnable call) {
        try {
            call.run();
        } catch (SluiceException e) {
            return e.errorCode();
        }
        throw new AssertionError("accepted");
    }

    @Test
    void aNewTransactionalIdGetsAFreshProducerIdAtEpochZeroAndEachNewInstanceTheNextEpoch() {
        Transaction first = init(null);
        assertThat(first.producerId()).isEqualTo(100);
        assertThat(first.producerEpoch()).isZero();
        assertThat(first.state()).isEqualTo(TxnState.EMPTY);

        Transaction second = init(first);
        assertThat(second.producerId()).isEqualTo(100);
        assertThat(second.producerEpoch()).isEqualTo((short) 1);
    }

    @Test
    void aCommitGoesFromOngoingThroughPrepareToCompleteAndCarriesTheCoordinatorEpoch() {
        Transaction txn = init(null);
        txn = TransactionRules.addPartitions(txn, ID, 100, (short) 0, List.of(A, B), now).after();
        assertThat(txn.state()).isEqualTo(TxnState.ONGOING);
        assertThat(txn.partitions()).containsExactly(A, B);
        assertThat(txn.startedAtMs()).isEqualTo(now);

        var end = endV1(txn, ID, 100, (short) 0, true, 7, now);
        assertThat(end.after().state()).isEqualTo(TxnState.PREPARE_COMMIT);
        assertThat(end.after().coordinatorEpoch()).isEqualTo(7);
        assertThat(end.markersDue()).isTrue();

        assertThat(code(() -> endV1(end.after(), ID, 100, (short) 0, true, 7, now)))
                .as("a retry while markers are written").isEqualTo(ErrorCode.CONCURRENT_TRANSACTIONS);
        assertThat(code(() -> TransactionRules.addPartitions(end.after(), ID, 100, (short) 0, List.of(A), now)))
                .isEqualTo(ErrorCode.CONCURRENT_TRANSACTIONS);

        Transaction done = TransactionRules.complete(end.after(), 100, (short) 0, now).after();
        assertThat(done.state()).isEqualTo(TxnState.COMPLETE_COMMIT);
        assertThat(done.partitions()).isEmpty();
        assertThat(endV1(done, ID, 100, (short) 0, true, 7, now).after())
                .as("a retry after it completed is answered success").isEqualTo(done);
        assertThat(code(() -> endV1(done, ID, 100, (short) 0, false, 7, now)))
                .isEqualTo(ErrorCode.INVALID_TXN_STATE);
    }

    @Test
    void aLeaderMayOpenATransactionAtAPartitionOnlyWhileTheProducersOpenTransactionAddedIt() {
        Transaction empty = init(null);
        Transaction open = TransactionRules.addPartitions(empty, ID, 100, (short) 0, List.of(A), now).after();
        Transaction ending = endV1(open, ID, 100, (short) 0, false, 7, now).after();
        Transaction ended = TransactionRules.complete(ending, 100, (short) 0, now).after();
        Transaction fencing = init(open); // a new instance aborts the open transaction under epoch 1

        assertThat(verified(open, 0, A)).isNull();
        assertThat(verified(open, 0, B)).as("a partition never added").isEqualTo(ErrorCode.INVALID_TXN_STATE);
        assertThat(verified(null, 0, A)).as("no transactional id has the producer")
                .isEqualTo(ErrorCode.INVALID_TXN_STATE);
        assertThat(verified(empty, 0, A)).as("no transaction open").isEqualTo(ErrorCode.INVALID_TXN_STATE);
        assertThat(verified(ending, 0, A)).as("its end decided: a late batch").isEqualTo(ErrorCode.INVALID_TXN_STATE);
        assertThat(verified(ended, 0, A)).as("ended").isEqualTo(ErrorCode.INVALID_TXN_STATE);
        assertThat(verified(fencing, 0, A)).as("an older epoch").isEqualTo(ErrorCode.INVALID_PRODUCER_EPOCH);
        assertThat(verified(open, 1, A)).as("an epoch it never handed out").isEqualTo(ErrorCode.INVALID_TXN_STATE);
    }

    /** The refusal of a leader's verification for producer 100 at {@code epoch}, null when it may append. */
    private static ErrorCode verified(Transaction txn, int epoch, TopicPartition partition) {
        return TransactionRules.verify(txn, 100, (short) epoch, partition).map(SluiceException::errorCode)
                .orElse(null);
    }

    @Test
    void aNewInstanceAbortsTheOpenTransactionUnderTheNextEpochAndRetriesUntilItIsComplete() {
        Transaction txn = TransactionRules.addPartitions(init(null), ID, 100, (short) 0, List.of(A), now).after();

        TxnDecision<TransactionRules.ProducerIdAndEpoch> fence = TransactionRules.initProducerId(txn, ID, 60_000, -1,
                (short) -1, MAX_TIMEOUT, 4, ids::getAndIncrement, now);
        assertThat(fence.failure().errorCode()).isEqualTo(ErrorCode.CONCURRENT_TRANSACTIONS);
        assertThat(fence.after().state()).isEqualTo(TxnState.PREPARE_ABORT);
        assertThat(fence.after().producerEpoch()).as("the abort fences the old instance").isEqualTo((short) 1);
        assertThat(fence.markersDue()).isTrue();
        assertThat(code(() -> endV1(fence.after(), ID, 100, (short) 0, true, 4, now)))
                .as("the old instance").isEqualTo(ErrorCode.PRODUCER_FENCED);

        Transaction aborted = TransactionRules.complete(fence.after(), 100, (short) 1, now).after();
        Transaction next = init(aborted);
        assertThat(next.producerEpoch()).isEqualTo((short) 2);
        assertThat(next.state()).isEqualTo(TxnState.EMPTY);
    }

    @Test
    void anOpenTransactionPastItsTimeoutIsAbortedAndItsProducerFenced() {
        Transaction txn = TransactionRules.addPartitions(init(null), ID, 100, (short) 0, List.of(A), now).after();
        assertThat(TransactionRules.expire(txn, 3, now + 60_000).after()).isEqualTo(txn);

        Transaction expired = TransactionRules.expire(txn, 3, now + 60_001).after();
        assertThat(expired.state()).isEqualTo(TxnState.PREPARE_ABORT);
        assertThat(expired.producerEpoch()).isEqualTo((short) 1);
        assertThat(code(() -> TransactionRules.addPartitions(expired, ID, 100, (short) 0, List.of(B), now)))
                .isEqualTo(ErrorCode.PRODUCER_FENCED);
    }

    @Test
    void offsetsAreKeptWithTheTransactionOnlyAfterTheirGroupWasAddedAndTheLatestPerPartitionWins() {
        Transaction txn = TransactionRules.addPartitions(init(null), ID, 100, (short) 0, List.of(B), now).after();
        Transaction.PendingOffset first = new Transaction.PendingOffset("g", "in", 0, 10, null, null);
        Transaction.PendingOffset later = new Transaction.PendingOffset("g", "in", 0, 20, 2, "m");
        Transaction before = txn;
        assertThat(code(() -> TransactionRules.commitOffsets(before, ID, 100, (short) 0, "g", List.of(first), false, now)))
                .isEqualTo(ErrorCode.INVALID_TXN_STATE);

        txn = TransactionRules.addOffsets(txn, ID, 100, (short) 0, "g", now).after();
        txn = TransactionRules.commitOffsets(txn, ID, 100, (short) 0, "g", List.of(first), false, now).after();
        txn = TransactionRules.commitOffsets(txn, ID, 100, (short) 0, "g", List.of(later), false, now).after();
        assertThat(txn.offsets()).containsExactly(later);
    }

    @Test
    void callsWithAnotherProducerIdOrEpochAreRefused() {
        Transaction txn = init(init(null));
        assertThat(code(() -> TransactionRules.addPartitions(txn, ID, 99, (short) 1, List.of(A), now)))
                .isEqualTo(ErrorCode.INVALID_PRODUCER_ID_MAPPING);
        assertThat(code(() -> TransactionRules.addPartitions(txn, ID, 100, (short) 0, List.of(A), now)))
                .isEqualTo(ErrorCode.PRODUCER_FENCED);
        assertThat(code(() -> TransactionRules.addPartitions(null, ID, 100, (short) 1, List.of(A), now)))
                .isEqualTo(ErrorCode.INVALID_PRODUCER_ID_MAPPING);
        assertThat(code(() -> TransactionRules.initProducerId(txn, ID, 60_000, 100, (short) 0, MAX_TIMEOUT, 3,
                ids::getAndIncrement, now))).as("KIP-360 with a stale epoch").isEqualTo(ErrorCode.PRODUCER_FENCED);
        assertThat(TransactionRules.initProducerId(txn, ID, 60_000, 100, (short) 1, MAX_TIMEOUT, 3,
                ids::getAndIncrement, now).result().producerEpoch()).isEqualTo((short) 2);
    }

    @Test
    void aTimeoutOutsideTheAllowedRangeIsRefused() {
        assertThatThrownBy(() -> TransactionRules.initProducerId(null, ID, MAX_TIMEOUT + 1, -1, (short) -1,
                MAX_TIMEOUT, 3, ids::getAndIncrement, now))
                .extracting(e -> ((SluiceException) e).errorCode()).isEqualTo(ErrorCode.INVALID_TRANSACTION_TIMEOUT);
        assertThat(code(() -> TransactionRules.initProducerId(null, ID, 0, -1, (short) -1, MAX_TIMEOUT, 3,
                ids::getAndIncrement, now))).isEqualTo(ErrorCode.INVALID_TRANSACTION_TIMEOUT);
    }

    @Test
    void anExhaustedEpochMovesTheTransactionalIdToANewProducerId() {
        Transaction txn = init(null).withProducer(100, TransactionRules.MAX_EPOCH, 60_000);
        Transaction next = init(txn);
        assertThat(next.producerId()).isEqualTo(101);
        assertThat(next.producerEpoch()).isZero();
    }

    @Test
    void aStaleCompletionNoticeChangesNothing() {
        Transaction txn = TransactionRules.addPartitions(init(null), ID, 100, (short) 0, List.of(A), now).after();
        Transaction preparing = endV1(txn, ID, 100, (short) 0, false, 3, now).after();
        assertThat(TransactionRules.complete(preparing, 100, (short) 5, now).after()).isEqualTo(preparing);
        assertThat(TransactionRules.complete(txn, 100, (short) 0, now).after()).isEqualTo(txn);
    }
    @Test
    void writesOfAnHttpTransactionGetSequencesThatDoNotOverlapAndStartAgainAtTheNextEpoch() {
        Transaction txn = init(null);
        TxnDecision<Map<TopicPartition, Integer>> first = TransactionRules.reserve(txn, ID, 100, (short) 0, "w1",
                Map.of(A, 3, B, 2), now);
        assertThat(first.result()).isEqualTo(Map.of(A, 0, B, 0));
        assertThat(first.after().state()).isEqualTo(TxnState.ONGOING);
        assertThat(first.after().partitions()).containsExactly(A, B);
        TxnDecision<Map<TopicPartition, Integer>> second = TransactionRules.reserve(first.after(), ID, 100, (short) 0,
                "w2", Map.of(A, 4), now);
        assertThat(second.result()).as("after the first write's three").isEqualTo(Map.of(A, 3));
        assertThat(second.after().pendingCalls()).containsExactly("w1", "w2");

        Transaction aborted = endV1(second.after(), ID, 100, (short) 0, false, 3, now).after();
        aborted = TransactionRules.complete(aborted, 100, (short) 0, now).after();
        assertThat(aborted.pendingCalls()).as("the transaction is over").isEmpty();
        Transaction next = init(aborted);
        assertThat(next.producerEpoch()).isEqualTo((short) 1);
        assertThat(next.sequences()).isEmpty();
        assertThat(TransactionRules.reserve(next, ID, 100, (short) 1, "w3", Map.of(A, 1), now).result())
                .as("a new epoch's sequences start at 0").isEqualTo(Map.of(A, 0));
    }

    /**
     * The gateway's coordinator client sends a call again after a timeout (to the next coordinator URL, which may
     * redirect to the same active one): a write whose answer was lost is repeated under its call id, and must get
     * the sequences it already holds — ChaosIT found such a retry refused 400 INVALID_REQUEST, which failed the client's
     * write and left its transaction able only to abort.
     */
    @Test
    void aWriteRepeatedUnderItsCallIdGetsTheSequencesItWasGivenAndTakesNoMore() {
        Transaction txn = init(null);
        TxnDecision<Map<TopicPartition, Integer>> first = TransactionRules.reserve(txn, ID, 100, (short) 0, "w1",
                Map.of(A, 3, B, 2), now);
        TxnDecision<Map<TopicPartition, Integer>> second = TransactionRules.reserve(first.after(), ID, 100,
                (short) 0, "w2", Map.of(A, 1), now);

        TxnDecision<Map<TopicPartition, Integer>> repeated = TransactionRules.reserve(second.after(), ID, 100,
                (short) 0, "w1", Map.of(A, 3, B, 2), now);

        assertThat(repeated.result()).isEqualTo(Map.of(A, 0, B, 0));
        assertThat(repeated.after().sequences()).as("no sequences taken again").isEqualTo(second.after().sequences());
        assertThat(repeated.after().pendingCalls()).containsExactly("w1", "w2");
        assertThat(TransactionRules.reserve(repeated.after(), ID, 100, (short) 0, "w3", Map.of(A, 1), now).result())
                .as("after w1's three and w2's one").isEqualTo(Map.of(A, 4));
        assertThat(code(() -> TransactionRules.reserve(second.after(), ID, 100, (short) 0, "w1", Map.of(A, 1), now)))
                .as("the same call id for other records").isEqualTo(ErrorCode.INVALID_REQUEST);
    }

    @Test
    void aTransactionWithAWriteNotConfirmedCannotCommitButCanAbort() {
        Transaction txn = init(null);
        txn = TransactionRules.reserve(txn, ID, 100, (short) 0, "w1", Map.of(A, 1), now).after();
        txn = TransactionRules.reserve(txn, ID, 100, (short) 0, "w2", Map.of(B, 1), now).after();
        Transaction written = TransactionRules.confirm(txn, ID, 100, (short) 0, "w1", now).after();

        Transaction pending = written;
        assertThat(code(() -> endV1(pending, ID, 100, (short) 0, true, 3, now)))
                .isEqualTo(ErrorCode.INVALID_TXN_STATE);
        assertThat(endV1(pending, ID, 100, (short) 0, false, 3, now).after().state())
                .isEqualTo(TxnState.PREPARE_ABORT);
        Transaction confirmed = TransactionRules.confirm(written, ID, 100, (short) 0, "w2", now).after();
        assertThat(endV1(confirmed, ID, 100, (short) 0, true, 3, now).after().state())
                .isEqualTo(TxnState.PREPARE_COMMIT);
        assertThat(code(() -> TransactionRules.reserve(confirmed, ID, 100, (short) 1, "w3", Map.of(A, 1), now)))
                .as("a fenced epoch").isEqualTo(ErrorCode.PRODUCER_FENCED);
    }

    private static final long EXPIRATION = 7L * 24 * 3600 * 1000;

    @Test
    void anIdleTransactionalIdUnusedForTheExpirationIsForgottenAndThenStartsAfresh() {
        Transaction empty = init(null);
        Transaction open = TransactionRules.addPartitions(empty, ID, 100, (short) 0, List.of(A), now).after();
        Transaction aborting = endV1(open, ID, 100, (short) 0, false, 3, now).after();
        Transaction aborted = TransactionRules.complete(aborting, 100, (short) 0, now).after();
        Transaction committed = TransactionRules.complete(endV1(open, ID, 100, (short) 0, true, 3,
                now).after(), 100, (short) 0, now).after();

        for (Transaction idle : List.of(empty, aborted, committed)) {
            assertThat(TransactionRules.forget(idle, EXPIRATION, now + EXPIRATION - 1).after())
                    .as("%s just before the expiration", idle.state()).isEqualTo(idle);
            assertThat(TransactionRules.forget(idle, EXPIRATION, now + EXPIRATION).after())
                    .as("%s at the expiration", idle.state()).isNull();
        }
        Transaction again = init(null);
        assertThat(again.producerId()).as("a new producer id").isEqualTo(101);
        assertThat(again.producerEpoch()).isZero();
    }

    @Test
    void aTransactionOpenOrBeingCompletedNeverExpires() {
        Transaction open = TransactionRules.addPartitions(init(null), ID, 100, (short) 0, List.of(A), now).after();
        Transaction preparing = endV1(open, ID, 100, (short) 0, true, 3, now).after();
        for (Transaction busy : List.of(open, preparing)) {
            assertThat(TransactionRules.forget(busy, EXPIRATION, now + 10 * EXPIRATION).after())
                    .as(busy.state().name()).isEqualTo(busy);
        }
    }

    @Test
    void aUseAfterTheIdWasPickedForExpiryKeepsIt() {
        Transaction picked = init(null);
        long later = now + EXPIRATION;
        Transaction used = TransactionRules.initProducerId(picked, ID, 60_000, -1, (short) -1, MAX_TIMEOUT, 3,
                ids::getAndIncrement, later - 1).after();
        assertThat(picked.idExpired(later, EXPIRATION)).isTrue();
        assertThat(TransactionRules.forget(used, EXPIRATION, later).after()).isEqualTo(used);
    }

    // ------------------------------------------------------------- transaction version 2 (KIP-890 part 2)

    @Test
    void underVersion2EveryEndMovesTheProducerToTheNextEpochWhichItsMarkersCarry() {
        Transaction txn = init(null);
        txn = TransactionRules.addPartitions(txn, ID, 100, (short) 0, List.of(A), now).after();

        var end = endV2(txn, 100, (short) 0, true);
        assertThat(end.after().state()).isEqualTo(TxnState.PREPARE_COMMIT);
        assertThat(end.after().producerEpoch()).as("the markers' epoch").isEqualTo((short) 1);
        assertThat(end.result()).isEqualTo(new TransactionRules.ProducerIdAndEpoch(100, (short) 1));
        assertThat(code(() -> TransactionRules.addPartitions(end.after(), ID, 100, (short) 1, List.of(B), now)))
                .as("the next transaction waits for the markers").isEqualTo(ErrorCode.CONCURRENT_TRANSACTIONS);

        Transaction done = TransactionRules.complete(end.after(), 100, (short) 1, now).after();
        assertThat(done.state()).isEqualTo(TxnState.COMPLETE_COMMIT);
        Transaction next = TransactionRules.addPartitions(done, ID, 100, (short) 1, List.of(B), now).after();
        assertThat(next.state()).isEqualTo(TxnState.ONGOING);
        assertThat(TransactionRules.verify(next, 100, (short) 0, B)).as("a batch of the old epoch")
                .hasValueSatisfying(refused -> assertThat(refused.errorCode())
                        .isEqualTo(ErrorCode.INVALID_PRODUCER_EPOCH));
        assertThat(code(() -> TransactionRules.addPartitions(done, ID, 100, (short) 0, List.of(B), now)))
                .as("a produce delayed past its transaction's end cannot open the next")
                .isEqualTo(ErrorCode.PRODUCER_FENCED);
    }

    @Test
    void anEndRepeatedAtTheOldEpochIsARetryNotAFencedProducer() {
        Transaction txn = TransactionRules.addPartitions(init(null), ID, 100, (short) 0, List.of(A), now).after();
        Transaction preparing = endV2(txn, 100, (short) 0, false).after();

        assertThat(code(() -> endV2(preparing, 100, (short) 0, false)))
                .as("while its markers are written").isEqualTo(ErrorCode.CONCURRENT_TRANSACTIONS);
        Transaction done = TransactionRules.complete(preparing, 100, (short) 1, now).after();
        var again = endV2(done, 100, (short) 0, false);
        assertThat(again.after()).as("changes nothing").isEqualTo(done);
        assertThat(again.result()).isEqualTo(new TransactionRules.ProducerIdAndEpoch(100, (short) 1));
        assertThat(code(() -> endV2(done, 100, (short) 0, true)))
                .as("the other outcome at the old epoch").isEqualTo(ErrorCode.INVALID_TXN_STATE);
        assertThat(code(() -> endV1(done, ID, 100, (short) 0, false, 7, now)))
                .as("version 1 knows no retry at an old epoch").isEqualTo(ErrorCode.PRODUCER_FENCED);
    }

    @Test
    void underVersion2AnEndAtTheNextEpochWaitsForTheLastTransactionsMarkers() {
        Transaction txn = TransactionRules.addPartitions(init(null), ID, 100, (short) 0, List.of(A), now).after();
        Transaction committing = endV2(txn, 100, (short) 0, true).after();

        // The producer's next transaction wrote nothing the coordinator took (its write failed) and it aborts.
        assertThat(code(() -> endV2(committing, 100, (short) 1, false)))
                .as("an abort while the last commit's markers are written")
                .isEqualTo(ErrorCode.CONCURRENT_TRANSACTIONS);
        assertThat(code(() -> endV2(committing, 100, (short) 1, true)))
                .as("a commit likewise").isEqualTo(ErrorCode.CONCURRENT_TRANSACTIONS);
        Transaction done = TransactionRules.complete(committing, 100, (short) 1, now).after();
        var abort = endV2(done, 100, (short) 1, false);
        assertThat(abort.after().state()).isEqualTo(TxnState.COMPLETE_ABORT);
        assertThat(abort.result()).isEqualTo(new TransactionRules.ProducerIdAndEpoch(100, (short) 2));
        Transaction committingV1 = endV1(txn, ID, 100, (short) 0, true, 7, now).after();
        assertThat(code(() -> endV1(committingV1, ID, 100, (short) 0, false, 7, now)))
                .as("version 1: the other outcome of the transaction being completed")
                .isEqualTo(ErrorCode.INVALID_TXN_STATE);
    }

    @Test
    void anAbortWithNothingOpenMovesTheEpochSoThatAStrayWriteOfTheOldOneIsFenced() {
        Transaction idle = init(null);

        var abort = endV2(idle, 100, (short) 0, false);
        assertThat(abort.after().state()).isEqualTo(TxnState.COMPLETE_ABORT);
        assertThat(abort.markersDue()).as("no partition to mark").isFalse();
        assertThat(abort.result()).isEqualTo(new TransactionRules.ProducerIdAndEpoch(100, (short) 1));
        assertThat(code(() -> TransactionRules.addPartitions(abort.after(), ID, 100, (short) 0, List.of(A), now)))
                .isEqualTo(ErrorCode.PRODUCER_FENCED);
        assertThat(code(() -> endV2(idle, 100, (short) 0, true)))
                .as("a commit with nothing open").isEqualTo(ErrorCode.INVALID_TXN_STATE);
        assertThat(code(() -> endV1(idle, ID, 100, (short) 0, false, 7, now)))
                .as("version 1 as before").isEqualTo(ErrorCode.INVALID_TXN_STATE);
    }

    @Test
    void atTheLastEpochTheMarkersCarryTheFencingEpochAndTheProducerMovesToANewProducerId() {
        Transaction txn = init(null).withProducer(100, TransactionRules.MAX_EPOCH, 60_000);
        txn = TransactionRules.addPartitions(txn, ID, 100, TransactionRules.MAX_EPOCH, List.of(A), now).after();

        var end = endV2(txn, 100, TransactionRules.MAX_EPOCH, true);
        Transaction preparing = end.after();
        assertThat(preparing.producerId()).as("the markers' producer id").isEqualTo(100);
        assertThat(preparing.producerEpoch()).isEqualTo(Short.MAX_VALUE);
        long next = end.result().producerId();
        assertThat(next).isNotEqualTo(100);
        assertThat(end.result().producerEpoch()).isZero();
        assertThat(code(() -> TransactionRules.addPartitions(preparing, ID, next, (short) 0, List.of(A), now)))
                .as("its new producer id, before the markers are written")
                .isEqualTo(ErrorCode.CONCURRENT_TRANSACTIONS);

        Transaction done = TransactionRules.complete(preparing, 100, Short.MAX_VALUE, now).after();
        assertThat(done.producerId()).isEqualTo(next);
        assertThat(done.producerEpoch()).isZero();
        assertThat(endV2(done, 100, TransactionRules.MAX_EPOCH, true).result())
                .as("the end repeated").isEqualTo(new TransactionRules.ProducerIdAndEpoch(next, (short) 0));
        assertThat(TransactionRules.addPartitions(done, ID, next, (short) 0, List.of(A), now).after().state())
                .isEqualTo(TxnState.ONGOING);
    }

    @Test
    void underVersion2TxnOffsetCommitAddsItsGroupAndOpensTheTransaction() {
        Transaction idle = init(null);
        Transaction.PendingOffset offset = new Transaction.PendingOffset("g", "in", 0, 42, null, null);

        assertThat(code(() -> TransactionRules.commitOffsets(idle, ID, 100, (short) 0, "g", List.of(offset), false,
                now))).as("version 1 needs AddOffsetsToTxn first").isEqualTo(ErrorCode.INVALID_TXN_STATE);
        Transaction txn = TransactionRules.commitOffsets(idle, ID, 100, (short) 0, "g", List.of(offset), true, now)
                .after();
        assertThat(txn.state()).isEqualTo(TxnState.ONGOING);
        assertThat(txn.groups()).containsExactly("g");
        assertThat(txn.offsets()).containsExactly(offset);
        assertThat(txn.startedAtMs()).isEqualTo(now);
    }

    @Test
    void anAddOfPartitionsTheOpenTransactionHasChangesNothing() {
        Transaction txn = TransactionRules.addPartitions(init(null), ID, 100, (short) 0, List.of(A, B), now).after();
        now += 1_000;
        assertThat(TransactionRules.addPartitions(txn, ID, 100, (short) 0, List.of(B), now).after())
                .as("nothing to store").isEqualTo(txn);
        assertThat(TransactionRules.addPartitions(txn, ID, 100, (short) 0, List.of(new TopicPartition("x", 0)), now)
                .after().partitions()).hasSize(3);
    }

    @Test
    void anInitProducerIdForgetsTheLastEndSoItsRepeatIsFenced() {
        Transaction txn = TransactionRules.addPartitions(init(null), ID, 100, (short) 0, List.of(A), now).after();
        Transaction done = TransactionRules.complete(endV2(txn, 100, (short) 0, true).after(), 100, (short) 1, now)
                .after();
        Transaction reinitialised = init(done);
        assertThat(reinitialised.producerEpoch()).isEqualTo((short) 2);
        assertThat(reinitialised.bump()).isNull();
        assertThat(code(() -> endV2(reinitialised, 100, (short) 0, true))).isEqualTo(ErrorCode.PRODUCER_FENCED);
    }
}

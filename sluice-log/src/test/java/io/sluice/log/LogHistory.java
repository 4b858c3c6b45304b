package io.sluice.log;

import io.sluice.protocol.record.EndTxnMarker;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/**
 * Histories of what happens to one log, for property tests that check a read against {@link PartitionLog#read} after
 * each step: the steps, their generators, and {@link #apply}, which keeps the transactional producers' ids, sequences
 * and open transactions. A truncation may cut their batches away, so after one the history goes on with new producers
 * (the old ones' transactions may stay open, holding the last stable offset back, as a cut-off producer's would).
 */
final class LogHistory {

    sealed interface Step permits Plain, TxnRecord, EndTxn, Rise, SetHighWatermark, Truncate, DeleteRecords {
    }

    record Plain(int records) implements Step {
    }

    record TxnRecord(int producer) implements Step {
    }

    record EndTxn(int producer, boolean commit) implements Step {
    }

    /** A leader raises the high watermark {@code share} of the way to the log end. */
    record Rise(double share) implements Step {
    }

    /** The high watermark is set, as a follower copies its leader's, to {@code share} of the way from the log start. */
    record SetHighWatermark(double share) implements Step {
    }

    /** The log is cut back to {@code share} of the way from its high watermark to its end. */
    record Truncate(double share) implements Step {
    }

    /** Records below {@code share} of the high watermark are deleted. */
    record DeleteRecords(double share) implements Step {
    }

    private static final int PRODUCERS = 4;

    private long firstProducerId = 1;
    private int[] sequences = new int[PRODUCERS];
    private boolean[] open = new boolean[PRODUCERS];

    static Arbitrary<Step> plain() {
        return Arbitraries.integers().between(1, 3).map(Plain::new);
    }

    static Arbitrary<Step> txnRecord() {
        return Arbitraries.integers().between(1, PRODUCERS - 1).map(TxnRecord::new);
    }

    static Arbitrary<Step> endTxn() {
        return Arbitraries.integers().between(1, PRODUCERS - 1)
                .flatMap(p -> Arbitraries.of(true, false).map(commit -> new EndTxn(p, commit)));
    }

    static Arbitrary<Step> rise() {
        return Arbitraries.doubles().between(0, 1).map(Rise::new);
    }

    static Arbitrary<Step> setHighWatermark() {
        return Arbitraries.doubles().between(0, 1).map(SetHighWatermark::new);
    }

    static Arbitrary<Step> truncate() {
        return Arbitraries.doubles().between(0, 1).map(Truncate::new);
    }

    static Arbitrary<Step> deleteRecords() {
        return Arbitraries.doubles().between(0, 1).map(DeleteRecords::new);
    }

    void apply(PartitionLog log, Step step) {
        switch (step) {
            case Plain plain -> {
                List<String> values = new ArrayList<>();
                for (int i = 0; i < plain.records(); i++) {
                    values.add("v" + i);
                }
                log.appendAsLeader(TestRecords.batch(1_000, values.toArray(String[]::new)), 0);
            }
            case TxnRecord txn -> {
                VerifiedAppends.appendAsLeader(log, TransactionLogTest.txn(firstProducerId + txn.producer(), 0,
                        sequences[txn.producer()]++, "t"), 0);
                open[txn.producer()] = true;
            }
            case EndTxn end -> {
                if (open[end.producer()]) {
                    log.appendMarker(firstProducerId + end.producer(), (short) 0, new EndTxnMarker(end.commit(), 0),
                            0);
                    open[end.producer()] = false;
                }
            }
            case Rise rise -> {
                long hw = log.highWatermark();
                log.maybeIncrementHighWatermark(hw + Math.round((log.logEndOffset() - hw) * rise.share()));
            }
            case SetHighWatermark set -> {
                long start = log.logStartOffset();
                log.updateHighWatermark(start + Math.round((log.logEndOffset() - start) * set.share()));
            }
            case Truncate truncate -> {
                long hw = log.highWatermark();
                long to = hw + Math.round((log.logEndOffset() - hw) * truncate.share());
                if (to > log.logStartOffset() && log.truncateTo(to)) {
                    firstProducerId += PRODUCERS;
                    sequences = new int[PRODUCERS];
                    open = new boolean[PRODUCERS];
                }
            }
            case DeleteRecords delete -> {
                long start = log.logStartOffset();
                log.deleteRecordsBefore(start + (long) Math.floor((log.highWatermark() - start) * delete.share()));
            }
        }
    }
}

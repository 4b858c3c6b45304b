package io.sluice.it.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.it.ReplicaFiles.StoredBatch;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Two leaders in one epoch show as two different batches over the same offsets under that epoch, and only so. */
class EpochLedgerTest {

    private final EpochLedger ledger = new EpochLedger();

    @Test
    void theSameBatchOnEveryReplicaIsNoConflict() {
        ledger.observe(0, 1, List.of(batch(0, 4, 1, "a"), batch(5, 9, 1, "b")), "t1");
        ledger.observe(0, 2, List.of(batch(0, 4, 1, "a"), batch(5, 9, 1, "b")), "t1");
        ledger.observe(0, 1, List.of(batch(0, 4, 1, "a")), "t2");

        assertThat(ledger.conflicts()).isEmpty();
    }

    @Test
    void aBatchReplacedUnderANewerEpochIsNoConflict() {
        ledger.observe(0, 1, List.of(batch(0, 4, 1, "a"), batch(5, 9, 1, "b")), "t1");
        ledger.observe(0, 1, List.of(batch(0, 4, 1, "a"), batch(5, 7, 2, "c")), "t2");

        assertThat(ledger.conflicts()).isEmpty();
    }

    @Test
    void anotherBatchOverTheSameOffsetsUnderTheSameEpochConflicts() {
        ledger.observe(0, 1, List.of(batch(0, 4, 1, "a"), batch(5, 9, 1, "b")), "before the power loss");
        ledger.observe(0, 2, List.of(batch(0, 4, 1, "a"), batch(5, 6, 1, "c")), "after");

        assertThat(ledger.conflicts()).singleElement()
                .satisfies(conflict -> assertThat(conflict.epoch()).isEqualTo(1))
                .satisfies(conflict -> assertThat(conflict.first().node()).isEqualTo(1))
                .satisfies(conflict -> assertThat(conflict.second().node()).isEqualTo(2));
    }

    @Test
    void theSameOffsetsInAnotherPartitionAreNoConflict() {
        ledger.observe(0, 1, List.of(batch(0, 4, 1, "a")), "t1");
        ledger.observe(1, 1, List.of(batch(0, 4, 1, "b")), "t1");

        assertThat(ledger.conflicts()).isEmpty();
    }

    private static StoredBatch batch(long base, long last, int epoch, String content) {
        return new StoredBatch(base, last, epoch, 100, content.repeat(16));
    }
}

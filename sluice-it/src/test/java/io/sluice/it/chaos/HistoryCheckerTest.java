package io.sluice.it.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.internal.metadata.PartitionState;
import io.sluice.it.ReplicaFiles;
import io.sluice.it.ReplicaFiles.StoredRecord;
import io.sluice.it.chaos.GatewayClient.ReadRecord;
import io.sluice.it.chaos.HistoryChecker.Anomalies;
import io.sluice.it.chaos.HistoryChecker.FinalPartition;
import io.sluice.it.chaos.HistoryChecker.Kind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each anomaly the checker names is found in a history made to have exactly it, and a clean history has none. */
class HistoryCheckerTest {

    private final History history = new History();

    @Test
    void aCleanHistoryHasNoAnomaly() {
        ack("a", 0);
        ack("b", 1);
        seen("a", 0);
        history.failed("c", 0, "NOT_ENOUGH_REPLICAS");
        history.failed("d", 0, "REQUEST_TIMED_OUT");

        assertThat(check(partition("a", "b", "d")).total()).isZero();
    }

    @Test
    void anAcknowledgedRecordMissingAtTheEndIsLost() {
        ack("a", 0);
        ack("b", 1);

        assertThat(check(partition("a")).count(Kind.LOST_ACKNOWLEDGED)).isEqualTo(1);
    }

    @Test
    void oneValueAtTwoOffsetsIsDuplicated() {
        ack("a", 0);

        assertThat(check(partition("a", "a")).count(Kind.DUPLICATED)).isEqualTo(1);
    }

    @Test
    void aRecordAcknowledgedAtOneOffsetAndStoredAtAnotherIsAtTwoOffsets() {
        ack("a", 1);

        Anomalies anomalies = check(partition("a", "b"));

        assertThat(anomalies.count(Kind.AT_TWO_OFFSETS)).isEqualTo(1);
        assertThat(anomalies.count(Kind.LOST_ACKNOWLEDGED)).isZero();
    }

    @Test
    void aRecordAConsumerReadThatIsGoneAtTheEndVanished() {
        seen("a", 0);

        assertThat(check(partition("b")).count(Kind.SEEN_THEN_VANISHED)).isEqualTo(1);
    }

    @Test
    void twoRecordsAcknowledgedAtOneOffsetConflict() {
        ack("a", 0);
        ack("b", 0);

        assertThat(check(partition("a")).count(Kind.CONFLICTING_ACKS)).isEqualTo(1);
    }

    @Test
    void aRecordRefusedWithNothingWrittenThatIsInTheLogWasWrittenDespiteRefusal() {
        history.failed("a", 0, "NOT_LEADER");

        assertThat(check(partition("a")).count(Kind.WRITTEN_DESPITE_REFUSAL)).isEqualTo(1);
    }

    @Test
    void aReplicaHoldingAnotherRecordBelowTheHighWatermarkDiverges() {
        FinalPartition partition = partition(List.of("a", "b"), Map.of(1, List.of("a", "b"), 2, List.of("a", "x")),
                List.of(1, 2));

        assertThat(check(partition).count(Kind.REPLICA_DIVERGENCE)).isEqualTo(1);
    }

    @Test
    void aShorterReplicaOutOfTheIsrDoesNotDivergeButAnInSyncOneDoes() {
        FinalPartition outOfSync = partition(List.of("a", "b"), Map.of(1, List.of("a", "b"), 2, List.of("a")),
                List.of(1));
        FinalPartition inSync = partition(List.of("a", "b"), Map.of(1, List.of("a", "b"), 2, List.of("a")),
                List.of(1, 2));

        assertThat(check(outOfSync).count(Kind.REPLICA_DIVERGENCE)).isZero();
        assertThat(check(inSync).count(Kind.REPLICA_DIVERGENCE)).isEqualTo(1);
    }

    @Test
    void anOffsetBelowTheGroupsCommittedOffsetThatNoMemberWasGivenIsSkipped() {
        history.groupRead(new History.GroupRead("m1", 0, 0, "a"));
        history.groupRead(new History.GroupRead("m2", 0, 2, "c"));
        history.groupCommitted(Map.of(0, 3L));
        Anomalies anomalies = check(partition("a", "b", "c"));
        assertThat(anomalies.count(Kind.GROUP_SKIPPED)).isEqualTo(1);
        assertThat(anomalies.examples(Kind.GROUP_SKIPPED).getFirst()).contains("0/1");
    }

    @Test
    void aGroupThatWasGivenEverythingBelowItsCommittedOffsetsSkippedNothingWhateverItWasGivenTwice() {
        history.groupRead(new History.GroupRead("m1", 0, 0, "a"));
        history.groupRead(new History.GroupRead("m1", 0, 1, "b"));
        history.groupRead(new History.GroupRead("m2", 0, 1, "b"));
        history.groupCommitted(Map.of(0, 2L));
        assertThat(check(partition("a", "b", "c")).total()).isZero();
    }

    @Test
    void aGroupReadOfARecordThatIsGoneAtTheEndVanished() {
        history.groupRead(new History.GroupRead("m1", 0, 0, "a"));
        history.groupCommitted(Map.of(0, 1L));
        assertThat(check(partition("b")).count(Kind.SEEN_THEN_VANISHED)).isEqualTo(1);
    }

    private void ack(String value, long offset) {
        history.acknowledged(new History.Ack(value, 0, offset, 0, 0));
    }

    private void seen(String value, long offset) {
        history.seen(new History.Seen(0, offset, value, 0));
    }

    private Anomalies check(FinalPartition partition) {
        return HistoryChecker.check(history, List.of(partition), List.of(), List.of());
    }

    /** Partition 0 whose committed log and every replica hold {@code values} from offset 0. */
    private static FinalPartition partition(String... values) {
        return partition(List.of(values), Map.of(1, List.of(values)), List.of(1));
    }

    private static FinalPartition partition(List<String> log, Map<Integer, List<String>> replicas, List<Integer> isr) {
        List<ReadRecord> records = new ArrayList<>();
        for (int i = 0; i < log.size(); i++) {
            records.add(new ReadRecord(i, log.get(i)));
        }
        Map<Integer, ReplicaFiles.Contents> files = new LinkedHashMap<>();
        replicas.forEach((node, values) -> {
            List<StoredRecord> stored = new ArrayList<>();
            for (int i = 0; i < values.size(); i++) {
                stored.add(new StoredRecord(i, values.get(i), 1));
            }
            files.put(node, new ReplicaFiles.Contents(List.of(), stored));
        });
        PartitionState state = new PartitionState(0, List.copyOf(replicas.keySet()), isr.getFirst(), isr, 1, 1);
        return new FinalPartition(0, records, log.size(), state, files);
    }
}

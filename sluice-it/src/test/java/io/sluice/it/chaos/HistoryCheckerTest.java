package io.sluice.it.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.internal.metadata.PartitionState;
import io.sluice.it.ReplicaFiles;
import io.sluice.it.ReplicaFiles.StoredRecord;
import io.sluice.it.chaos.GatewayClient.ReadRecord;
import io.sluice.it.chaos.HistoryChecker.Anomalies;
import io.sluice.it.chaos.HistoryChecker.FinalPartition;
import io.sluice.it.chaos.HistoryChecker.Kind;
import io.sluice.it.chaos.ReadCommittedChecker.CommittedLog;
import io.sluice.it.chaos.TransactionHistory.Outcome;
import io.sluice.it.chaos.TransactionHistory.StableOffset;
import io.sluice.it.chaos.TransactionHistory.TxnRecord;
import io.sluice.it.share.ShareHistory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each anomaly the checker names is found in a history made to have exactly it, and a clean history has none. */
class HistoryCheckerTest {

    private final History history = new History();
    private final TransactionHistory transactions = new TransactionHistory();

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
    void theKafkaConsumersGroupIsJudgedAsTheHttpMembersGroupAndMustHaveReadSomething() {
        history.kafkaGroupRead("g", new History.GroupRead("kafka-consumer", 0, 0, "a"));
        history.kafkaGroupRead("g", new History.GroupRead("kafka-consumer", 0, 2, "x"));
        history.kafkaGroupCommitted("g", Map.of(0, 3L));
        history.kafkaGroupRead("classic", new History.GroupRead("kafka-consumer", 0, 0, "a"));
        history.kafkaGroupRead("classic", new History.GroupRead("kafka-consumer", 0, 1, "b"));
        history.kafkaGroupCommitted("classic", Map.of(0, 2L));
        Anomalies anomalies = check(partition("a", "b", "c"));
        assertThat(anomalies.examples(Kind.GROUP_SKIPPED)).singleElement().asString()
                .contains("the Kafka consumer group g", "0/1");
        assertThat(anomalies.count(Kind.AT_TWO_OFFSETS) + anomalies.count(Kind.SEEN_THEN_VANISHED))
                .as("a read of a value the log does not hold there").isEqualTo(1);

        History silent = new History();
        silent.kafkaGroupCommitted("g", null);
        Anomalies nothing = HistoryChecker.check(silent, List.of(partition("a")), List.of(), List.of());
        assertThat(nothing.examples(Kind.NOT_HEALED)).contains("the Kafka consumer of g was given no record",
                "the Kafka consumer group g's committed offsets could not be read at the end");
    }

    @Test
    void aGroupReadOfARecordThatIsGoneAtTheEndVanished() {
        history.groupRead(new History.GroupRead("m1", 0, 0, "a"));
        history.groupCommitted(Map.of(0, 1L));
        assertThat(check(partition("b")).count(Kind.SEEN_THEN_VANISHED)).isEqualTo(1);
    }

    @Test
    void aShareGroupThatEndedEveryRecordOnceHasNoAnomalyWhateverItWasGivenAgain() {
        ShareHistory share = new ShareHistory();
        history.shareGroup(share, 5);
        share.delivered("c1", 0, 0, 0, 1);
        share.delivered("c2", 0, 0, 0, 2);     // given again once c1's lock ended: at least once
        share.acknowledged("c2", 0, 0, 0, 2, ShareHistory.Type.ACCEPT, ShareHistory.Outcome.TAKEN, null);
        share.delivered("c1", 0, 1, 0, 1);
        share.acknowledged("c1", 0, 1, 0, 1, ShareHistory.Type.ACCEPT, ShareHistory.Outcome.TAKEN, null);

        assertThat(check(partition("a", "b")).total()).isZero();
    }

    @Test
    void theShareGroupIsJudgedAsTheHttpShareRunIsOverTheFinalLogs() {
        ShareHistory share = new ShareHistory();
        history.shareGroup(share, 5);
        share.delivered("c1", 0, 0, 0, 1);
        share.delivered("c2", 0, 0, 0, 1);     // two holders at once
        share.acknowledged("c1", 0, 0, 0, 1, ShareHistory.Type.ACCEPT, ShareHistory.Outcome.TAKEN, null);
        share.acknowledged("c2", 0, 0, 0, 1, ShareHistory.Type.ACCEPT, ShareHistory.Outcome.TAKEN, null);

        Anomalies anomalies = check(partition("a", "b"));

        assertThat(anomalies.count(Kind.SHARE_DELIVERED_TWICE)).isEqualTo(1);
        assertThat(anomalies.count(Kind.SHARE_ACCEPTED_TWICE)).isEqualTo(1);
        assertThat(anomalies.examples(Kind.SHARE_NOT_ENDED)).singleElement().asString()
                .contains("0/1", "never delivered");

        History silent = new History();
        silent.shareGroup(new ShareHistory(), 5);
        assertThat(HistoryChecker.check(silent, List.of(partition("a")), List.of(), List.of())
                .examples(Kind.NOT_HEALED)).contains("the share group's consumers were given no record");
    }

    @Test
    void theStreamsApplicationsOutputMustHoldEveryRecordOfTheFinalLogExactlyOnceAndNothingElse() {
        history.streamsOutput(List.of("b", "a"));
        assertThat(check(partition("a", "b")).total()).as("in another order: exactly once").isZero();

        History copied = new History();
        copied.streamsOutput(List.of("a", "a", "z"));
        Anomalies anomalies = HistoryChecker.check(copied, List.of(partition("a", "b")), List.of(), List.of());
        assertThat(anomalies.examples(Kind.STREAMS_NOT_ONCE)).hasSize(2).anySatisfy(example -> assertThat(example)
                .contains("0/0", "copied 2 times")).anySatisfy(example -> assertThat(example)
                .contains("0/1", "copied 0 times"));
        assertThat(anomalies.examples(Kind.STREAMS_UNKNOWN_OUTPUT)).singleElement().asString().contains("z");
    }

    // ------------------------------------------------------- read_committed

    @Test
    void aCommittedAnAbortedAndAnUnknownTransactionThatReadersSawRightHaveNoAnomaly() {
        transaction("c", Outcome.COMMITTED, record("A", 0, "c-0", 0), record("B", 0, "c-1", 0));
        transaction("a", Outcome.ABORTED, record("A", 0, "a-0", -1), record("B", 0, "a-1", -1));
        transaction("u", Outcome.UNKNOWN, record("A", 0, "u-0", -1), record("B", 0, "u-1", -1));
        transaction("n", Outcome.UNKNOWN, record("A", 0, "n-0", -1));
        committedRead("A", 0, 0, "c-0");
        committedRead("A", 0, 2, "u-0");

        Anomalies anomalies = checkReadCommitted(log("A", 0, "c-0", null, "u-0"), log("B", 0, "c-1", null, "u-1"));

        assertThat(anomalies.total()).isZero();
    }

    @Test
    void aRecordOfAnAbortedTransactionGivenToAReadCommittedReaderIsReadAborted() {
        transaction("a", Outcome.ABORTED, record("A", 0, "a-0", -1));
        committedRead("A", 0, 0, "a-0");

        Anomalies anomalies = checkReadCommitted(log("A", 0));

        assertThat(anomalies.count(Kind.READ_ABORTED)).isEqualTo(1);
    }

    @Test
    void aRecordOfAnAbortedTransactionInTheFinalReadCommittedLogIsReadAborted() {
        transaction("a", Outcome.ABORTED, record("A", 0, "a-0", -1), record("B", 0, "a-1", -1));

        Anomalies anomalies = checkReadCommitted(log("A", 0, "a-0"), log("B", 0));

        assertThat(anomalies.count(Kind.READ_ABORTED)).isEqualTo(1);
    }

    @Test
    void aCommittedRecordMissingTwiceOrElsewhereInTheFinalLogIsNotOnce() {
        transaction("c", Outcome.COMMITTED, record("A", 0, "c-0", 0), record("A", 0, "c-1", 1),
                record("B", 0, "c-2", 0), record("B", 0, "c-3", 1));

        Anomalies anomalies = checkReadCommitted(log("A", 0, "c-0", "c-1", "c-1"), log("B", 0, "c-2", "c-3x", "c-3"));

        assertThat(anomalies.count(Kind.COMMITTED_NOT_ONCE)).isEqualTo(2);
        assertThat(anomalies.examples(Kind.COMMITTED_NOT_ONCE)).anyMatch(example -> example.startsWith("c-1"))
                .anyMatch(example -> example.startsWith("c-3"));
    }

    @Test
    void aCommittedRecordMissingFromTheFinalLogIsNotOnce() {
        transaction("c", Outcome.COMMITTED, record("A", 0, "c-0", 0), record("B", 0, "c-1", 0));

        assertThat(checkReadCommitted(log("A", 0, "c-0"), log("B", 0)).count(Kind.COMMITTED_NOT_ONCE)).isEqualTo(1);
    }

    @Test
    void aTransactionOfUnknownOutcomeOfWhichSomeRecordsAreVisibleIsPartlyVisible() {
        transaction("u", Outcome.UNKNOWN, record("A", 0, "u-0", -1), record("B", 0, "u-1", -1));

        Anomalies anomalies = checkReadCommitted(log("A", 0, "u-0"), log("B", 0));

        assertThat(anomalies.count(Kind.PARTLY_VISIBLE)).isEqualTo(1);
        assertThat(anomalies.count(Kind.COMMITTED_NOT_ONCE)).isZero();
    }

    @Test
    void aRecordReadCommittedThatTheFinalLogDoesNotHoldThereVanished() {
        transaction("u", Outcome.UNKNOWN, record("A", 0, "u-0", -1));
        committedRead("A", 0, 0, "u-0");

        Anomalies anomalies = checkReadCommitted(log("A", 0));

        assertThat(anomalies.count(Kind.READ_COMMITTED_VANISHED)).isEqualTo(1);
    }

    @Test
    void aReaderGivenAnOffsetNotAfterTheLastIsOutOfOrder() {
        transaction("c", Outcome.COMMITTED, record("A", 0, "c-0", 0), record("A", 0, "c-1", 1));
        committedRead("A", 0, 1, "c-1");
        committedRead("A", 0, 0, "c-0");

        Anomalies anomalies = checkReadCommitted(log("A", 0, "c-0", "c-1"));

        assertThat(anomalies.count(Kind.READ_COMMITTED_OUT_OF_ORDER)).isEqualTo(1);
        assertThat(anomalies.count(Kind.READ_COMMITTED_VANISHED)).isZero();
    }

    @Test
    void eachReaderIsJudgedOnItsOwnSoAPageReaderAndAStreamGivenTheSameRecordsAreInOrder() {
        transaction("c", Outcome.COMMITTED, record("A", 0, "c-0", 0), record("A", 0, "c-1", 1));
        committedRead("A", 0, 0, "c-0");
        committedRead("A", 0, 1, "c-1");
        transactions.read(new TransactionHistory.CommittedRead(TransactionHistory.SSE_READER, "A", 0, 0, "c-0"));
        transactions.read(new TransactionHistory.CommittedRead(TransactionHistory.SSE_READER, "A", 0, 1, "c-1"));

        assertThat(checkReadCommitted(log("A", 0, "c-0", "c-1")).total()).isZero();
    }

    @Test
    void aCommittedRecordBelowWhatAReaderReadThatItNeverGotIsSkipped() {
        transaction("c", Outcome.COMMITTED, record("A", 0, "c-0", 0), record("A", 0, "c-1", 1),
                record("A", 0, "c-2", 2));
        committedRead("A", 0, 0, "c-0");
        committedRead("A", 0, 2, "c-2");

        Anomalies anomalies = checkReadCommitted(log("A", 0, "c-0", "c-1", "c-2"));

        assertThat(anomalies.count(Kind.READ_COMMITTED_SKIPPED)).isEqualTo(1);
        assertThat(anomalies.examples(Kind.READ_COMMITTED_SKIPPED).getFirst()).startsWith("c-1");
    }

    @Test
    void aLastStableOffsetAboveTheHighWatermarkIsReportedAndOneAtItIsNot() {
        transactions.stableOffset(new StableOffset("A", 0, 1, 5, 5));
        transactions.stableOffset(new StableOffset("A", 0, 1, 3, 5));
        assertThat(checkReadCommitted(log("A", 0)).count(Kind.LSO_ABOVE_HW)).isZero();

        transactions.stableOffset(new StableOffset("A", 0, 2, 6, 5));
        assertThat(checkReadCommitted(log("A", 0)).count(Kind.LSO_ABOVE_HW)).isEqualTo(1);
    }

    private void transaction(String id, Outcome outcome, TxnRecord... records) {
        transactions.transaction(new TransactionHistory.Transaction(id, TransactionHistory.Kind.ATOMIC,
                List.of(records), outcome, "test"));
    }

    private static TxnRecord record(String topic, int partition, String value, long offset) {
        return new TxnRecord(topic, partition, value, offset);
    }

    private void committedRead(String topic, int partition, long offset, String value) {
        transactions.read(new TransactionHistory.CommittedRead(TransactionHistory.PAGE_READER, topic, partition,
                offset, value));
    }

    private Anomalies checkReadCommitted(CommittedLog... logs) {
        Anomalies anomalies = new Anomalies();
        ReadCommittedChecker.check(transactions, List.of(logs), anomalies);
        return anomalies;
    }

    /** A final read_committed log holding {@code values} from offset 0; a null value is an offset that holds none. */
    private static CommittedLog log(String topic, int partition, String... values) {
        List<ReadRecord> records = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            if (values[i] != null) {
                records.add(new ReadRecord(i, values[i]));
            }
        }
        return new CommittedLog(topic, partition, records);
    }

    // -------------------------------------------------------------- helpers

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

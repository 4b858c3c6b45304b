package io.sluice.partition.txn;

import static io.sluice.partition.txn.MarkerLeader.ALONE;
import static io.sluice.partition.txn.MarkerLeader.EPOCH;
import static io.sluice.partition.txn.MarkerLeader.FOLLOWED;
import static io.sluice.partition.txn.MarkerLeader.TOO_FEW;
import static io.sluice.partition.txn.MarkerLeader.WAITING;
import static io.sluice.partition.txn.MarkerLeader.marker;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.internal.partition.WriteMarkersRequest;
import io.sluice.internal.partition.WriteMarkersResponse;
import io.sluice.log.AbortedTxn;
import io.sluice.log.FetchIsolation;
import io.sluice.log.LogReadResult;
import io.sluice.log.PartitionLog;
import io.sluice.protocol.ErrorCode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * WriteTxnMarkers at a leader, on real logs and the real log scheduler (see {@link MarkerLeader}): a marker commits
 * or aborts the producer's transaction once committed itself; a partition this node does not lead, a stale or unknown
 * leader epoch, too few in-sync replicas, an older producer epoch and an older coordinator epoch are refused, each
 * partition on its own, and write nothing.
 */
class WriteMarkersServiceTest {

    private static final long PRODUCER = 42;

    @TempDir
    Path dataDir;
    MarkerLeader node;

    @BeforeEach
    void start() throws IOException {
        node = new MarkerLeader(dataDir);
    }

    @AfterEach
    void close() throws IOException {
        node.close();
    }

    @Test
    void aCommitMarkerWrittenByTheLeaderMakesTheTransactionStable() {
        node.produceTransactional(ALONE, PRODUCER, (short) 0, 0, "a");
        node.produceTransactional(ALONE, PRODUCER, (short) 0, 1, "b");
        PartitionLog log = node.log(ALONE);
        assertThat(log.lastStableOffset()).as("held at the open transaction's first record").isZero();

        WriteMarkersResponse.Partition answer = single(write(marker(PRODUCER, 0, 0, true, ALONE)));

        assertThat(answer.errorCode()).isNull();
        assertThat(answer.offset()).isEqualTo(2);
        assertThat(log.highWatermark()).isEqualTo(3);
        assertThat(log.lastStableOffset()).isEqualTo(3);
        assertThat(log.abortedTxns()).isEmpty();
        LogReadResult committedRead = log.read(0, 1 << 20, FetchIsolation.TXN_COMMITTED, true);
        assertThat(committedRead.nextFetchOffset()).isEqualTo(3);
        assertThat(committedRead.abortedTxns()).isEmpty();
    }

    @Test
    void anAbortMarkerNamesTheTransactionAmongTheAbortedOnesOfACommittedRead() {
        node.produceTransactional(ALONE, PRODUCER, (short) 0, 0, "a");

        WriteMarkersResponse.Partition answer = single(write(marker(PRODUCER, 0, 0, false, ALONE)));

        assertThat(answer.errorCode()).isNull();
        assertThat(answer.offset()).isEqualTo(1);
        PartitionLog log = node.log(ALONE);
        assertThat(log.lastStableOffset()).isEqualTo(2);
        AbortedTxn aborted = new AbortedTxn(PRODUCER, 0, 1, 2);
        assertThat(log.abortedTxns()).containsExactly(aborted);
        assertThat(log.read(0, 1 << 20, FetchIsolation.TXN_COMMITTED, true).abortedTxns()).containsExactly(aborted);
    }

    @Test
    void aPartitionThisNodeDoesNotLeadOrAtAnotherLeaderEpochIsRefusedAloneAndWritesNothing() {
        node.produceTransactional(ALONE, PRODUCER, (short) 0, 0, "a");
        WriteMarkersRequest.Marker onBoth = marker(PRODUCER, 0, 0, true, FOLLOWED, ALONE);
        WriteMarkersRequest.Marker stale = new WriteMarkersRequest.Marker(PRODUCER, (short) 0, 0, true,
                List.of(new WriteMarkersRequest.Partition(ALONE.topic(), ALONE.partition(), EPOCH - 1),
                        new WriteMarkersRequest.Partition(ALONE.topic(), ALONE.partition(), EPOCH + 1)));

        WriteMarkersResponse response = write(stale, onBoth);

        assertThat(response.markers()).hasSize(2);
        assertThat(response.markers().getFirst().partitions()).extracting(WriteMarkersResponse.Partition::errorCode)
                .containsExactly(ErrorCode.FENCED_LEADER_EPOCH, ErrorCode.UNKNOWN_LEADER_EPOCH);
        List<WriteMarkersResponse.Partition> second = response.markers().get(1).partitions();
        assertThat(second).extracting(WriteMarkersResponse.Partition::partition).containsExactly(1, 0);
        assertThat(second).extracting(WriteMarkersResponse.Partition::errorCode)
                .containsExactly(ErrorCode.NOT_LEADER, null);
        assertThat(second.get(1).offset()).as("the one marker written, after the refused ones").isEqualTo(1);
        assertThat(node.log(FOLLOWED).logEndOffset()).isZero();
        assertThat(node.log(ALONE).logEndOffset()).isEqualTo(2);
    }

    @Test
    void anOlderProducerEpochOrAnOlderCoordinatorEpochIsRefusedAndWritesNothing() {
        node.produceTransactional(ALONE, PRODUCER, (short) 1, 0, "first");
        assertThat(single(write(marker(PRODUCER, 1, 5, true, ALONE))).errorCode()).isNull();
        node.produceTransactional(ALONE, PRODUCER, (short) 1, 1, "second");
        PartitionLog log = node.log(ALONE);
        long end = log.logEndOffset();

        WriteMarkersResponse.Partition olderProducer = single(write(marker(PRODUCER, 0, 5, false, ALONE)));
        WriteMarkersResponse.Partition olderCoordinator = single(write(marker(PRODUCER, 1, 4, false, ALONE)));

        assertThat(olderProducer.errorCode()).isEqualTo(ErrorCode.INVALID_PRODUCER_EPOCH);
        assertThat(olderCoordinator.errorCode()).isEqualTo(ErrorCode.TRANSACTION_COORDINATOR_FENCED);
        assertThat(olderProducer.offset()).isNull();
        assertThat(log.logEndOffset()).isEqualTo(end);
        assertThat(log.lastStableOffset()).as("the second transaction is still open").isEqualTo(2);
        assertThat(log.abortedTxns()).isEmpty();
    }

    @Test
    void anIsrBelowMinInsyncReplicasIsRefusedBeforeAnythingIsWritten() {
        WriteMarkersResponse.Partition answer = single(write(marker(PRODUCER, 0, 0, true, TOO_FEW)));

        assertThat(answer.errorCode()).isEqualTo(ErrorCode.NOT_ENOUGH_REPLICAS);
        assertThat(node.log(TOO_FEW).logEndOffset()).isZero();
    }

    @Test
    void aMarkerTheInSyncFollowersDoNotConfirmIsAnsweredRequestTimedOutAfterTheRequestsTimeout() {
        node.produceTransactional(WAITING, PRODUCER, (short) 0, 0, "a");

        WriteMarkersResponse.Partition answer = single(node.markers.writeMarkers(new WriteMarkersRequest(300,
                List.of(marker(PRODUCER, 0, 0, true, WAITING)))).block(Duration.ofSeconds(30)));

        assertThat(answer.errorCode()).isEqualTo(ErrorCode.REQUEST_TIMED_OUT);
        PartitionLog log = node.log(WAITING);
        assertThat(log.logEndOffset()).as("written, not committed").isEqualTo(2);
        assertThat(log.highWatermark()).isZero();
        assertThat(log.lastStableOffset()).isZero();
    }

    private WriteMarkersResponse write(WriteMarkersRequest.Marker... markers) {
        return node.markers.writeMarkers(new WriteMarkersRequest(30_000, List.of(markers)))
                .block(Duration.ofSeconds(30));
    }

    private static WriteMarkersResponse.Partition single(WriteMarkersResponse response) {
        assertThat(response.markers()).hasSize(1);
        assertThat(response.markers().getFirst().partitions()).hasSize(1);
        return response.markers().getFirst().partitions().getFirst();
    }
}

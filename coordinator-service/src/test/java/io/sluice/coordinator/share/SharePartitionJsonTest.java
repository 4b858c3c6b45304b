package io.sluice.coordinator.share;

import static io.sluice.internal.share.AcknowledgeType.ACCEPT;
import static io.sluice.internal.share.AcknowledgeType.REJECT;
import static io.sluice.internal.share.AcknowledgeType.RELEASE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.internal.share.AcknowledgeType;
import io.sluice.internal.share.RecordState;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The stored form of a share-partition: it reads back as the same state, stays small, and refuses corruption. */
class SharePartitionJsonTest {

    private static final ShareLimits LIMITS = new ShareLimits(2_000, 3, Duration.ofSeconds(30));
    private static final long NOW = 1_700_000_000_000L;

    /** A window with every state, a gap, a redelivery, an expired lock and an acknowledged record behind a held one. */
    private static SharePartition everyKindOfRecord() {
        SharePartition partition = SharePartition.startingAt(40, LIMITS);
        partition.acquire("worker-1", 3, LogSlice.of(40, 50, 40, 41, 42, 44, 45, 46, 47, 48), NOW);
        partition.acquire("worker-2", 3, LogSlice.of(40, 50, 40, 41, 42, 44, 45, 46, 47, 48), NOW + 1);
        partition.acknowledge("worker-2", List.of(Acknowledgement.range(44, 44, ACCEPT),
                Acknowledgement.range(45, 45, REJECT), Acknowledgement.range(46, 46, RELEASE)), NOW + 2);
        partition.acknowledge("worker-1", List.of(Acknowledgement.range(41, 41, RELEASE)), NOW + 3);
        partition.acquire("worker-3", 1, LogSlice.empty(47), NOW + 4);
        partition.expire(NOW + 30_001);
        return partition;
    }

    private static void assertSameState(SharePartition read, SharePartition written) {
        assertThat(read.startOffset()).isEqualTo(written.startOffset());
        assertThat(read.endOffset()).isEqualTo(written.endOffset());
        assertThat(read.nextAcquisitionId()).isEqualTo(written.nextAcquisitionId());
        assertThat(read.inFlightRecords()).isEqualTo(written.inFlightRecords());
    }

    @Test
    void aStateReadsBackAsTheSameStateAndBehavesTheSame() {
        SharePartition written = everyKindOfRecord();
        assertThat(written.inFlightRecords()).extracting(InFlightRecord::state).contains(RecordState.values());

        SharePartition read = SharePartitionJson.read(SharePartitionJson.write(written), LIMITS);

        assertSameState(read, written);
        LogSlice log = LogSlice.of(47, 52, 47, 48, 50, 51);
        assertThat(read.acquire("worker-4", 10, log, NOW + 40_000))
                .isEqualTo(written.acquire("worker-4", 10, log, NOW + 40_000));
        assertThat(read.acknowledge("worker-4", List.of(Acknowledgement.range(40, 51, ACCEPT)), NOW + 40_001))
                .isEqualTo(written.acknowledge("worker-4", List.of(Acknowledgement.range(40, 51, ACCEPT)), NOW + 40_001));
        assertSameState(read, written);
    }

    @Test
    void recordsTakenTogetherAreStoredAsOneRun() {
        SharePartition partition = SharePartition.startingAt(0, LIMITS);
        partition.acquire("worker-1", 2_000, LogSlice.dense(0, 2_000), NOW);

        String document = SharePartitionJson.write(partition);

        assertThat(document).isEqualTo("{\"version\":1,\"start_offset\":0,\"end_offset\":2000,"
                + "\"next_acquisition_id\":2000,\"runs\":[[0,2000,\"ACQUIRED\",1,\"worker-1\",0,1700000030000,false]]}");
        assertSameState(SharePartitionJson.read(document, LIMITS), partition);
    }

    @Test
    void anEmptyWindowReadsBack() {
        SharePartition partition = SharePartition.startingAt(7, LIMITS);

        assertSameState(SharePartitionJson.read(SharePartitionJson.write(partition), LIMITS), partition);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "not json",
            "{\"version\":2,\"start_offset\":0,\"end_offset\":0,\"next_acquisition_id\":0,\"runs\":[]}",
            "{\"version\":1,\"start_offset\":5,\"end_offset\":4,\"next_acquisition_id\":0,\"runs\":[]}",
            "{\"version\":1,\"start_offset\":0,\"end_offset\":4,\"next_acquisition_id\":9,"
                    + "\"runs\":[[0,0,\"ACQUIRED\",1,\"w\",0,1,false]]}",
            "{\"version\":1,\"start_offset\":0,\"end_offset\":4,\"next_acquisition_id\":9,"
                    + "\"runs\":[[2,3,\"ACQUIRED\",1,\"w\",0,1,false]]}",
            "{\"version\":1,\"start_offset\":0,\"end_offset\":4,\"next_acquisition_id\":9,"
                    + "\"runs\":[[0,2,\"ACQUIRED\",1,\"w\",0,1,false],[1,1,\"ACQUIRED\",1,\"w\",5,1,false]]}",
            "{\"version\":1,\"start_offset\":0,\"end_offset\":4,\"next_acquisition_id\":9,"
                    + "\"runs\":[[0,1,\"ACQUIRED\",1,\"w\",3,1,false],[1,1,\"ACQUIRED\",1,\"w\",3,1,false]]}",
            "{\"version\":1,\"start_offset\":0,\"end_offset\":4,\"next_acquisition_id\":2,"
                    + "\"runs\":[[0,1,\"ACQUIRED\",1,\"w\",2,1,false]]}",
            "{\"version\":1,\"start_offset\":0,\"end_offset\":4,\"next_acquisition_id\":9,"
                    + "\"runs\":[[0,1,\"ACQUIRED\",0,\"w\",2,1,false]]}",
            "{\"version\":1,\"start_offset\":0,\"end_offset\":4,\"next_acquisition_id\":9,"
                    + "\"runs\":[[0,1,\"HELD\",1,\"w\",2,1,false]]}",
            "{\"version\":1,\"start_offset\":0,\"end_offset\":4,\"next_acquisition_id\":9,"
                    + "\"runs\":[[0,1,\"ACQUIRED\",1,null,2,1,false]]}"})
    void aCorruptDocumentIsRefusedWithTheFaultNamed(String document) {
        assertThatThrownBy(() -> SharePartitionJson.read(document, LIMITS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Corrupt share-partition state: ");
    }
}

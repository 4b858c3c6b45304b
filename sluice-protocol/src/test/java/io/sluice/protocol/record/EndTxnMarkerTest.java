package io.sluice.protocol.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.EndTransactionMarker;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.junit.jupiter.api.Test;

/** Transaction markers read back as written, and as Kafka's own record classes read them. */
class EndTxnMarkerTest {

    @Test
    void aMarkerReadsBackAsWritten() {
        for (boolean commit : new boolean[] {true, false}) {
            RecordBatch batch = RecordBatch.readFrom(new EndTxnMarker(commit, 7).toBatch(42L, (short) 3, 1_000L));
            assertThat(batch.isControlBatch()).isTrue();
            assertThat(batch.isTransactional()).isTrue();
            assertThat(batch.producerId()).isEqualTo(42L);
            assertThat(batch.producerEpoch()).isEqualTo((short) 3);
            assertThat(EndTxnMarker.of(batch)).isEqualTo(new EndTxnMarker(commit, 7));
        }
    }

    @Test
    void kafkaReadsTheMarkerItsConsumersSkip() {
        ByteBuffer bytes = new EndTxnMarker(false, 9).toBatch(5L, (short) 1, 2_000L);
        org.apache.kafka.common.record.internal.RecordBatch kafka = MemoryRecords.readableRecords(bytes).batches().iterator()
                .next();
        kafka.ensureValid();
        assertThat(kafka.isControlBatch()).isTrue();
        org.apache.kafka.common.record.internal.Record record = kafka.iterator().next();
        assertThat(ControlRecordType.parse(record.key())).isEqualTo(ControlRecordType.ABORT);
        EndTransactionMarker marker = EndTransactionMarker.deserialize(record);
        assertThat(marker.coordinatorEpoch()).isEqualTo(9);
        assertThat(marker.controlType()).isEqualTo(ControlRecordType.ABORT);
    }

    @Test
    void aBatchThatIsNoMarkerIsRefused() {
        RecordBatch data = RecordBatch.readFrom(RecordBatchBuilder.of(CompressionType.NONE)
                .append(1L, null, new byte[] {1}).build());
        assertThatThrownBy(() -> EndTxnMarker.of(data)).isInstanceOf(CorruptRecordException.class);
    }
}

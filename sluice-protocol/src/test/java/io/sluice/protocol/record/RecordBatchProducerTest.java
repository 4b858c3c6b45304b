package io.sluice.protocol.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** Stamping an encoded batch with a producer after the fact, as a gateway does when it sends it. */
class RecordBatchProducerTest {

    private static ByteBuffer batch(CompressionType compression) {
        return RecordBatchBuilder.of(compression).append(1L, null, new byte[] {1}).append(2L, null, new byte[] {2})
                .build();
    }

    @Test
    void setProducerWritesTheFieldsAndKeepsTheBatchValid() {
        ByteBuffer bytes = batch(CompressionType.LZ4);
        RecordBatch batch = RecordBatch.readFrom(bytes);

        batch.setProducer(42L, (short) 3, 7);

        RecordBatch read = RecordBatch.readFrom(bytes);
        read.ensureValid();
        assertThat(read.producerId()).isEqualTo(42L);
        assertThat(read.producerEpoch()).isEqualTo((short) 3);
        assertThat(read.baseSequence()).isEqualTo(7);
        assertThat(read.lastSequence()).isEqualTo(8);
        assertThat(read.records()).hasSize(2);
    }

    @Test
    void producerIdAtReadsTheHeaderAtThePosition() {
        ByteBuffer plain = batch(CompressionType.NONE);
        assertThat(RecordBatch.producerIdAt(plain)).isEqualTo(RecordBatch.NO_PRODUCER_ID);

        RecordBatch.readFrom(plain).setProducer(5L, (short) 0, 0);
        ByteBuffer shifted = ByteBuffer.allocate(3 + plain.remaining()).position(3).put(plain.duplicate())
                .position(3);

        assertThat(RecordBatch.producerIdAt(shifted)).isEqualTo(5L);
        assertThat(RecordBatch.producerIdAt(ByteBuffer.allocate(10))).isEqualTo(RecordBatch.NO_PRODUCER_ID);
    }
}

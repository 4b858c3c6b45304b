package io.sluice.protocol.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.apache.kafka.common.utils.internals.ByteUtils;

/** Zig-zag varints are byte-identical to Kafka's, sized exactly, and read back; over-long ones are corruption. */
class VarintsProperties {

    @Property(tries = 1000)
    void varintBytesEqualKafkasAndReadBack(@ForAll int value) {
        GrowableBuffer out = new GrowableBuffer(8);
        Varints.writeVarint(value, out);
        ByteBuffer ours = out.asByteBuffer();
        ByteBuffer kafkas = ByteBuffer.allocate(5);
        ByteUtils.writeVarint(value, kafkas);

        assertThat(ours).isEqualTo(kafkas.flip());
        assertThat(Varints.sizeOfVarint(value)).isEqualTo(ours.remaining()).isEqualTo(ByteUtils.sizeOfVarint(value));
        assertThat(Varints.readVarint(ours.duplicate())).isEqualTo(value);
    }

    @Property(tries = 1000)
    void varlongBytesEqualKafkasAndReadBack(@ForAll long value) {
        GrowableBuffer out = new GrowableBuffer(16);
        Varints.writeVarlong(value, out);
        ByteBuffer ours = out.asByteBuffer();
        ByteBuffer kafkas = ByteBuffer.allocate(10);
        ByteUtils.writeVarlong(value, kafkas);

        assertThat(ours).isEqualTo(kafkas.flip());
        assertThat(Varints.sizeOfVarlong(value)).isEqualTo(ours.remaining()).isEqualTo(ByteUtils.sizeOfVarlong(value));
        assertThat(Varints.readVarlong(ours.duplicate())).isEqualTo(value);
    }

    @Example
    void aVarintOfSixBytesOrAVarlongOfElevenIsCorruption() {
        ByteBuffer sixBytes = ByteBuffer.wrap(new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 1});
        ByteBuffer elevenBytes = ByteBuffer.allocate(11);
        for (int i = 0; i < 10; i++) {
            elevenBytes.put(i, (byte) 0x80);
        }
        elevenBytes.put(10, (byte) 1);

        assertThatThrownBy(() -> Varints.readVarint(sixBytes)).isExactlyInstanceOf(CorruptRecordException.class);
        assertThatThrownBy(() -> Varints.readVarlong(elevenBytes)).isExactlyInstanceOf(CorruptRecordException.class);
    }

    @Example
    void aVarintCutShortIsCorruption() {
        assertThatThrownBy(() -> Varints.readVarint(ByteBuffer.wrap(new byte[] {(byte) 0x80})))
                .isExactlyInstanceOf(CorruptRecordException.class);
        assertThatThrownBy(() -> Varints.readVarlong(ByteBuffer.allocate(0)))
                .isExactlyInstanceOf(CorruptRecordException.class);
    }
}

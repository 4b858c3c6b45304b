package io.sluice.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.protocol.schema.SchemaType;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Confluent's wire format: magic byte, big-endian id, Protobuf message indexes, payload. */
class WireFormatTest {

    static final byte[] PAYLOAD = {10, 20, 30};

    @Test
    void anAvroValueIsMagicByteIdThenPayload() {
        byte[] value = WireFormat.encode(0x01020304, SchemaType.AVRO, List.of(), PAYLOAD);

        assertThat(value).containsExactly(0, 1, 2, 3, 4, 10, 20, 30);
        WirePayload decoded = WireFormat.decode(ByteBuffer.wrap(value), SchemaType.AVRO);
        assertThat(decoded.schemaId()).isEqualTo(0x01020304);
        assertThat(decoded.messageIndexes()).isEmpty();
        assertThat(bytes(decoded.payload())).containsExactly(PAYLOAD);
    }

    @Test
    void theFirstProtobufMessageIsTheSingleByteZero() {
        byte[] first = WireFormat.encode(7, SchemaType.PROTOBUF, List.of(0), PAYLOAD);
        byte[] defaulted = WireFormat.encode(7, SchemaType.PROTOBUF, List.of(), PAYLOAD);

        assertThat(first).containsExactly(0, 0, 0, 0, 7, 0, 10, 20, 30).isEqualTo(defaulted);
        assertThat(WireFormat.decode(ByteBuffer.wrap(first), SchemaType.PROTOBUF).messageIndexes())
                .containsExactly(0);
    }

    @Test
    void otherProtobufIndexesAreAZigZagCountThenZigZagIndexes() {
        byte[] value = WireFormat.encode(7, SchemaType.PROTOBUF, List.of(1, 0, 64), PAYLOAD);

        // count 3 -> 6; 1 -> 2; 0 -> 0; 64 -> 128 = 0x80 0x01.
        assertThat(value).containsExactly(0, 0, 0, 0, 7, 6, 2, 0, 0x80, 0x01, 10, 20, 30);
        WirePayload decoded = WireFormat.decode(ByteBuffer.wrap(value), SchemaType.PROTOBUF);
        assertThat(decoded.messageIndexes()).containsExactly(1, 0, 64);
        assertThat(bytes(decoded.payload())).containsExactly(PAYLOAD);
    }

    @Test
    void theSchemaIdIsReadWithoutMovingTheBuffer() {
        ByteBuffer value = ByteBuffer.wrap(WireFormat.encode(-2, SchemaType.JSON, List.of(), PAYLOAD));

        assertThat(WireFormat.schemaId(value)).isEqualTo(-2);
        assertThat(value.position()).isZero();
    }

    @Test
    void aValueShorterThanTheHeaderIsRefused() {
        assertThatThrownBy(() -> WireFormat.schemaId(ByteBuffer.wrap(new byte[] {0, 0, 0, 1})))
                .isInstanceOf(InvalidPayloadException.class)
                .hasMessageContaining("4 bytes long");
        assertThatThrownBy(() -> WireFormat.decode(ByteBuffer.allocate(0), SchemaType.AVRO))
                .isInstanceOf(InvalidPayloadException.class);
    }

    @Test
    void anotherMagicByteIsRefused() {
        assertThatThrownBy(() -> WireFormat.decode(ByteBuffer.wrap(new byte[] {'{', '"', 'a', '"', ':', '1'}),
                SchemaType.JSON))
                .isInstanceOf(InvalidPayloadException.class)
                .hasMessageContaining("magic byte");
    }

    @Test
    void indexesCutShortOrImpossibleAreRefused() {
        byte[] cut = {0, 0, 0, 0, 1, 6, 2};
        byte[] hugeCount = {0, 0, 0, 0, 1, (byte) 0xfe, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07};
        byte[] negativeCount = {0, 0, 0, 0, 1, 1};
        byte[] negativeIndex = {0, 0, 0, 0, 1, 2, 1};

        for (byte[] value : List.of(cut, hugeCount, negativeCount, negativeIndex)) {
            assertThatThrownBy(() -> WireFormat.decode(ByteBuffer.wrap(value), SchemaType.PROTOBUF))
                    .isInstanceOf(InvalidPayloadException.class);
        }
    }

    @Test
    void indexesForAvroOrNegativeIndexesAreACallersMistake() {
        assertThatThrownBy(() -> WireFormat.encode(1, SchemaType.AVRO, List.of(1), PAYLOAD))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WireFormat.encode(1, SchemaType.PROTOBUF, List.of(-1), PAYLOAD))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void decodingAValueInsideALargerBufferStartsAtItsPosition() {
        byte[] value = WireFormat.encode(9, SchemaType.PROTOBUF, List.of(2), PAYLOAD);
        ByteBuffer buffer = ByteBuffer.allocate(value.length + 3);
        buffer.position(3);
        buffer.put(value).position(3);

        WirePayload decoded = WireFormat.decode(buffer, SchemaType.PROTOBUF);

        assertThat(decoded.schemaId()).isEqualTo(9);
        assertThat(decoded.messageIndexes()).containsExactly(2);
        assertThat(bytes(decoded.payload())).containsExactly(PAYLOAD);
        assertThat(buffer.position()).isEqualTo(3);
    }

    static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}

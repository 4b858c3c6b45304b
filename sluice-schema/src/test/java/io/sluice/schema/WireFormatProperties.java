package io.sluice.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.protocol.schema.SchemaType;
import java.nio.ByteBuffer;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Any id, index list and payload reads back as written; the [0] shorthand is the only short form. */
class WireFormatProperties {

    @Property(tries = 1000)
    void protobufValuesReadBackAsWritten(@ForAll int schemaId,
            @ForAll @Size(min = 1, max = 8) List<@IntRange(min = 0, max = Integer.MAX_VALUE) Integer> indexes,
            @ForAll @Size(max = 64) byte[] payload) {
        byte[] value = WireFormat.encode(schemaId, SchemaType.PROTOBUF, indexes, payload);

        WirePayload decoded = WireFormat.decode(ByteBuffer.wrap(value), SchemaType.PROTOBUF);

        assertThat(decoded.schemaId()).isEqualTo(schemaId);
        assertThat(decoded.messageIndexes()).isEqualTo(indexes);
        assertThat(WireFormatTest.bytes(decoded.payload())).isEqualTo(payload);
        int indexBytes = value.length - WireFormat.HEADER_SIZE - payload.length;
        assertThat(indexBytes == 1).isEqualTo(indexes.equals(List.of(0)));
    }

    @Property(tries = 300)
    void avroAndJsonValuesAreHeaderThenPayload(@ForAll int schemaId, @ForAll @Size(max = 64) byte[] payload,
            @ForAll boolean json) {
        SchemaType type = json ? SchemaType.JSON : SchemaType.AVRO;
        byte[] value = WireFormat.encode(schemaId, type, List.of(), payload);

        assertThat(value).hasSize(WireFormat.HEADER_SIZE + payload.length);
        assertThat(ByteBuffer.wrap(value).getInt(1)).isEqualTo(schemaId);
        WirePayload decoded = WireFormat.decode(ByteBuffer.wrap(value), type);
        assertThat(decoded.schemaId()).isEqualTo(schemaId);
        assertThat(WireFormatTest.bytes(decoded.payload())).isEqualTo(payload);
    }
}

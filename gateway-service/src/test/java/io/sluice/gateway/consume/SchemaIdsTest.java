package io.sluice.gateway.consume;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.format.Formats;
import io.sluice.protocol.record.CompressionType;
import io.sluice.protocol.record.RecordBatchBuilder;
import io.sluice.protocol.schema.SchemaType;
import io.sluice.schema.WireFormat;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a read looks up before rendering: the distinct schema ids of the wire-format keys and values it asks for in a
 * schema's format, at or after its position — and nothing for a read that asks for none.
 */
class SchemaIdsTest {

    private static final ByteBuffer BATCHES = RecordBatchBuilder.of(CompressionType.GZIP).baseOffset(10)
            .append(1, wire(9), wire(7))
            .append(1, null, wire(8))
            .append(1, "k".getBytes(StandardCharsets.UTF_8), "{\"plain\": true}".getBytes(StandardCharsets.UTF_8))
            .append(1, null, null)
            .append(1, null, wire(7))
            .build();

    @Test
    void theIdsOfTheHalvesAskedForInASchemasFormatAreLookedUp() {
        assertThat(RecordRenderer.schemaIds(BATCHES, 0, Formats.of(null, null, "avro", null)))
                .containsExactlyInAnyOrder(7, 8);
        assertThat(RecordRenderer.schemaIds(BATCHES, 0, Formats.of(null, "protobuf", null, null))).containsExactly(9);
        assertThat(RecordRenderer.schemaIds(BATCHES, 0, Formats.of("json_schema", null, null, null)))
                .containsExactlyInAnyOrder(7, 8, 9);
    }

    @Test
    void recordsBeforeThePositionAreNotLookedUp() {
        assertThat(RecordRenderer.schemaIds(BATCHES, 11, Formats.of(null, "avro", "avro", null)))
                .containsExactlyInAnyOrder(7, 8);
    }

    @Test
    void aReadInPlainFormatsLooksNothingUp() {
        assertThat(RecordRenderer.schemaIds(BATCHES, 0, Formats.DEFAULT)).isEmpty();
        assertThat(RecordRenderer.schemaIds(BATCHES, 0, Formats.of("binary", null, null, "binary"))).isEmpty();
    }

    private static byte[] wire(int id) {
        return WireFormat.encode(id, SchemaType.JSON, List.of(), "{}".getBytes(StandardCharsets.UTF_8));
    }
}

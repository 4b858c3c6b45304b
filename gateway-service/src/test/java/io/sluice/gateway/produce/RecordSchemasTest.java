package io.sluice.gateway.produce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.gateway.format.Formats;
import io.sluice.gateway.format.RecordFormat;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import io.sluice.protocol.schema.SchemaType;
import io.sluice.schema.ParsedSchema;
import io.sluice.schema.Schemas;
import io.sluice.schema.WireFormat;
import io.sluice.schema.WirePayload;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A produce's keys and values given as JSON become their schema's binary form in Confluent's wire format; a value the
 * schema does not take refuses its record, naming it; a schema and a format that contradict each other refuse the
 * request.
 */
class RecordSchemasTest {

    private static final ParsedSchema ORDER = Schemas.parse(SchemaType.AVRO, """
            {"type": "record", "name": "Order", "fields": [{"name": "id", "type": "string"}]}""");
    private static final ParsedSchema MESSAGES = Schemas.parse(SchemaType.PROTOBUF, """
            syntax = "proto3";
            package demo;
            message Order { string id = 1; }
            message Refund { string order_id = 1; }
            """);

    @Test
    void aValueIsWrittenAsMagicByteSchemaIdAndPayload() {
        RecordSchemas.Writer writer = new RecordSchemas.Writer("value", 42, ORDER, List.of());

        byte[] stored = writer.write(json("{\"id\": \"o-1\"}"), 0);

        ByteBuffer buffer = ByteBuffer.wrap(stored);
        assertThat(stored[0]).isEqualTo(WireFormat.MAGIC);
        assertThat(buffer.getInt(1)).isEqualTo(42);
        WirePayload payload = WireFormat.decode(buffer, SchemaType.AVRO);
        assertThat(ORDER.toJson(payload.payload(), payload.messageIndexes())).isEqualTo("{\"id\":\"o-1\"}");
    }

    @Test
    void aProtobufValueCarriesTheIndexesOfTheMessageNamed() {
        List<Integer> refund = MESSAGES.messageIndexes("Refund");
        RecordSchemas.Writer writer = new RecordSchemas.Writer("value", 5, MESSAGES, refund);

        WirePayload payload = WireFormat.decode(ByteBuffer.wrap(writer.write(json("{\"orderId\": \"o-1\"}"), 0)),
                SchemaType.PROTOBUF);

        assertThat(refund).containsExactly(1);
        assertThat(payload.messageIndexes()).containsExactly(1);
        assertThat(MESSAGES.toJson(payload.payload(), payload.messageIndexes())).contains("\"orderId\":\"o-1\"");
    }

    @Test
    void aRecordWhoseJsonDoesNotFitIsRefusedNamingIt() {
        RecordSchemas.Conversion conversion = new RecordSchemas.Conversion(null,
                new RecordSchemas.Writer("value", 42, ORDER, List.of()));
        List<ProduceRecord> records = List.of(record("{\"id\": \"o-1\"}"), record("{\"id\": 17}"));

        assertThatThrownBy(() -> conversion.apply(records))
                .isInstanceOfSatisfying(SluiceException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_RECORD))
                .hasMessageContaining("The value of record 1 does not fit schema 42 (AVRO)");
    }

    @Test
    void aNullValueStaysNullAndTheOtherHalfIsLeftAsItIs() {
        RecordSchemas.Conversion conversion = new RecordSchemas.Conversion(null,
                new RecordSchemas.Writer("value", 42, ORDER, List.of()));
        ProduceRecord tombstone = new ProduceRecord(null, "\"k\"".getBytes(StandardCharsets.UTF_8), null, List.of(), 1);

        ProduceRecord converted = conversion.apply(tombstone, 0);

        assertThat(converted.value()).isNull();
        assertThat(converted.key()).isEqualTo(tombstone.key());
        assertThat(RecordSchemas.Conversion.NONE.apply(List.of(tombstone))).containsExactly(tombstone);
    }

    @Test
    void aHalfWithASchemaIsParsedAsJsonAndAConflictingFormatIsRefused() {
        SchemaChoice byId = SchemaChoice.of("value", 42, null, null, null);

        Formats parsing = new RecordWriting(Formats.of(null, "string", "avro", null), SchemaChoice.none("key"), byId)
                .parsing();

        assertThat(parsing.keys()).isEqualTo(RecordFormat.STRING);
        assertThat(parsing.values()).isEqualTo(RecordFormat.JSON);
        assertThatThrownBy(() -> new RecordWriting(Formats.of("binary", null, null, null), SchemaChoice.none("key"),
                byId).parsing()).hasMessageContaining("The value format binary conflicts with value_schema_id 42");
        assertThatThrownBy(() -> new RecordWriting(Formats.of(null, null, "protobuf", null), SchemaChoice.none("key"),
                SchemaChoice.none("value")).parsing()).hasMessageContaining("needs a schema");
    }

    @Test
    void aSubjectsVersionIsLatestUnlessNamed() {
        assertThat(SchemaChoice.of("value", null, "orders-value", null, null).version()).isNull();
        assertThat(SchemaChoice.of("value", null, "orders-value", "latest", null).version()).isNull();
        assertThat(SchemaChoice.of("value", null, "orders-value", "3", null).version()).isEqualTo(3);
        assertThatThrownBy(() -> SchemaChoice.of("key", null, null, null, "Refund"))
                .hasMessageContaining("key_message needs key_schema_id or key_subject");
    }

    private static ProduceRecord record(String value) {
        return new ProduceRecord(null, null, json(value), List.of(), 1);
    }

    private static byte[] json(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}

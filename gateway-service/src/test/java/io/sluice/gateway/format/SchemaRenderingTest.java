package io.sluice.gateway.format;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.protocol.schema.SchemaType;
import io.sluice.schema.ParsedSchema;
import io.sluice.schema.Schemas;
import io.sluice.schema.WireFormat;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.json.JsonMapper;

/**
 * A value asked for in a schema's format is decoded with the schema its wire-format id names, and tagged with the
 * format and the id; anything else falls back as under json (json, string, binary), never failing the read.
 */
class SchemaRenderingTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    static final ParsedSchema ORDER_AVRO = Schemas.parse(SchemaType.AVRO, """
            {"type": "record", "name": "Order", "fields": [
              {"name": "id", "type": "string"},
              {"name": "note", "type": ["null", "string"], "default": null}]}""");
    static final ParsedSchema ORDER_PROTO = Schemas.parse(SchemaType.PROTOBUF, """
            syntax = "proto3";
            package demo;
            message Order { string id = 1; int32 qty = 2; }
            message Refund { string order_id = 1; }
            """);
    static final ParsedSchema ORDER_JSON = Schemas.parse(SchemaType.JSON, """
            {"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]}""");

    private static final KnownSchemas KNOWN = KnownSchemas.of(Map.of(7, ORDER_AVRO, 8, ORDER_PROTO, 9, ORDER_JSON));

    @Test
    void anAvroValueIsDecodedToAvrosJsonAndTaggedWithItsSchemaId() {
        byte[] stored = wire(7, ORDER_AVRO, List.of(), "{\"id\": \"o-1\", \"note\": {\"string\": \"gift\"}}");

        RenderedValue rendered = RecordFormat.AVRO.render(stored, JSON, KNOWN);

        assertThat(rendered.format()).isEqualTo(RecordFormat.AVRO);
        assertThat(rendered.schemaId()).isEqualTo(7);
        assertThat(JSON.writeValueAsString(rendered)).isEqualTo("{\"id\":\"o-1\",\"note\":{\"string\":\"gift\"}}");
    }

    @Test
    void aProtobufValueIsDecodedAsTheMessageItsIndexesName() {
        byte[] first = wire(8, ORDER_PROTO, List.of(), "{\"id\": \"o-1\", \"qty\": 3}");
        byte[] second = wire(8, ORDER_PROTO, List.of(1), "{\"orderId\": \"o-1\"}");

        assertThat(first[WireFormat.HEADER_SIZE]).as("[0] is written as the count 0 alone").isZero();
        assertThat(JSON.writeValueAsString(RecordFormat.PROTOBUF.render(first, JSON, KNOWN)))
                .isEqualTo("{\"id\":\"o-1\",\"qty\":3}");
        assertThat(JSON.writeValueAsString(RecordFormat.PROTOBUF.render(second, JSON, KNOWN)))
                .isEqualTo("{\"orderId\":\"o-1\"}");
    }

    @Test
    void aJsonSchemaValueIsItsJsonMadeCompact() {
        byte[] stored = wire(9, ORDER_JSON, List.of(), "{\"id\": \"o-1\"}");
        byte[] spaced = withPayload(9, "{ \"id\" :\n \"o-2\" }");

        assertThat(JSON.writeValueAsString(RecordFormat.JSON_SCHEMA.render(stored, JSON, KNOWN)))
                .isEqualTo("{\"id\":\"o-1\"}");
        assertThat(JSON.writeValueAsString(RecordFormat.JSON_SCHEMA.render(spaced, JSON, KNOWN)))
                .isEqualTo("{\"id\":\"o-2\"}");
    }

    @Test
    void aValueNotInTheWireFormatFallsBackAsUnderJson() {
        byte[] json = "{\"id\": \"o-1\"}".getBytes(StandardCharsets.UTF_8);
        byte[] text = "plain text".getBytes(StandardCharsets.UTF_8);
        byte[] bytes = {(byte) 0xff, 0x00, 0x01};

        assertThat(RecordFormat.AVRO.render(json, JSON, KNOWN).format()).isEqualTo(RecordFormat.JSON);
        assertThat(RecordFormat.AVRO.render(text, JSON, KNOWN).format()).isEqualTo(RecordFormat.STRING);
        assertThat(RecordFormat.AVRO.render(bytes, JSON, KNOWN).format()).isEqualTo(RecordFormat.BINARY);
        assertThat(RecordFormat.AVRO.render(json, JSON, KNOWN).schemaId()).isNull();
    }

    @Test
    void aValueWhoseSchemaIsUnknownOrOfAnotherTypeOrDoesNotDecodeFallsBack() {
        byte[] avro = wire(7, ORDER_AVRO, List.of(), "{\"id\": \"o-1\", \"note\": null}");
        byte[] unknownId = avro.clone();
        unknownId[4] = 99;
        byte[] truncated = Arrays.copyOf(avro, avro.length - 2);

        assertThat(RecordFormat.AVRO.render(unknownId, JSON, KNOWN).format()).isNotEqualTo(RecordFormat.AVRO);
        assertThat(RecordFormat.PROTOBUF.render(avro, JSON, KNOWN).format()).as("an Avro schema's value asked as "
                + "protobuf").isNotEqualTo(RecordFormat.PROTOBUF);
        assertThat(RecordFormat.AVRO.render(truncated, JSON, KNOWN).format()).isNotEqualTo(RecordFormat.AVRO);
        assertThat(RecordFormat.AVRO.render(avro, JSON, KnownSchemas.NONE).format()).isIn(RecordFormat.STRING,
                RecordFormat.BINARY);
    }

    @Test
    void asSchemaEachValueIsDecodedWithWhateverSchemaItsIdNamesAndTaggedWithThatSchemasFormat() {
        byte[] avro = wire(7, ORDER_AVRO, List.of(), "{\"id\": \"o-1\", \"note\": null}");
        byte[] proto = wire(8, ORDER_PROTO, List.of(), "{\"id\": \"o-2\", \"qty\": 3}");
        byte[] json = wire(9, ORDER_JSON, List.of(), "{\"id\": \"o-3\"}");
        byte[] plain = "{\"id\": \"o-4\"}".getBytes(StandardCharsets.UTF_8);

        RenderedValue fromAvro = RecordFormat.SCHEMA.render(avro, JSON, KNOWN);
        RenderedValue fromProto = RecordFormat.SCHEMA.render(proto, JSON, KNOWN);
        RenderedValue fromJson = RecordFormat.SCHEMA.render(json, JSON, KNOWN);

        assertThat(List.of(fromAvro.format(), fromProto.format(), fromJson.format()))
                .containsExactly(RecordFormat.AVRO, RecordFormat.PROTOBUF, RecordFormat.JSON_SCHEMA);
        assertThat(List.of(fromAvro.schemaId(), fromProto.schemaId(), fromJson.schemaId())).containsExactly(7, 8, 9);
        assertThat(JSON.writeValueAsString(fromProto)).isEqualTo("{\"id\":\"o-2\",\"qty\":3}");
        assertThat(RecordFormat.SCHEMA.render(plain, JSON, KNOWN).format()).as("not in the wire format")
                .isEqualTo(RecordFormat.JSON);
        assertThat(RecordFormat.SCHEMA.render(avro, JSON, KnownSchemas.NONE).schemaId()).as("an unknown id").isNull();
        assertThat(Formats.of("schema", null, null, null).anySchema()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(names = {"AVRO", "PROTOBUF", "JSON_SCHEMA", "SCHEMA"})
    void aNullValueIsNullInTheFormatAsked(RecordFormat format) {
        RenderedValue rendered = format.render(null, JSON, KNOWN);

        assertThat(rendered.isNull()).isTrue();
        assertThat(rendered.format()).isEqualTo(format);
        assertThat(rendered.schemaId()).isNull();
    }

    @Test
    void theFormatsAreNamedAsTheApiNamesThem() {
        assertThat(RecordFormat.parse("json_schema", "value_format", null)).isEqualTo(RecordFormat.JSON_SCHEMA);
        assertThat(RecordFormat.JSON_SCHEMA.wireName()).isEqualTo("json_schema");
        assertThat(RecordFormat.of(SchemaType.JSON)).isEqualTo(RecordFormat.JSON_SCHEMA);
        assertThat(Formats.of("avro", null, null, null).anySchema()).isTrue();
        assertThat(Formats.of(null, "string", null, null).anySchema()).isFalse();
    }

    static byte[] wire(int id, ParsedSchema schema, List<Integer> indexes, String json) {
        return WireFormat.encode(id, schema.type(), indexes, schema.toBinary(json, indexes));
    }

    private static byte[] withPayload(int id, String json) {
        return WireFormat.encode(id, SchemaType.JSON, List.of(), json.getBytes(StandardCharsets.UTF_8));
    }
}

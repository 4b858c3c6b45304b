package io.sluice.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.protocol.schema.ResolvedReference;
import io.sluice.protocol.schema.SchemaType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** JSON Schemas are checked against their meta-schema, compare as compact JSON, and validate payloads. */
class JsonSchemaTest {

    static final String PERSON = """
            {
              "type": "object",
              "properties": {
                "name": {"type": "string", "minLength": 1},
                "age": {"type": "integer", "minimum": 0}
              },
              "required": ["name"],
              "additionalProperties": false
            }""";

    static ParsedSchema json(String text, ResolvedReference... references) {
        return Schemas.parse(SchemaType.JSON, text, List.of(references));
    }

    static ByteBuffer utf8(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aSchemaParsesToCompactJson() {
        ParsedSchema schema = json(PERSON);

        assertThat(schema.type()).isEqualTo(SchemaType.JSON);
        assertThat(schema.canonicalString()).isEqualTo("{\"type\":\"object\",\"properties\":{\"name\":{\"type\":"
                + "\"string\",\"minLength\":1},\"age\":{\"type\":\"integer\",\"minimum\":0}},\"required\":[\"name\"],"
                + "\"additionalProperties\":false}");
        assertThat(json("true").canonicalString()).isEqualTo("true");
    }

    @Test
    void normalizeSortsKeysSoReorderedSchemasAreEqual() {
        String reordered = """
                {"additionalProperties": false, "required": ["name"],
                 "properties": {"age": {"minimum": 0, "type": "integer"}, "name": {"minLength": 1, "type": "string"}},
                 "type": "object"}""";

        assertThat(json(reordered)).isNotEqualTo(json(PERSON));
        assertThat(json(reordered).normalize()).isEqualTo(json(PERSON).normalize());
        assertThat(json(PERSON).normalize().canonicalString()).startsWith("{\"additionalProperties\":false,");
    }

    @Test
    void schemasThatBreakTheMetaSchemaAreRefusedClearly() {
        assertThatThrownBy(() -> json("{\"type\": \"strin\"}"))
                .isInstanceOf(InvalidSchemaException.class)
                .hasMessageContaining("not a valid JSON Schema").hasMessageContaining("type");
        assertThatThrownBy(() -> json("{\"minLength\": -1}"))
                .isInstanceOf(InvalidSchemaException.class).hasMessageContaining("minLength");
        assertThatThrownBy(() -> json("{\"type\": \"object\",}"))
                .isInstanceOf(InvalidSchemaException.class).hasMessageContaining("not JSON");
        assertThatThrownBy(() -> json("[1]"))
                .isInstanceOf(InvalidSchemaException.class).hasMessageContaining("object or a boolean");
        assertThatThrownBy(() -> json("{\"$schema\": \"http://example.com/mine\"}"))
                .isInstanceOf(InvalidSchemaException.class).hasMessageContaining("dialect");
    }

    @Test
    void aRefToAnotherRegisteredSchemaIsResolvedFromTheReferences() {
        ResolvedReference address = new ResolvedReference("address.json", "address-value", 1, """
                {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}""");
        String customer = """
                {"type": "object", "properties": {"home": {"$ref": "address.json"}}, "required": ["home"]}""";

        ParsedSchema schema = json(customer, address);

        schema.validate(utf8("{\"home\": {\"city\": \"Oslo\"}}"), List.of());
        assertThatThrownBy(() -> schema.validate(utf8("{\"home\": {\"town\": \"Oslo\"}}"), List.of()))
                .isInstanceOf(InvalidPayloadException.class).hasMessageContaining("city");
    }

    @Test
    void aRefRelativeToTheSchemasIdIsResolvedFromTheReferences() {
        ResolvedReference address = new ResolvedReference("address.json", "address-value", 1, """
                {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}""");
        String customer = """
                {"$id": "https://example.com/schemas/customer.json", "type": "object",
                 "properties": {"home": {"$ref": "address.json"}}}""";

        ParsedSchema schema = json(customer, address);

        assertThatThrownBy(() -> schema.validate(utf8("{\"home\": {}}"), List.of()))
                .isInstanceOf(InvalidPayloadException.class).hasMessageContaining("city");
    }

    @Test
    void aRefToAnythingButTheReferencesIsRefusedNotFetched() {
        for (String ref : List.of("missing.json", "file:///etc/passwd", "classpath:draft/2020-12/schema",
                "http://localhost:1/schema.json")) {
            assertThatThrownBy(() -> json("{\"$ref\": \"" + ref + "\"}"))
                    .isInstanceOf(InvalidSchemaException.class)
                    .hasMessage("Invalid JSON Schema: $ref '" + ref + "' is not one of the schema's references");
        }
    }

    @Test
    void aRefToAMissingDefinitionIsRefused() {
        assertThatThrownBy(() -> json("{\"properties\": {\"a\": {\"$ref\": \"#/definitions/nope\"}}}"))
                .isInstanceOf(InvalidSchemaException.class).hasMessageContaining("/definitions/nope");
    }

    @Test
    void validateAcceptsMatchingJsonAndRefusesViolationsNamingThem() {
        ParsedSchema schema = json(PERSON);

        schema.validate(utf8("{\"name\": \"Ada\", \"age\": 36}"), List.of());
        assertThatThrownBy(() -> schema.validate(utf8("{\"age\": -1}"), List.of()))
                .isInstanceOf(InvalidPayloadException.class)
                .hasMessageContaining("name").hasMessageContaining("minimum");
        assertThatThrownBy(() -> schema.validate(utf8("{\"name\": \"Ada\", \"extra\": 1}"), List.of()))
                .isInstanceOf(InvalidPayloadException.class).hasMessageContaining("extra");
    }

    @Test
    void payloadsThatAreNotOneJsonValueAreRefused() {
        ParsedSchema schema = json("true");

        assertThatThrownBy(() -> schema.validate(utf8("{\"a\": "), List.of()))
                .isInstanceOf(InvalidPayloadException.class).hasMessageContaining("not UTF-8 JSON");
        assertThatThrownBy(() -> schema.validate(utf8("1 2"), List.of()))
                .isInstanceOf(InvalidPayloadException.class);
        assertThatThrownBy(() -> schema.validate(ByteBuffer.wrap(new byte[] {'"', (byte) 0xc3, '"'}), List.of()))
                .isInstanceOf(InvalidPayloadException.class);
    }

    @Test
    void jsonToBinaryToJsonRoundTripsAndRefusesWhatTheSchemaDoesNot() {
        ParsedSchema schema = json(PERSON);
        String value = "{\"name\":\"Åsa\",\"age\":3}";

        byte[] payload = schema.toBinary(value, List.of());

        assertThat(payload).isEqualTo(value.getBytes(StandardCharsets.UTF_8));
        assertThat(schema.toJson(ByteBuffer.wrap(payload), List.of())).isEqualTo(value);
        assertThatThrownBy(() -> schema.toBinary("{\"name\": 1}", List.of()))
                .isInstanceOf(InvalidPayloadException.class).hasMessageContaining("name");
    }

    @Test
    void aDraft2020SchemaIsValidatedByItsOwnDialect() {
        ParsedSchema schema = json("""
                {"$schema": "https://json-schema.org/draft/2020-12/schema",
                 "type": "array", "prefixItems": [{"type": "string"}], "items": false}""");

        schema.validate(utf8("[\"a\"]"), List.of());
        assertThatThrownBy(() -> schema.validate(utf8("[\"a\", 1]"), List.of()))
                .isInstanceOf(InvalidPayloadException.class);
    }
}

package io.sluice.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.protocol.schema.ResolvedReference;
import io.sluice.protocol.schema.SchemaType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

/** Avro schemas parse as Avro's parser does, compare by canonical form, and check and convert payloads. */
class AvroSchemaTest {

    static final String USER = """
            {"type": "record", "name": "User", "namespace": "io.example",
             "fields": [
               {"name": "id", "type": "long"},
               {"name": "name", "type": "string", "doc": "display name"},
               {"name": "email", "type": ["null", "string"], "default": null}
             ]}""";

    static ParsedSchema avro(String text, ResolvedReference... references) {
        return Schemas.parse(SchemaType.AVRO, text, List.of(references));
    }

    @Test
    void aRecordParsesToAvrosCanonicalJsonKeepingDocAndDefaults() {
        ParsedSchema schema = avro(USER);

        assertThat(schema.type()).isEqualTo(SchemaType.AVRO);
        assertThat(schema.canonicalString()).isEqualTo(new Schema.Parser().parse(USER).toString());
        assertThat(schema.canonicalString()).contains("\"doc\":\"display name\"").contains("\"default\":null");
    }

    @Test
    void aPrimitiveSchemaParses() {
        assertThat(avro("\"string\"").canonicalString()).isEqualTo("\"string\"");
    }

    @Test
    void sameSchemaWrittenDifferentlyIsEqual() {
        String reordered = """
                {"fields": [{"type": "long", "name": "id"}, {"doc": "display name", "name": "name", "type": "string"},
                  {"default": null, "type": ["null", "string"], "name": "email"}],
                 "namespace": "io.example", "name": "User", "type": "record"}""";

        assertThat(avro(reordered)).isEqualTo(avro(USER)).hasSameHashCodeAs(avro(USER));
        assertThat(avro(USER)).isNotEqualTo(avro(USER.replace("display name", "shown name")));
    }

    @Test
    void normalizeSortsCustomPropertiesAndAliases() {
        String one = """
                {"type": "record", "name": "R", "owner": "team-a", "aliases": ["B", "A"], "color": "blue",
                 "fields": [{"name": "f", "type": "int", "z": 1, "a": 2}]}""";
        String other = """
                {"type": "record", "name": "R", "color": "blue", "aliases": ["A", "B"], "owner": "team-a",
                 "fields": [{"name": "f", "type": "int", "a": 2, "z": 1}]}""";

        assertThat(avro(one)).isNotEqualTo(avro(other));
        assertThat(avro(one).normalize()).isEqualTo(avro(other).normalize());
        assertThat(avro(one).normalize().normalize()).isEqualTo(avro(one).normalize());
    }

    @Test
    void invalidSchemasAreRefusedWithAvrosReason() {
        assertThatThrownBy(() -> avro("{\"type\": \"record\", \"name\": \"R\"}"))
                .isInstanceOf(InvalidSchemaException.class)
                .hasMessageStartingWith("Invalid Avro schema: ")
                .hasMessageContaining("fields");
        assertThatThrownBy(() -> avro("{\"type\": \"strin\"}"))
                .isInstanceOf(InvalidSchemaException.class).hasMessageContaining("MUST be a primitive type");
        assertThatThrownBy(() -> avro("""
                {"type": "record", "name": "R", "fields": [{"name": "n", "type": "int", "default": "x"}]}"""))
                .isInstanceOf(InvalidSchemaException.class).hasMessageContaining("default");
        assertThatThrownBy(() -> avro("{not json"))
                .isInstanceOf(InvalidSchemaException.class);
    }

    @Test
    void aReferenceDefinesANamedTypeTheSchemaUsesAndIsWrittenByNameInTheCanonicalForm() {
        ResolvedReference address = new ResolvedReference("io.example.Address", "address-value", 1, """
                {"type": "record", "name": "Address", "namespace": "io.example",
                 "fields": [{"name": "city", "type": "string"}]}""");
        String customer = """
                {"type": "record", "name": "Customer", "namespace": "io.example",
                 "fields": [{"name": "home", "type": "io.example.Address"}]}""";

        ParsedSchema schema = avro(customer, address);

        assertThat(schema.references()).containsExactly(address);
        assertThat(schema.canonicalString()).contains("\"type\":\"Address\"").doesNotContain("city");
        byte[] payload = schema.toBinary("{\"home\": {\"city\": \"Oslo\"}}", List.of());
        assertThat(schema.toJson(ByteBuffer.wrap(payload), List.of())).isEqualTo("{\"home\":{\"city\":\"Oslo\"}}");
        assertThat(schema.normalize()).isEqualTo(schema);
    }

    @Test
    void anEmptySchemaIsRefused() {
        assertThatThrownBy(() -> Schemas.parse(SchemaType.AVRO, " "))
                .isInstanceOf(InvalidSchemaException.class).hasMessage("The schema is empty");
    }

    @Test
    void anUnknownNamedTypeIsRefusedWithoutItsReference() {
        assertThatThrownBy(() -> avro("""
                {"type": "record", "name": "Customer", "fields": [{"name": "home", "type": "io.example.Address"}]}"""))
                .isInstanceOf(InvalidSchemaException.class)
                .hasMessageContaining("io.example.Address");
    }

    @Test
    void anInvalidReferenceIsNamedInTheError() {
        ResolvedReference broken = new ResolvedReference("io.example.Address", "address-value", 3, "{\"type\": 1}");

        assertThatThrownBy(() -> avro("\"string\"", broken))
                .isInstanceOf(InvalidSchemaException.class)
                .hasMessageContaining("'io.example.Address' (subject 'address-value' version 3)");
    }

    @Test
    void jsonToBinaryToJsonRoundTripsAndMatchesAvrosWriter() throws IOException {
        ParsedSchema schema = avro(USER);
        String json = "{\"id\":7,\"name\":\"Ada\",\"email\":{\"string\":\"ada@example.com\"}}";

        byte[] payload = schema.toBinary(json, List.of());

        Schema avro = new Schema.Parser().parse(USER);
        GenericRecord user = new GenericData.Record(avro);
        user.put("id", 7L);
        user.put("name", "Ada");
        user.put("email", "ada@example.com");
        assertThat(payload).isEqualTo(write(avro, user));
        assertThat(schema.toJson(ByteBuffer.wrap(payload), List.of())).isEqualTo(json);
    }

    @Test
    void validateAcceptsWhatAvrosWriterWritesAndLeavesTheBufferAlone() throws IOException {
        ParsedSchema schema = avro(USER);
        Schema avro = new Schema.Parser().parse(USER);
        GenericRecord user = new GenericData.Record(avro);
        user.put("id", -1L);
        user.put("name", "");
        ByteBuffer payload = ByteBuffer.wrap(write(avro, user));

        schema.validate(payload, List.of());

        assertThat(payload.position()).isZero();
    }

    @Test
    void aTruncatedPayloadIsRefused() throws IOException {
        ParsedSchema schema = avro(USER);
        byte[] payload = schema.toBinary("{\"id\":7,\"name\":\"Ada\",\"email\":null}", List.of());

        assertThatThrownBy(() -> schema.validate(ByteBuffer.wrap(Arrays.copyOf(payload, payload.length - 2)),
                List.of()))
                .isInstanceOf(InvalidPayloadException.class)
                .hasMessage("The payload is not Avro binary of schema io.example.User: "
                        + "it ends before the value does");
    }

    @Test
    void trailingBytesAreRefused() {
        ParsedSchema schema = avro(USER);
        byte[] payload = schema.toBinary("{\"id\":7,\"name\":\"Ada\",\"email\":null}", List.of());
        byte[] longer = Arrays.copyOf(payload, payload.length + 1);

        assertThatThrownBy(() -> schema.validate(ByteBuffer.wrap(longer), List.of()))
                .isInstanceOf(InvalidPayloadException.class)
                .hasMessageContaining("bytes after");
    }

    @Test
    void aBadUnionIndexIsRefused() {
        ParsedSchema schema = avro(USER);
        // id 1, name "", union branch 5 (zig-zag 10): the union has two branches.
        byte[] payload = {2, 0, 10};

        assertThatThrownBy(() -> schema.validate(ByteBuffer.wrap(payload), List.of()))
                .isInstanceOf(InvalidPayloadException.class);
    }

    @Test
    void aPayloadInTheMiddleOfALargerBufferIsReadFromItsPosition() {
        ParsedSchema schema = avro(USER);
        byte[] payload = schema.toBinary("{\"id\":7,\"name\":\"Ada\",\"email\":null}", List.of());
        ByteBuffer framed = ByteBuffer.allocate(payload.length + 8);
        framed.position(5);
        framed.put(payload);
        framed.position(5).limit(5 + payload.length);

        schema.validate(framed.slice(), List.of());
        assertThat(schema.toJson(framed, List.of())).isEqualTo("{\"id\":7,\"name\":\"Ada\",\"email\":null}");
    }

    @Test
    void jsonThatIsNotAValueOfTheSchemaIsRefusedClearly() {
        ParsedSchema schema = avro(USER);

        assertThatThrownBy(() -> schema.toBinary("{\"id\":\"seven\",\"name\":\"Ada\",\"email\":null}", List.of()))
                .isInstanceOf(InvalidPayloadException.class)
                .hasMessageContaining("io.example.User");
        assertThatThrownBy(() -> schema.toBinary("{\"id\":7}", List.of()))
                .isInstanceOf(InvalidPayloadException.class);
    }

    static byte[] write(Schema schema, Object datum) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<>(schema).write(datum, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}

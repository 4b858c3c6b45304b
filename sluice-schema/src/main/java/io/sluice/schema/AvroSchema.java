package io.sluice.schema;

import io.sluice.protocol.schema.ResolvedReference;
import io.sluice.protocol.schema.SchemaType;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.io.JsonEncoder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An Avro schema, parsed by Avro's own parser (names and defaults validated) after its references, which define the
 * named types it may use. Its canonical string is Avro's JSON form of the parsed schema, with referenced types
 * written by name, as Confluent's registry stores it.
 *
 * <p>Immutable; the datum reader and writer are built once. Avro's {@link GenericDatumReader} keeps its per-thread
 * decoding state in a thread-local, so one reader serves every thread.
 */
final class AvroSchema implements ParsedSchema {

    private final Schema schema;
    private final List<ResolvedReference> references;
    private final List<Schema> referencedSchemas;
    private final String canonical;
    private final GenericDatumReader<Object> reader;
    private final GenericDatumWriter<Object> writer;

    private AvroSchema(Schema schema, List<ResolvedReference> references, List<Schema> referencedSchemas) {
        this.schema = schema;
        this.references = references;
        this.referencedSchemas = referencedSchemas;
        this.canonical = referencedSchemas.isEmpty() ? schema.toString() : schema.toString(referencedSchemas, false);
        this.reader = new GenericDatumReader<>(schema);
        this.writer = new GenericDatumWriter<>(schema);
    }

    static AvroSchema parse(String text, List<ResolvedReference> references) {
        Schema.Parser parser = new Schema.Parser();
        List<Schema> referenced = new ArrayList<>();
        for (ResolvedReference reference : references) {
            try {
                referenced.add(parser.parse(reference.schema()));
            } catch (RuntimeException e) {
                throw new InvalidSchemaException(
                        "Reference " + reference + " is not a valid Avro schema: " + e.getMessage(), e);
            }
        }
        try {
            return new AvroSchema(parser.parse(text), references, List.copyOf(referenced));
        } catch (RuntimeException e) {
            throw new InvalidSchemaException("Invalid Avro schema: " + e.getMessage(), e);
        }
    }

    Schema avro() {
        return schema;
    }

    @Override
    public SchemaType type() {
        return SchemaType.AVRO;
    }

    @Override
    public String canonicalString() {
        return canonical;
    }

    @Override
    public List<ResolvedReference> references() {
        return references;
    }

    /**
     * Avro's JSON form already puts Avro's own keys in a fixed order whatever order the text had; what it keeps as
     * written is the order of custom properties and of aliases, which this sorts, then parses the result again.
     */
    @Override
    public AvroSchema normalize() {
        JsonNode sorted = sortedSchema(Json.read(canonical));
        return parse(Json.write(sorted), references);
    }

    private static JsonNode sortedSchema(JsonNode schema) {
        if (schema.isArray()) {
            ArrayNode union = Json.MAPPER.createArrayNode();
            schema.forEach(branch -> union.add(sortedSchema(branch)));
            return union;
        }
        if (!schema.isObject()) {
            return schema;
        }
        ObjectNode sorted = Json.MAPPER.createObjectNode();
        List<Map.Entry<String, JsonNode>> entries = new ArrayList<>(schema.properties());
        entries.sort(Map.Entry.comparingByKey());
        for (Map.Entry<String, JsonNode> entry : entries) {
            JsonNode value = entry.getValue();
            sorted.set(entry.getKey(), switch (entry.getKey()) {
                case "type", "items", "values" -> sortedSchema(value);
                case "fields" -> {
                    ArrayNode fields = Json.MAPPER.createArrayNode();
                    value.forEach(field -> fields.add(sortedSchema(field)));
                    yield fields;
                }
                case "aliases" -> {
                    List<String> aliases = new ArrayList<>();
                    value.forEach(alias -> aliases.add(alias.asString()));
                    aliases.sort(null);
                    ArrayNode array = Json.MAPPER.createArrayNode();
                    aliases.forEach(array::add);
                    yield array;
                }
                // Defaults and custom property values are data: their content stays as written.
                default -> value;
            });
        }
        return sorted;
    }

    @Override
    public List<Integer> messageIndexes(String messageName) {
        return List.of();
    }

    @Override
    public String recordName(List<Integer> messageIndexes) {
        return schema.getFullName();
    }

    @Override
    public void validate(ByteBuffer payload, List<Integer> messageIndexes) {
        read(payload);
    }

    private Object read(ByteBuffer payload) {
        Bytes bytes = Bytes.of(payload);
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes.array(), bytes.offset(), bytes.length(), null);
        Object datum;
        try {
            datum = reader.read(null, decoder);
        } catch (IOException | RuntimeException e) {
            throw new InvalidPayloadException("The payload is not Avro binary of schema " + schema.getFullName()
                    + ": " + describe(e), e);
        }
        try {
            if (!decoder.isEnd()) {
                throw new InvalidPayloadException("The payload has bytes after its Avro value of schema "
                        + schema.getFullName() + " (" + bytes.length() + " bytes in all)");
            }
        } catch (IOException e) {
            throw new InvalidPayloadException("The payload could not be read: " + describe(e), e);
        }
        return datum;
    }

    @Override
    public byte[] toBinary(String json, List<Integer> messageIndexes) {
        Object datum;
        try {
            datum = reader.read(null, DecoderFactory.get().jsonDecoder(schema, json));
        } catch (IOException | RuntimeException e) {
            throw new InvalidPayloadException("The JSON is not a value of Avro schema " + schema.getFullName()
                    + " in Avro's JSON encoding: " + describe(e), e);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        try {
            writer.write(datum, encoder);
            encoder.flush();
        } catch (IOException | RuntimeException e) {
            throw new InvalidPayloadException("The JSON value could not be written as Avro schema "
                    + schema.getFullName() + ": " + describe(e), e);
        }
        return out.toByteArray();
    }

    @Override
    public String toJson(ByteBuffer payload, List<Integer> messageIndexes) {
        Object datum = read(payload);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            JsonEncoder encoder = EncoderFactory.get().jsonEncoder(schema, out);
            writer.write(datum, encoder);
            encoder.flush();
        } catch (IOException | RuntimeException e) {
            throw new InvalidPayloadException("The Avro value could not be written as JSON: " + describe(e), e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String describe(Exception e) {
        if (e instanceof EOFException) {
            return "it ends before the value does";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AvroSchema that && canonical.equals(that.canonical)
                && references.equals(that.references);
    }

    @Override
    public int hashCode() {
        return canonical.hashCode();
    }

    @Override
    public String toString() {
        return "AVRO " + canonical;
    }
}

package io.sluice.schema;

import io.sluice.protocol.schema.ResolvedReference;
import io.sluice.protocol.schema.SchemaType;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * A schema of one of the three formats, parsed by {@link Schemas#parse}, with its references resolved; immutable and
 * safe to share between threads. Everything a record needs on its way in or out ({@link #validate}, {@link #toBinary},
 * {@link #toJson}) is prepared once, when the schema is parsed, and cached here: the validating produce path calls
 * {@link #validate} for every record.
 *
 * <p>Two parsed schemas are {@linkplain #equals equal} when they have the same type, the same
 * {@link #canonicalString()} and the same references: that is what the registry compares to find a schema already
 * registered under a subject and to give the same schema the same id. Schemas that differ only in layout (whitespace;
 * for Avro also the order of its own keys) are equal as parsed; schemas that differ in the order of things the format
 * does not order (Avro custom properties, Protobuf fields and options, JSON Schema keywords) are equal after
 * {@link #normalize()}.
 *
 * <p>Message indexes (Confluent's wire format) pick a message type of a Protobuf schema: {@code [i]} is the i-th
 * top-level message, {@code [i, j]} the j-th message nested in it; an empty list means {@code [0]}, the first. Avro and
 * JSON Schema have none: their methods ignore the list.
 */
public sealed interface ParsedSchema permits AvroSchema, ProtobufSchema, JsonSchema {

    SchemaType type();

    /**
     * The text the registry stores and compares: for Avro, Avro's JSON form of the parsed schema (doc, defaults,
     * aliases and custom properties kept, referenced types by name); for Protobuf, the .proto file re-printed from
     * the parsed elements; for JSON Schema, the JSON without insignificant whitespace.
     */
    String canonicalString();

    /** The references this schema was parsed with, in the order given. */
    List<ResolvedReference> references();

    /**
     * Confluent's {@code normalize=true}: the same schema with the order its format leaves free made canonical, so
     * that equivalent schemas written differently become equal. Avro: custom properties and aliases sorted; Protobuf:
     * imports and options sorted, fields by number, oneofs by name (message and enum definitions keep their order,
     * which message indexes refer to, and so do enum constants); JSON Schema: object keys sorted at every level.
     */
    ParsedSchema normalize();

    /**
     * The message indexes that select the Protobuf message type named {@code messageName} (full name with package, or
     * the name relative to the package); for Avro and JSON Schema, always empty.
     *
     * @throws InvalidPayloadException when this Protobuf schema declares no such message
     */
    List<Integer> messageIndexes(String messageName);

    /**
     * The full name of the record type a value of this schema is, as Confluent's RecordNameStrategy names subjects:
     * Avro's full name of the schema (a primitive's type name), the Protobuf message {@code messageIndexes} select,
     * JSON Schema's {@code title} ({@code record} without one, as Confluent's serializers name it).
     *
     * @throws InvalidPayloadException when the indexes select no Protobuf message
     */
    String recordName(List<Integer> messageIndexes);

    /**
     * Checks that {@code payload} (the bytes after Confluent's wire-format header, from its position to its limit) is
     * a value of this schema: Avro binary that decodes completely; Protobuf that parses as the indexed message, with
     * no field of a known number in the wrong wire type; for JSON Schema, UTF-8 JSON that the schema accepts. The
     * buffer's position is not moved.
     *
     * @throws InvalidPayloadException saying what is wrong
     */
    void validate(ByteBuffer payload, List<Integer> messageIndexes);

    /**
     * The binary payload for a value given as JSON, as an HTTP client sends it: Avro's JSON encoding; Protobuf's JSON
     * mapping of the indexed message; for JSON Schema, the JSON itself, once the schema accepts it.
     *
     * @throws InvalidPayloadException when the JSON is not a value of this schema
     */
    byte[] toBinary(String json, List<Integer> messageIndexes);

    /**
     * The value in {@code payload} as JSON (the inverse of {@link #toBinary}): Avro's JSON encoding, Protobuf's JSON
     * mapping, JSON Schema's payload as it is. The buffer's position is not moved.
     *
     * @throws InvalidPayloadException when the payload is not a value of this schema
     */
    String toJson(ByteBuffer payload, List<Integer> messageIndexes);
}

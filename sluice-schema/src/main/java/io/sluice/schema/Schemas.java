package io.sluice.schema;

import io.sluice.protocol.schema.ResolvedReference;
import io.sluice.protocol.schema.SchemaType;
import java.util.List;
import java.util.Objects;

/** Parses schema texts into {@link ParsedSchema}s. Stateless; any thread. */
public final class Schemas {

    private Schemas() {
    }

    /**
     * Parses {@code text} as a schema of {@code type}. {@code references} are the schema's references with their
     * texts, in dependency order: a reference may refer only to references before it in the list.
     *
     * @throws InvalidSchemaException when the text or one of the references is not a valid schema of {@code type}, or
     *     names a type, import or {@code $ref} that none of the references provides
     */
    public static ParsedSchema parse(SchemaType type, String text, List<ResolvedReference> references) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(references, "references");
        if (text == null || text.isBlank()) {
            throw new InvalidSchemaException("The schema is empty");
        }
        List<ResolvedReference> refs = List.copyOf(references);
        return switch (type) {
            case AVRO -> AvroSchema.parse(text, refs);
            case PROTOBUF -> ProtobufSchema.parse(text, refs);
            case JSON -> JsonSchema.parse(text, refs);
        };
    }

    /** {@link #parse(SchemaType, String, List)} of a schema without references. */
    public static ParsedSchema parse(SchemaType type, String text) {
        return parse(type, text, List.of());
    }
}

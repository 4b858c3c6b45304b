package io.sluice.protocol.schema;

import java.util.Objects;

/**
 * One of a schema's references, as Confluent's registry models them, with the referenced schema's text already looked
 * up by the caller.
 *
 * <p>{@code name} is how the referring schema names it: for Avro the full name of the referenced named type, for
 * Protobuf the import path ({@code "other.proto"}), for JSON Schema the {@code $ref} URI (without fragment).
 * {@code subject} and {@code version} say where the registry keeps it; {@code schema} is that version's text.
 */
public record ResolvedReference(String name, String subject, int version, String schema) {

    public ResolvedReference {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(schema, "schema");
    }

    @Override
    public String toString() {
        return "'" + name + "' (subject '" + subject + "' version " + version + ")";
    }
}

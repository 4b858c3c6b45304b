package io.sluice.internal.registry;

import io.sluice.protocol.schema.SchemaType;
import java.util.List;

/**
 * A schema as the registry keeps it under its id: its format, its text (as the registry canonicalized it when it was
 * registered) and its references. Immutable once registered: an id always names the same definition.
 */
public record SchemaDefinition(SchemaType schemaType, String schema, List<SchemaReference> references) {

    public SchemaDefinition {
        schemaType = schemaType == null ? SchemaType.AVRO : schemaType;
        references = references == null ? List.of() : List.copyOf(references);
    }
}

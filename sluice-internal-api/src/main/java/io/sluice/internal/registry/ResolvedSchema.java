package io.sluice.internal.registry;

import io.sluice.protocol.schema.ResolvedReference;
import java.util.List;

/**
 * Schema {@code id} with its references, each with the registered version's text, recursively, in dependency order (a
 * reference after those it needs): all a gateway or partition service needs to parse it, in one answer.
 */
public record ResolvedSchema(int id, SchemaDefinition schema, List<ResolvedReference> references) {

    public ResolvedSchema {
        references = references == null ? List.of() : List.copyOf(references);
    }
}

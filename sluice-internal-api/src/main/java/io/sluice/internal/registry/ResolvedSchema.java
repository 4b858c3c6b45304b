package io.sluice.internal.registry;

import java.util.List;

/**
 * Schema {@code id} with the texts of its references, recursively, in dependency order (a reference after those it
 * needs): all a gateway or partition service needs to parse it, in one answer.
 */
public record ResolvedSchema(int id, SchemaDefinition schema, List<Referenced> references) {

    public ResolvedSchema {
        references = references == null ? List.of() : List.copyOf(references);
    }

    /** One reference, named as the schema names it, with the registered version's text. */
    public record Referenced(String name, String subject, int version, String schema) {
    }
}

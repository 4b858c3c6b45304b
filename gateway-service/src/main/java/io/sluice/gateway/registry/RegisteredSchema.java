package io.sluice.gateway.registry;

import io.sluice.schema.ParsedSchema;

/** A registered schema: its id, and its definition parsed with its references. */
public record RegisteredSchema(int id, ParsedSchema schema) {
}

package io.sluice.gateway.format;

import io.sluice.schema.ParsedSchema;
import java.util.Map;

/**
 * The registered schemas a rendering may decode with, looked up before it starts: rendering is synchronous, the
 * registry is not, so a reader resolves the schema ids of what it fetched first and renders with what was found.
 */
@FunctionalInterface
public interface KnownSchemas {

    /** No schema: every wire-format value falls back. */
    KnownSchemas NONE = id -> null;

    /** Schema {@code id}, parsed; null when it is not known (not registered, or not found in time). */
    ParsedSchema schema(int id);

    static KnownSchemas of(Map<Integer, ParsedSchema> schemas) {
        return schemas.isEmpty() ? NONE : schemas::get;
    }
}

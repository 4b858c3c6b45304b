package io.sluice.protocol.schema;

import io.sluice.protocol.ErrorCode;
import java.util.Locale;

/**
 * The three schema formats of the schema registry, under the names Confluent's registry uses on its REST API
 * ({@code "schemaType"}); a request without one means {@link #AVRO}.
 */
public enum SchemaType {
    AVRO,
    PROTOBUF,
    JSON;

    /**
     * The type named {@code name} as Confluent spells it ({@code "AVRO"}, {@code "PROTOBUF"}, {@code "JSON"}, any
     * case); {@code null} or blank is {@link #AVRO}.
     *
     * @throws io.sluice.protocol.SluiceException INVALID_SCHEMA for any other name
     */
    public static SchemaType fromName(String name) {
        if (name == null || name.isBlank()) {
            return AVRO;
        }
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException unknown) {
            throw ErrorCode.INVALID_SCHEMA.exception("Unknown schema type '" + name
                    + "': expected AVRO, PROTOBUF or JSON");
        }
    }
}

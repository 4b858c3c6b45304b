package io.sluice.gateway.produce;

import io.sluice.gateway.format.Formats;
import io.sluice.gateway.format.RecordFormat;
import io.sluice.gateway.web.QueryParameters;
import io.sluice.protocol.ErrorCode;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * How a produce writes its records: the {@link Formats}, and for keys and values the registered schema each is
 * written with, if any ({@link SchemaChoice}). A half written with a schema is given as JSON, stored as its JSON text
 * while the body is parsed ({@link #parsing}), and converted with the schema once it is looked up
 * ({@link RecordSchemas}). The query parameters set them; a body in the object form may give the same fields, which
 * win: the formats field by field, a half's schema as a whole.
 */
record RecordWriting(Formats formats, SchemaChoice keySchema, SchemaChoice valueSchema) {

    /** The query parameters (and body fields) that name schemas. */
    static final List<String> SCHEMA_PARAMETERS = List.of("key_schema_id", "key_subject", "key_schema_version",
            "key_message", "value_schema_id", "value_subject", "value_schema_version", "value_message");

    static final Set<String> PARAMETERS = Set.copyOf(SCHEMA_PARAMETERS);

    static final RecordWriting DEFAULT = new RecordWriting(Formats.DEFAULT, SchemaChoice.none("key"),
            SchemaChoice.none("value"));

    /** From a request's query, which takes {@link Formats#PARAMETERS} and {@link #PARAMETERS}. */
    static RecordWriting of(QueryParameters query) {
        return new RecordWriting(Formats.of(query), choice("key", query), choice("value", query));
    }

    private static SchemaChoice choice(String half, QueryParameters query) {
        return SchemaChoice.of(half, query.integer(half + "_schema_id"), query.text(half + "_subject"),
                query.text(half + "_schema_version"), query.text(half + "_message"));
    }

    /** The schema parameters as sent, in {@link #SCHEMA_PARAMETERS}' order (null when absent). */
    static List<String> schemaParametersAsSent(QueryParameters query) {
        return Arrays.asList(SCHEMA_PARAMETERS.stream().map(query::text).toArray(String[]::new));
    }

    /** These, with the fields of a body's envelope laid over them. */
    RecordWriting with(JsonNode envelope) {
        Formats overlaid = formats.with(text(envelope, "format"), text(envelope, "key_format"),
                text(envelope, "value_format"), text(envelope, "header_format"));
        return new RecordWriting(overlaid, choice("key", envelope, keySchema), choice("value", envelope, valueSchema));
    }

    /** These schemas, with {@code formats}. */
    RecordWriting withFormats(Formats formats) {
        return new RecordWriting(formats, keySchema, valueSchema);
    }

    /** Whether keys or values are written with a schema. */
    boolean anySchema() {
        return keySchema.given() || valueSchema.given();
    }

    /**
     * The formats the body is parsed with: a half written with a schema as {@code json} (its JSON text is converted
     * after). INVALID_REQUEST when a half has a schema and a format other than json or a schema's, or a schema's
     * format and no schema.
     */
    Formats parsing() {
        return new Formats(parsing(formats.keys(), keySchema), parsing(formats.values(), valueSchema),
                formats.headers());
    }

    private static RecordFormat parsing(RecordFormat format, SchemaChoice schema) {
        if (schema.given()) {
            if (format != RecordFormat.JSON && !format.withSchema()) {
                throw ErrorCode.INVALID_REQUEST.exception("The " + schema.half() + " format " + format.wireName()
                        + " conflicts with " + schema.named() + ": " + schema.half() + "s written with a schema are "
                        + "given as JSON (format json, schema, or the schema's own: avro, protobuf, json_schema)");
            }
            return RecordFormat.JSON;
        }
        if (format.withSchema()) {
            throw ErrorCode.INVALID_REQUEST.exception("The " + schema.half() + " format " + format.wireName()
                    + " needs a schema: give " + schema.half() + "_schema_id or " + schema.half() + "_subject");
        }
        return format;
    }

    private static SchemaChoice choice(String half, JsonNode envelope, SchemaChoice given) {
        JsonNode id = envelope.get(half + "_schema_id");
        JsonNode version = envelope.get(half + "_schema_version");
        String subject = text(envelope, half + "_subject");
        String message = text(envelope, half + "_message");
        boolean named = present(id) || present(version) || subject != null || message != null;
        if (!named) {
            return given;
        }
        return SchemaChoice.of(half, present(id) ? integer(id, half + "_schema_id") : null, subject,
                present(version) ? versionText(version, half + "_schema_version") : null, message);
    }

    private static boolean present(JsonNode node) {
        return node != null && !node.isNull();
    }

    private static Integer integer(JsonNode node, String field) {
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw ErrorCode.INVALID_REQUEST.exception(field + " must be an integer");
        }
        return node.asInt();
    }

    private static String versionText(JsonNode node, String field) {
        if (node.isString() && node.asString().equals("latest")) {
            return "latest";
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw ErrorCode.INVALID_REQUEST.exception(field + " must be an integer or \"latest\"");
        }
        return Integer.toString(node.asInt());
    }

    private static String text(JsonNode object, String field) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isString()) {
            throw ErrorCode.INVALID_REQUEST.exception(field + " must be a string");
        }
        return value.asString();
    }
}

package io.sluice.gateway.format;

import io.sluice.gateway.web.QueryParameters;
import java.util.Set;
import org.springframework.http.HttpHeaders;

/**
 * The formats of one request: keys, values and header values. {@code format} sets keys and values at once;
 * {@code key_format} and {@code value_format}, when given, win for their half; {@code header_format} (string or
 * binary) is apart, since header values are bytes, never JSON documents. Defaults: json, json, string.
 */
public record Formats(RecordFormat keys, RecordFormat values, RecordFormat headers, boolean masked) {

    public static final Formats DEFAULT = new Formats(RecordFormat.JSON, RecordFormat.JSON, RecordFormat.STRING);

    /**
     * The request header by which a reader asks for records masked by the operator's rules ({@code true}); the
     * gateway sets it itself on the reads of principals it masks (docs/api.md#masking).
     */
    public static final String MASK_HEADER = "Sluice-Mask";

    /** Formats that do not mask. */
    public Formats(RecordFormat keys, RecordFormat values, RecordFormat headers) {
        this(keys, values, headers, false);
    }

    /** Whether keys or values are asked for in a schema's format (avro, protobuf, json_schema, schema). */
    public boolean anySchema() {
        return keys.withSchema() || values.withSchema();
    }

    /** The query parameters that name formats. */
    public static final Set<String> PARAMETERS = Set.of("format", "key_format", "value_format", "header_format");

    /** From a request's query, which takes {@link #PARAMETERS}. */
    public static Formats of(QueryParameters query) {
        return of(query.text("format"), query.text("key_format"), query.text("value_format"),
                query.text("header_format"));
    }

    /** A read's formats, from its query, masked when its {@link #MASK_HEADER} asks. */
    public static Formats of(QueryParameters query, HttpHeaders request) {
        return of(query).maskedAsAsked(request);
    }

    /** These formats, masked when the request's {@link #MASK_HEADER} asks (or these already are). */
    public Formats maskedAsAsked(HttpHeaders request) {
        return maskAsked(request) && !masked ? new Formats(keys, values, headers, true) : this;
    }

    /** Whether the request's {@link #MASK_HEADER} asks for masked records. */
    public static boolean maskAsked(HttpHeaders request) {
        return "true".equalsIgnoreCase(request.getFirst(MASK_HEADER));
    }

    /** From the request's parameters (any may be null). */
    public static Formats of(String format, String keyFormat, String valueFormat, String headerFormat) {
        return DEFAULT.with(format, keyFormat, valueFormat, headerFormat);
    }

    /** These formats with the given ones (any may be null) laid over them. */
    public Formats with(String format, String keyFormat, String valueFormat, String headerFormat) {
        RecordFormat both = RecordFormat.parse(format, "format", null);
        RecordFormat key = keyFormat != null ? RecordFormat.parse(keyFormat, "key_format", null) : both != null ? both : keys;
        RecordFormat value = valueFormat != null ? RecordFormat.parse(valueFormat, "value_format", null)
                : both != null ? both : values;
        RecordFormat header = headerFormat != null ? RecordFormat.parseHeaderFormat(headerFormat, "header_format") : headers;
        return new Formats(key, value, header, masked);
    }
}

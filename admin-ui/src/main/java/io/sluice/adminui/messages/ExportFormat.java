package io.sluice.adminui.messages;

import io.sluice.adminui.gateway.GatewayViews.ConsumedRecord;
import io.sluice.adminui.gateway.GatewayViews.Header;
import io.sluice.adminui.messages.BrowseQuery.BadQuery;
import java.time.Instant;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * How an export writes records: {@code jsonl}, a record per line as the gateway's reads give it (docs/api.md), or
 * {@code csv} (RFC 4180: a header line, fields quoted when they hold a comma, a quote or a line break) with a key or
 * value as its JSON text, its string, or its base64, and the headers as a JSON array.
 */
enum ExportFormat {
    JSONL("jsonl", "application/x-ndjson"),
    CSV("csv", "text/csv");

    static final String CSV_HEADER = "topic,partition,offset,timestamp,key_format,key,value_format,value,headers\r\n";

    private final String extension;
    private final String mediaType;

    ExportFormat(String extension, String mediaType) {
        this.extension = extension;
        this.mediaType = mediaType;
    }

    static ExportFormat of(String as) {
        if (as != null) {
            for (ExportFormat format : values()) {
                if (format.extension.equals(as.strip())) {
                    return format;
                }
            }
        }
        throw new BadQuery("An export is as jsonl or csv, was '" + as + "'");
    }

    String extension() {
        return extension;
    }

    String mediaType() {
        return mediaType;
    }

    /** What the file starts with: CSV's header line. */
    String head() {
        return this == CSV ? CSV_HEADER : "";
    }

    /** {@code records}, each as one line of the file. */
    String lines(List<ConsumedRecord> records, JsonMapper json) {
        StringBuilder out = new StringBuilder(records.size() * 256);
        for (ConsumedRecord record : records) {
            if (this == JSONL) {
                out.append(json.writeValueAsString(record)).append('\n');
            } else {
                out.append(field(record.topic())).append(',').append(record.partition()).append(',')
                        .append(record.offset()).append(',').append(Instant.ofEpochMilli(record.timestamp()))
                        .append(',').append(field(record.keyFormat())).append(',').append(field(text(record.key())))
                        .append(',').append(field(record.valueFormat())).append(',')
                        .append(field(text(record.value()))).append(',').append(field(headers(record.headers(), json)))
                        .append("\r\n");
            }
        }
        return out.toString();
    }

    /** A key's or value's text: JSON as its compact text, a string or base64 as it is; empty for null. */
    private static String text(JsonNode node) {
        if (node == null || node.isNull()) {
            return "";
        }
        return node.isString() ? node.asString() : node.toString();
    }

    private static String headers(List<Header> headers, JsonMapper json) {
        return headers.isEmpty() ? "" : json.writeValueAsString(headers);
    }

    private static String field(String value) {
        if (value == null) {
            return "";
        }
        boolean quote = value.indexOf(',') >= 0 || value.indexOf('"') >= 0 || value.indexOf('\n') >= 0
                || value.indexOf('\r') >= 0;
        return quote ? '"' + value.replace("\"", "\"\"") + '"' : value;
    }
}

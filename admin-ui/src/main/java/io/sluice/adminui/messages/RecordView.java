package io.sluice.adminui.messages;

import io.sluice.adminui.gateway.GatewayViews.ConsumedRecord;
import io.sluice.adminui.gateway.GatewayViews.Header;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * A record as a page shows it: key, value and header values as text in the display asked for, each with the format
 * it was rendered in. JSON, and a value decoded with its registered schema, are pretty-printed; {@code hex} turns the
 * gateway's base64 of the stored bytes into hex.
 */
record RecordView(int partition, long offset, String timestamp, Field key, Field value, List<HeaderField> headers) {

    /**
     * A key or value: its text ({@code null} for a null key or value), its format as shown, and the id of the
     * registered schema it was decoded with (null when it was not).
     */
    public record Field(String text, String format, Integer schemaId) {

        Field(String text, String format) {
            this(text, format, null);
        }

        public boolean isNull() {
            return text == null;
        }
    }

    public record HeaderField(String key, Field value) {
    }

    public static RecordView of(ConsumedRecord record, Display display) {
        return new RecordView(record.partition(), record.offset(),
                Instant.ofEpochMilli(record.timestamp()).toString(),
                field(record.key(), record.keyFormat(), record.keySchemaId(), display),
                field(record.value(), record.valueFormat(), record.valueSchemaId(), display),
                record.headers().stream().map(h -> header(h, display)).toList());
    }

    private static HeaderField header(Header header, Display display) {
        return new HeaderField(header.key(), field(header.value(), header.valueFormat(), null, display));
    }

    static Field field(JsonNode node, String format, Integer schemaId, Display display) {
        if (node == null || node.isNull()) {
            return new Field(null, format);
        }
        if ("json".equals(format) || schemaId != null) {
            return new Field(node.isContainer() ? node.toPrettyString() : node.toString(), format, schemaId);
        }
        if ("binary".equals(format) && display == Display.HEX) {
            return new Field(HexFormat.ofDelimiter(" ").formatHex(Base64.getDecoder().decode(node.asString())), "hex");
        }
        return new Field(node.asString(), "binary".equals(format) ? "base64" : format);
    }
}

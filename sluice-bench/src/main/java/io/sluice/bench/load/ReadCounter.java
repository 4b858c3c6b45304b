package io.sluice.bench.load;

import io.sluice.bench.load.LoadOptions.ValueFormat;
import io.sluice.protocol.record.Record;
import io.sluice.protocol.record.RecordBatch;
import java.io.InputStream;
import java.nio.ByteBuffer;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.json.JsonMapper;

/**
 * Counts what a read answer or an SSE record carries without building trees: records, their value bytes (the
 * payload as stored: UTF-8 length of a string value, decoded length of a base64 one), the read's
 * {@code next_offset} and {@code high_watermark}, and the value text of a single record for the e2e mode.
 */
final class ReadCounter {

    static final String RAW_MEDIA_TYPE = "application/vnd.sluice.record-batch.v2";

    private static final JsonMapper JSON = JsonMapper.shared();

    private ReadCounter() {
    }

    /** A read answer: {@code {records: [...], next_offset, high_watermark, ...}}. */
    record ReadPage(int records, long valueBytes, long nextOffset, long highWatermark) {
    }

    static ReadPage page(byte[] body, ValueFormat format) {
        return page(JSON.createParser(body), format);
    }

    /** A read answer from a stream (the answer's buffer as it came in, without a copy into one array). */
    static ReadPage page(InputStream body, ValueFormat format) {
        return page(JSON.createParser(body), format);
    }

    private static ReadPage page(JsonParser parser, ValueFormat format) {
        int records = 0;
        long bytes = 0;
        long next = -1;
        long hw = -1;
        try (JsonParser p = parser) {
            expect(p.nextToken(), JsonToken.START_OBJECT);
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                switch (name) {
                    case "records" -> {
                        expect(value, JsonToken.START_ARRAY);
                        while (p.nextToken() == JsonToken.START_OBJECT) {
                            records++;
                            bytes += recordValueBytes(p, format);
                        }
                    }
                    case "next_offset" -> next = p.getLongValue();
                    case "high_watermark" -> hw = p.getLongValue();
                    default -> p.skipChildren();
                }
            }
        }
        return new ReadPage(records, bytes, next, hw);
    }

    /**
     * A raw read answer: the stored v2 record batches back to back, decoded here as a client of Kafka's format
     * decodes them (every record, its value counted), with the position its {@code Sluice-Next-Offset} and
     * {@code Sluice-High-Watermark} headers give. A raw read starts at the batch holding the requested offset, so records
     * before {@code fromOffset} are decoded but not counted.
     */
    static ReadPage rawPage(ByteBuffer body, long nextOffset, long highWatermark, long fromOffset) {
        ByteBuffer buffer = body.duplicate();
        int records = 0;
        long bytes = 0;
        while (buffer.remaining() >= RecordBatch.LOG_OVERHEAD) {
            RecordBatch batch = RecordBatch.readFrom(buffer);
            buffer.position(buffer.position() + batch.sizeInBytes());
            for (Record record : batch.records()) {
                if (record.offset() >= fromOffset) {
                    records++;
                    bytes += record.value() == null ? 0 : record.value().length;
                }
            }
        }
        return new ReadPage(records, bytes, nextOffset, highWatermark);
    }

    /** The value bytes of one record object given as JSON text (an SSE record event's data). */
    static long recordValueBytes(String json, ValueFormat format) {
        try (JsonParser p = JSON.createParser(json)) {
            expect(p.nextToken(), JsonToken.START_OBJECT);
            return recordValueBytes(p, format);
        }
    }

    /** The value of one record object as text (null for a null value). */
    static String recordValue(String json) {
        try (JsonParser p = JSON.createParser(json)) {
            expect(p.nextToken(), JsonToken.START_OBJECT);
            String value = null;
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = p.currentName();
                JsonToken token = p.nextToken();
                if (name.equals("value") && token == JsonToken.VALUE_STRING) {
                    value = p.getString();
                } else {
                    p.skipChildren();
                }
            }
            return value;
        }
    }

    /** Reads one record object (the parser is on its START_OBJECT) and returns its value's payload bytes. */
    private static long recordValueBytes(JsonParser p, ValueFormat format) {
        long bytes = 0;
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if (name.equals("value") && value == JsonToken.VALUE_STRING) {
                bytes = format == ValueFormat.BINARY ? base64Length(p.getStringCharacters(), p.getStringOffset(),
                        p.getStringLength()) : utf8Length(p.getStringCharacters(), p.getStringOffset(), p.getStringLength());
            } else {
                p.skipChildren();
            }
        }
        return bytes;
    }

    static long utf8Length(char[] chars, int offset, int length) {
        long bytes = 0;
        for (int i = offset; i < offset + length; i++) {
            char c = chars[i];
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /** Decoded length of padded base64 text. */
    static long base64Length(char[] chars, int offset, int length) {
        int padding = 0;
        for (int i = offset + length - 1; i >= offset && chars[i] == '='; i--) {
            padding++;
        }
        return (long) length / 4 * 3 - padding;
    }

    private static void expect(JsonToken actual, JsonToken expected) {
        if (actual != expected) {
            throw new IllegalStateException("expected " + expected + " in a read answer, found " + actual);
        }
    }

    /** Whether {@code e} is a JSON problem (for callers that count it as an unreadable answer). */
    static boolean isJsonProblem(RuntimeException e) {
        return e instanceof JacksonException || e instanceof IllegalStateException;
    }
}

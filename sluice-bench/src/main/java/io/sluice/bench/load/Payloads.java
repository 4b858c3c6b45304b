package io.sluice.bench.load;

import io.sluice.bench.load.LoadOptions.ValueFormat;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Produce request bodies. A value is {@code recordSize} random ASCII letters A-Z (as Kafka's ProducerPerformance
 * makes them), sent as a JSON string ({@code value_format=string}: the letters themselves) or as base64 of the same
 * bytes ({@code binary}); the broker stores {@code recordSize} bytes either way, and those are the payload bytes
 * every report counts. Keys are null, so the gateway partitions sticky per request, as Kafka's producer does per
 * batch.
 *
 * <p>Bodies are built before the run and reused round-robin from a small pool, so building JSON does not take CPU
 * from the cluster under test; consecutive requests still carry different values.
 */
final class Payloads {

    /** Upper bound of memory held by one pool of prebuilt bodies. */
    static final long POOL_BYTES = 64L << 20;
    static final int MAX_POOL = 16;

    private Payloads() {
    }

    static byte[] letters(int size, SplittableRandom random) {
        byte[] value = new byte[size];
        for (int i = 0; i < size; i++) {
            value[i] = (byte) ('A' + random.nextInt(26));
        }
        return value;
    }

    /** The value as a JSON string literal in the given format. Letters and base64 need no escaping. */
    static void writeValue(ByteArrayOutputStream out, byte[] value, ValueFormat format) {
        out.write('"');
        out.writeBytes(format == ValueFormat.BINARY ? Base64.getEncoder().encode(value) : value);
        out.write('"');
    }

    /** {@code {"value_format":"string","records":[{"value":"…"},…]}} */
    static byte[] jsonBatch(byte[][] values, ValueFormat format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("{\"value_format\":\"" + format.parameter() + "\",\"records\":[").getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < values.length; i++) {
            out.writeBytes(i == 0 ? "{\"value\":".getBytes(StandardCharsets.US_ASCII)
                    : ",{\"value\":".getBytes(StandardCharsets.US_ASCII));
            writeValue(out, values[i], format);
            out.write('}');
        }
        out.writeBytes("]}".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    /** {@code {"value":"…"}\n} per record; the format is the request's value_format parameter. */
    static byte[] ndjsonLines(byte[][] values, ValueFormat format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] value : values) {
            out.writeBytes("{\"value\":".getBytes(StandardCharsets.US_ASCII));
            writeValue(out, value, format);
            out.writeBytes("}\n".getBytes(StandardCharsets.US_ASCII));
        }
        return out.toByteArray();
    }

    /** Prebuilt bodies of {@code records} records each, handed out round-robin. Thread-safe. */
    static final class Pool {
        private final byte[][] bodies;
        private final AtomicInteger next = new AtomicInteger();

        Pool(int records, int recordSize, ValueFormat format, boolean ndjson, long seed) {
            SplittableRandom random = new SplittableRandom(seed);
            long approx = Math.max(1, (long) records * (recordSize * (format == ValueFormat.BINARY ? 4L / 3 + 1 : 1) + 16));
            int size = (int) Math.max(1, Math.min(MAX_POOL, POOL_BYTES / approx));
            bodies = new byte[size][];
            for (int b = 0; b < size; b++) {
                byte[][] values = new byte[records][];
                for (int i = 0; i < records; i++) {
                    values[i] = letters(recordSize, random);
                }
                bodies[b] = ndjson ? ndjsonLines(values, format) : jsonBatch(values, format);
            }
        }

        byte[] next() {
            return bodies[Math.floorMod(next.getAndIncrement(), bodies.length)];
        }

        int size() {
            return bodies.length;
        }

        int bodyBytes() {
            return bodies[0].length;
        }
    }
}

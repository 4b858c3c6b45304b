package io.sluice.bench.load;

import io.sluice.bench.load.LoadOptions.ValueFormat;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * The marker a latency run puts at the start of every value it produces, so that a subscriber maps an event back to
 * the record sent: {@code e2e-<run>-<id>-} for measured record {@code id}, {@code e2e-<run>-P<attempt>-} for a probe
 * sent while streams are being positioned. The run part is random per run, so another run's or another producer's
 * records on the same topic are told apart and ignored. Values are the marker padded with letters to the record
 * size. Immutable.
 */
final class ValueMarker {

    /** {@link #id}: a probe of this run. */
    static final int PROBE = -1;
    /** {@link #id}: not a record of this run. */
    static final int FOREIGN = -2;

    // base64 of the first 48 bytes is enough to read back any marker (the run part is at most 5 characters)
    private static final int BASE64_HEAD = 64;

    private final String prefix;

    ValueMarker(String run) {
        this.prefix = "e2e-" + run + "-";
    }

    static ValueMarker random() {
        return new ValueMarker(Long.toString(System.nanoTime() & 0xffffffL, 36));
    }

    String record(int id) {
        return prefix + id + "-";
    }

    String probe(int attempt) {
        return prefix + "P" + attempt + "-";
    }

    /** A one-record produce body whose value is {@code head} padded with {@code padding}'s letters to its length. */
    static byte[] body(String head, byte[] padding, ValueFormat format) {
        byte[] start = head.getBytes(StandardCharsets.US_ASCII);
        byte[] value = start.length >= padding.length ? start : Arrays.copyOf(start, padding.length);
        System.arraycopy(padding, 0, value, start.length, Math.max(0, padding.length - start.length));
        return Payloads.jsonBatch(new byte[][] {value}, format);
    }

    /**
     * The record id a value read back carries ({@code value} as the API renders it in {@code format}, null for a null
     * value): the id, {@link #PROBE}, or {@link #FOREIGN} for a value without this run's marker.
     */
    int id(String value, ValueFormat format) {
        if (value == null) {
            return FOREIGN;
        }
        String text = value;
        if (format == ValueFormat.BINARY) {
            int chars = Math.min(value.length(), BASE64_HEAD) / 4 * 4;
            try {
                text = new String(Base64.getDecoder().decode(value.substring(0, chars)), StandardCharsets.ISO_8859_1);
            } catch (IllegalArgumentException e) {
                return FOREIGN;
            }
        }
        if (!text.startsWith(prefix)) {
            return FOREIGN;
        }
        int at = prefix.length();
        if (at < text.length() && text.charAt(at) == 'P') {
            return PROBE;
        }
        long id = 0;
        int digits = 0;
        for (; at < text.length() && text.charAt(at) != '-'; at++, digits++) {
            char c = text.charAt(at);
            if (c < '0' || c > '9' || digits > 9) {
                return FOREIGN;
            }
            id = id * 10 + (c - '0');
        }
        return digits == 0 || at == text.length() || id > Integer.MAX_VALUE ? FOREIGN : (int) id;
    }
}

package io.sluice.gateway.format;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * What a stored string value's bytes need before a reader's JSON can hold them, found in one pass eight bytes at a
 * time: whether any byte is outside ASCII (then the bytes must be checked as UTF-8) and whether any must be escaped
 * in a JSON string (a control character, {@code "} or {@code \}). Values are usually plain ASCII text, and for those
 * the reader's answer copies the bytes as they are instead of looking at each one again.
 *
 * <p>The tests on eight bytes at once are the exact ones of "Bit Twiddling Hacks" (Sean Eron Anderson): a borrow
 * between bytes can only start at a byte that already matched, so a word has a match exactly when the test says so.
 */
final class StringBytes {

    /** A byte outside ASCII: the bytes are UTF-8 only if a decoder says so. */
    static final int NON_ASCII = 1;
    /** A byte a JSON string must escape: below U+0020, {@code "} or {@code \}. */
    static final int ESCAPES = 2;

    private static final VarHandle WORDS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final long SPACES = 0x20 * ONES;
    private static final long QUOTES = '"' * ONES;
    private static final long BACKSLASHES = '\\' * ONES;

    private StringBytes() {
    }

    /** {@link #NON_ASCII} and {@link #ESCAPES}, or'ed: 0 for bytes a JSON string holds as they are. */
    static int scan(byte[] bytes) {
        long high = 0;
        long escapes = 0;
        int i = 0;
        for (int words = bytes.length & ~7; i < words; i += 8) {
            long word = (long) WORDS.get(bytes, i);
            high |= word;
            escapes |= below(word, SPACES) | zeroByte(word ^ QUOTES) | zeroByte(word ^ BACKSLASHES);
        }
        for (; i < bytes.length; i++) {
            int b = bytes[i];
            high |= b;
            if (b >= 0 && b < 0x20 || b == '"' || b == '\\') {
                escapes = HIGH_BITS;
            }
        }
        return ((high & HIGH_BITS) != 0 ? NON_ASCII : 0) | ((escapes & HIGH_BITS) != 0 ? ESCAPES : 0);
    }

    /** High bit set in some byte exactly when a byte of {@code word} is below the byte repeated in {@code bound}. */
    private static long below(long word, long bound) {
        return (word - bound) & ~word & HIGH_BITS;
    }

    /** High bit set in some byte exactly when a byte of {@code word} is zero. */
    private static long zeroByte(long word) {
        return (word - ONES) & ~word & HIGH_BITS;
    }
}

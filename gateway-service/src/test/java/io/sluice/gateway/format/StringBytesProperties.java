package io.sluice.gateway.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/** {@link StringBytes#scan}, eight bytes at a time, says what a look at each byte says, for any bytes. */
class StringBytesProperties {

    @Property(tries = 2000)
    void aScanAgreesWithALookAtEachByte(@ForAll("mostlyText") byte[] bytes) {
        assertThat(StringBytes.scan(bytes)).isEqualTo(byteByByte(bytes));
    }

    /** Every byte value at every place in and after the first three words, among plain letters. */
    @Example
    void everyByteIsSeenWhereverItIs() {
        for (int length = 1; length <= 26; length++) {
            for (int at = 0; at < length; at++) {
                for (int value = 0; value < 256; value++) {
                    byte[] bytes = new byte[length];
                    Arrays.fill(bytes, (byte) 'a');
                    bytes[at] = (byte) value;
                    assertThat(StringBytes.scan(bytes)).as("byte %d at %d of %d", value, at, length)
                            .isEqualTo(byteByByte(bytes));
                }
            }
        }
    }

    @Example
    void plainAsciiNeedsNothing() {
        assertThat(StringBytes.scan("the quick brown fox / jumps ~ 0123456789 {}[]".getBytes())).isZero();
        assertThat(StringBytes.scan(new byte[0])).isZero();
    }

    /** Text-like bytes, where a byte that matters is rare, and arbitrary bytes. */
    @Provide
    Arbitrary<byte[]> mostlyText() {
        Arbitrary<Byte> letter = Arbitraries.bytes().between((byte) 0x20, (byte) 0x7e);
        Arbitrary<Byte> any = Arbitraries.bytes();
        Arbitrary<Byte> textByte = Arbitraries.frequencyOf(
                Tuple.of(60, letter),
                Tuple.of(1, any),
                Tuple.of(1, Arbitraries.of((byte) '"', (byte) '\\', (byte) 0x1f, (byte) 0x80,
                        (byte) 0xff, (byte) 0x20, (byte) 0x7f, (byte) 0x21, (byte) 0x5b, (byte) 0x5d)));
        return Arbitraries.oneOf(textByte.array(byte[].class).ofMaxSize(200), any.array(byte[].class).ofMaxSize(40));
    }

    private static int byteByByte(byte[] bytes) {
        int scan = 0;
        for (byte b : bytes) {
            int unsigned = b & 0xff;
            if (unsigned >= 0x80) {
                scan |= StringBytes.NON_ASCII;
            }
            if (unsigned < 0x20 || unsigned == '"' || unsigned == '\\') {
                scan |= StringBytes.ESCAPES;
            }
        }
        return scan;
    }
}

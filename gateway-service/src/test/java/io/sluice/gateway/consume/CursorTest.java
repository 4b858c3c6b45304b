package io.sluice.gateway.consume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Stream cursors: compact, round-trip exactly, and anything else is INVALID_REQUEST (a 400, not a 500). */
class CursorTest {

    @Test
    void encodeThenDecodeGivesTheSameOffsets() {
        Cursor cursor = Cursor.of(Map.of(0, 0L, 1, 123_456L, 2, Long.MAX_VALUE, 7, 1L));

        assertThat(Cursor.decode(cursor.encode())).isEqualTo(cursor);
    }

    @Test
    void threePartitionsAtSixDigitOffsetsTakeAboutSixteenCharacters() {
        String encoded = Cursor.of(Map.of(0, 999_999L, 1, 500_000L, 2, 123_456L)).encode();

        assertThat(encoded).hasSizeLessThanOrEqualTo(20).matches("[A-Za-z0-9_-]+");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "!!", "not-a-cursor", "AQ", "AgEAAQ", "AQEAAQAA", "AQoAAQ", "/////////////w"})
    void anythingButACursorIsInvalidRequest(String text) {
        assertThatThrownBy(() -> Cursor.decode(text))
                .isInstanceOfSatisfying(SluiceException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_REQUEST));
    }

    @Test
    void aNegativeOffsetIsNotACursor() {
        // version 1, one entry, partition 0, offset -1 as a 10-byte varint
        byte[] bytes = {1, 1, 0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
                (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 1};
        String text = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);

        assertThatThrownBy(() -> Cursor.decode(text)).isInstanceOf(SluiceException.class);
    }
}

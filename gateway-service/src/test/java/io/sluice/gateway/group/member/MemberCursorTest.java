package io.sluice.gateway.group.member;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import io.sluice.protocol.TopicPartition;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MemberCursorTest {

    @Test
    void encodeThenDecodeGivesTheSameMemberSettingsAndPositions() {
        MemberCursor cursor = MemberCursor.of("3f1c2a9e-0000-4000-8000-000000000001", null, 17, false, OffsetReset.EARLIEST,
                true,
                Map.of(new TopicPartition("orders", 5), 123_456L, new TopicPartition("orders", 0), 0L,
                        new TopicPartition("audit", 2), Long.MAX_VALUE));

        MemberCursor decoded = MemberCursor.decode(cursor.encode());

        assertThat(decoded).isEqualTo(cursor);
        assertThat(decoded.positions().keySet()).containsExactly(new TopicPartition("audit", 2),
                new TopicPartition("orders", 0), new TopicPartition("orders", 5));
    }

    @Test
    void aMemberWithoutPartitionsHasACursorToo() {
        MemberCursor cursor = MemberCursor.of("m", null, 1, true, OffsetReset.LATEST, false, Map.of());

        assertThat(MemberCursor.decode(cursor.encode())).isEqualTo(cursor);
    }

    @Test
    void aStaticMembersCursorCarriesItsInstanceIdAndAnOlderCursorDecodesAsDynamic() {
        MemberCursor cursor = MemberCursor.of("m", "host-7", 4, true, OffsetReset.LATEST, false,
                Map.of(new TopicPartition("orders", 1), 9L));

        assertThat(MemberCursor.decode(cursor.encode())).isEqualTo(cursor);
        assertThat(MemberCursor.decode(MemberCursor.of("m", null, 4, true, OffsetReset.LATEST, false, Map.of()).encode())
                .groupInstanceId()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "AQ", "not a cursor", "AgAAAA", "AQAAAW0AAA", "AQABAW0BAW8BAQEx"})
    void whatIsNoCursorIsInvalidRequest(String text) {
        assertThatThrownBy(() -> MemberCursor.decode(text)).isInstanceOf(SluiceException.class)
                .extracting(e -> ((SluiceException) e).errorCode()).isEqualTo(ErrorCode.INVALID_REQUEST);
    }

    @Test
    void aCursorWithTrailingBytesIsRefused() {
        String valid = MemberCursor.of("m", null, 1, true, OffsetReset.LATEST, false, Map.of()).encode();
        String longer = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                (new String(java.util.Base64.getUrlDecoder().decode(valid), java.nio.charset.StandardCharsets.ISO_8859_1)
                        + "x").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));

        assertThatThrownBy(() -> MemberCursor.decode(longer)).isInstanceOf(SluiceException.class);
    }
}

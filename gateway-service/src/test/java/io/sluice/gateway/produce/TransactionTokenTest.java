package io.sluice.gateway.produce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TransactionTokenTest {

    @Test
    void encodeThenDecodeGivesTheSameTransaction() {
        TransactionToken token = new TransactionToken("billing-worker-ü/1", 4_000_000_001L, (short) 32_766);

        assertThat(TransactionToken.decode(token.encode())).isEqualTo(token);
        assertThat(token.encode()).as("safe in a path").matches("[A-Za-z0-9_-]+");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "nope", "AQ", "AgEBAXg", "AQGAgAIBeA"})
    void whatIsNoTransactionIsInvalidRequest(String text) {
        assertThatThrownBy(() -> TransactionToken.decode(text)).isInstanceOf(SluiceException.class)
                .extracting(e -> ((SluiceException) e).errorCode()).isEqualTo(ErrorCode.INVALID_REQUEST);
    }
}

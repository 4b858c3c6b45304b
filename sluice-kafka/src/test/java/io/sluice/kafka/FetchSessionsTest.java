package io.sluice.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A full fetch is served whatever session it names; an incremental one is refused, since no session is kept. */
class FetchSessionsTest {

    @ParameterizedTest(name = "session {0}, epoch {1}")
    @CsvSource({
        "0, 0",            // what Kafka's consumer sends while it holds no session
        "0, -1",           // a sessionless fetch (clients before KIP-227 send nothing, read as this)
        "1234, 0",         // a full fetch naming a session made elsewhere (another broker behind the address)
        "1234, -1"})       // a client closing a session: full, served, and no session made
    void aFullFetchIsServedWhateverSessionItNames(int sessionId, int epoch) {
        assertThat(FetchSessions.check(sessionId, epoch)).isEqualTo(Errors.NONE);
    }

    @ParameterizedTest(name = "session {0}, epoch {1}")
    @CsvSource({"1234, 1", "1234, 2147483647", "0, 1", "0, 5", "1234, -2"})
    void anIncrementalFetchIsRefusedAsOfASessionNotFound(int sessionId, int epoch) {
        assertThat(FetchSessions.check(sessionId, epoch)).isEqualTo(Errors.FETCH_SESSION_ID_NOT_FOUND);
    }
}

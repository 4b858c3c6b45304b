package io.sluice.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Error codes are wire contract: stable unique names, an HTTP error status each, retriability that makes sense. */
class ErrorCodeTest {

    @Test
    void namesAreUniqueUpperSnakeCase() {
        assertThat(Arrays.stream(ErrorCode.values()).map(ErrorCode::name)).doesNotHaveDuplicates()
                .allMatch(name -> name.matches("[A-Z][A-Z0-9]*(_[A-Z0-9]+)*"));
    }

    @ParameterizedTest
    @EnumSource(ErrorCode.class)
    void everyCodeMapsToA4xxOr5xxStatusAndHasADescription(ErrorCode code) {
        assertThat(code.httpStatus()).isBetween(400, 599);
        assertThat(code.description()).isNotBlank();
    }

    @ParameterizedTest
    @EnumSource(ErrorCode.class)
    void aRetriableCodeIsNeverABadRequest(ErrorCode code) {
        if (code.retriable()) {
            assertThat(code.httpStatus()).isNotEqualTo(400);
        }
    }

    @ParameterizedTest
    @EnumSource(ErrorCode.class)
    void aRetriableCodeIsATryLaterStatus(ErrorCode code) {
        if (code == ErrorCode.IDEMPOTENCY_KEY_IN_USE) {
            assertThat(code.httpStatus()).as("the Idempotency-Key draft's concurrent-request answer").isEqualTo(409);
        } else if (code.retriable()) {
            assertThat(code.httpStatus()).as("429, 503 or 504, never 421 or 409").isIn(429, 503, 504);
        }
    }

    @Test
    void codesTheDesignNamesExistWithTheirRetriability() {
        assertThat(ErrorCode.NOT_LEADER.retriable()).isTrue();
        assertThat(ErrorCode.NOT_ENOUGH_REPLICAS.retriable()).isTrue();
        assertThat(ErrorCode.INVALID_TOPIC_NAME.retriable()).isFalse();
        assertThat(ErrorCode.INVALID_TOPIC_NAME.httpStatus()).isEqualTo(400);
        assertThat(ErrorCode.CORRUPT_RECORD.retriable()).isFalse();
        assertThat(ErrorCode.RECORD_TOO_LARGE.httpStatus()).isEqualTo(413);
        assertThat(ErrorCode.OFFSET_OUT_OF_RANGE.retriable()).isFalse();
        assertThat(ErrorCode.UNKNOWN_TOPIC.httpStatus()).isEqualTo(404);
    }

    @Test
    void exceptionCarriesTheCodeAndItsRetriability() {
        SluiceException e = ErrorCode.LEADER_NOT_AVAILABLE.exception("partition orders-3 has no leader");

        assertThat(e.errorCode()).isEqualTo(ErrorCode.LEADER_NOT_AVAILABLE);
        assertThat(e.retriable()).isTrue();
        assertThat(e).hasMessage("partition orders-3 has no leader");
    }

    @Test
    void aNameFromAPeerParsesAndAnUnknownOneIsAnUnknownServerError() {
        assertThat(ErrorCode.forName("NOT_LEADER")).isEqualTo(ErrorCode.NOT_LEADER);
        assertThat(ErrorCode.forName("SOMETHING_NEWER")).isEqualTo(ErrorCode.UNKNOWN_SERVER_ERROR);
        assertThat(ErrorCode.forName(null)).isEqualTo(ErrorCode.UNKNOWN_SERVER_ERROR);
    }
}

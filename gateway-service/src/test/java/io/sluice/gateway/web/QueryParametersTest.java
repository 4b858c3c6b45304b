package io.sluice.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;

/** A route's query parameters are read by type, each fault naming the parameter and its value. */
class QueryParametersTest {

    private static final SortedSet<String> TAKEN = new TreeSet<>(List.of("max_records", "wait_ms", "clamp", "topics"));

    @Test
    void valuesAreReadByTheirTypesAndAnEmptyNumberIsAbsent() {
        QueryParameters query = query(Map.of("max_records", List.of("5"), "wait_ms", List.of(""), "clamp",
                List.of("yes"), "topics", List.of("a", "b")));

        assertThat(query.integer("max_records")).isEqualTo(5);
        assertThat(query.whole("wait_ms")).isNull();
        assertThat(query.bool("clamp")).isTrue();
        assertThat(query.text("topics")).isEqualTo("a,b");
    }

    @Test
    void aParameterTheRouteDoesNotTakeIsRefusedWithThoseItTakes() {
        assertThatThrownBy(() -> query(Map.of("max_record", List.of("5"))))
                .isInstanceOf(SluiceException.class)
                .hasMessage("Unknown query parameter 'max_record'; this route takes clamp, max_records, topics, wait_ms");
    }

    @Test
    void aValueOfTheWrongTypeIsRefusedNamingParameterAndValue() {
        assertRefused(() -> query(Map.of("max_records", List.of("all"))).integer("max_records"),
                "max_records must be a whole number, was 'all'");
        assertRefused(() -> query(Map.of("max_records", List.of("3000000000"))).integer("max_records"),
                "max_records must be a whole number of at most 2147483647, was '3000000000'");
        assertRefused(() -> query(Map.of("clamp", List.of("maybe"))).bool("clamp"),
                "clamp must be true or false, was 'maybe'");
        assertRefused(() -> query(Map.of("wait_ms", List.of("1", "2"))).whole("wait_ms"), "wait_ms is given 2 times");
    }

    @Test
    void readingAParameterTheRecordDidNotDeclareIsAProgrammingError() {
        assertThatThrownBy(() -> query(Map.of()).text("offset")).isInstanceOf(IllegalArgumentException.class);
    }

    private static void assertRefused(ThrowingCallable read, String message) {
        assertThatThrownBy(read).isInstanceOf(SluiceException.class).hasMessageContaining(message)
                .extracting(e -> ((SluiceException) e).errorCode()).isEqualTo(ErrorCode.INVALID_REQUEST);
    }

    private static QueryParameters query(Map<String, List<String>> values) {
        MultiValueMap<String, String> given = new LinkedMultiValueMap<>();
        values.forEach(given::put);
        return QueryParameters.of(given, TAKEN);
    }
}

package io.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ProduceInputTest {

    private static ProduceInput input(String separator, RecordFormat key, RecordFormat value) {
        return new ProduceInput(separator, key, value, Map.of(), null);
    }

    @Test
    void aLineIsTheValueAsAString() {
        assertThat(Json.compact(input(null, RecordFormat.string, RecordFormat.string).record("a:b {c}", "f:1")))
                .isEqualTo("{\"value\":\"a:b {c}\"}");
    }

    @Test
    void aKeySeparatorSplitsAtItsFirstOccurrence() {
        assertThat(Json.compact(input("::", RecordFormat.string, RecordFormat.string).record("k::v::w", "f:1")))
                .isEqualTo("{\"key\":\"k\",\"value\":\"v::w\"}");
    }

    @Test
    void aLineWithoutTheSeparatorHasNoKey() {
        assertThat(Json.compact(input(":", RecordFormat.string, RecordFormat.string).record("no key", "f:1")))
                .isEqualTo("{\"value\":\"no key\"}");
    }

    @Test
    void jsonKeysAndValuesAreSentAsTheJsonTheyAre() {
        assertThat(Json.compact(input("\t", RecordFormat.json, RecordFormat.json).record("42\t{\"a\": [1, 2]}", "f:1")))
                .isEqualTo("{\"key\":42,\"value\":{\"a\":[1,2]}}");
    }

    @Test
    void headersAndAPartitionGoOnEveryRecord() {
        ProduceInput input = new ProduceInput(null, RecordFormat.string, RecordFormat.binary, Map.of("trace", "abc"), 2);

        assertThat(Json.compact(input.record("aGVsbG8=", "f:1")))
                .isEqualTo("{\"value\":\"aGVsbG8=\",\"headers\":{\"trace\":\"abc\"},\"partition\":2}");
    }

    @Test
    void whenAJsonValueIsNotJsonShouldNameTheLine() {
        ProduceInput input = input(null, RecordFormat.string, RecordFormat.json);

        assertThatThrownBy(() -> input.record("{\"a\":", "data.txt:7")).isInstanceOf(InputException.class)
                .hasMessageStartingWith("data.txt:7: the value is not JSON (--value-format json)");
        assertThatThrownBy(() -> input.record("1 2", "data.txt:8")).isInstanceOf(InputException.class)
                .hasMessageStartingWith("data.txt:8: the value is not JSON");
    }
}

package io.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

class RecordTemplateTest {

    private static final JsonNode RECORD = Json.MAPPER.readTree("""
            {"topic":"orders","partition":2,"offset":41,"timestamp":1767225600000,"key":"user-1","key_format":"string",
             "value":{"clicks":3},"value_format":"json",
             "headers":[{"key":"trace","value":"abc","value_format":"string"},{"key":"n","value":null,"value_format":"string"}]}
            """);

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "{value}                                  | {\"clicks\":3}",
            "{key}={value}                            | user-1={\"clicks\":3}",
            "{topic}/{partition}@{offset}             | orders/2@41",
            "{timestamp} {time}                       | 1767225600000 2026-01-01T00:00:00Z",
            "{headers}                                | trace=abc,n=null",
            "{key_format}:{value_format}              | string:json",
            "{{literal}} {offset}                     | {literal}} 41",
            "\"{partition}\\t{offset}\"               | \"2\t41\""})
    void fieldsAreReplacedByTheRecordsValues(String template, String expected) {
        assertThat(RecordTemplate.parse(template).render(RECORD)).isEqualTo(expected);
    }

    @Test
    void aNullKeyPrintsAsNullAndAStringValueAsItsText() {
        JsonNode record = Json.MAPPER.readTree("{\"key\":null,\"value\":\"plain text\",\"headers\":[]}");

        assertThat(RecordTemplate.parse("{key} {value} [{headers}]").render(record)).isEqualTo("null plain text []");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{vaule}     | Unknown field {vaule}",
            "{value      | Unclosed { at character 1",
            "\\q{value}  | Unknown escape \\q"})
    void whenTheTemplateIsInvalidShouldSayWhere(String template, String problem) {
        assertThatIllegalArgumentException().isThrownBy(() -> RecordTemplate.parse(template))
                .withMessageContaining(problem);
    }
}

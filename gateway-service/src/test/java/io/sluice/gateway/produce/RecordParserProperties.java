package io.sluice.gateway.produce;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.format.Formats;
import io.sluice.protocol.SluiceException;
import io.sluice.protocol.record.Header;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reading a produce body token by token ({@link RecordParser#records(byte[], Formats)}) answers exactly as reading it
 * through its tree does: the same records, or the same problem in the same words, for bodies right and wrong — and
 * the bodies clients send are taken by the streaming path itself, not handed to the tree.
 */
class RecordParserProperties {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final RecordParser parser = new RecordParser(JSON,
            Clock.fixed(Instant.parse("2026-11-23T12:00:00Z"), ZoneOffset.UTC));

    @Property(tries = 2000)
    void anyBodyIsAnsweredAsThroughItsTree(@ForAll("bodies") String body, @ForAll("formats") Formats formats) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        Statistics.label("path").collect(parser.stream(bytes, formats) != null ? "streamed" : "tree");

        assertThat(outcome(() -> parser.records(bytes, formats)))
                .isEqualTo(outcome(() -> parser.records(parser.parse(bytes), formats)));
    }

    @Property(tries = 500)
    void theBodiesClientsSendAreStreamed(@ForAll("plainBodies") String body, @ForAll("formats") Formats formats) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        List<ProduceRecord> tree;
        try {
            tree = parser.records(parser.parse(bytes), formats);
        } catch (SluiceException e) {
            return; // a value the formats refuse (e.g. not base64): the tree decides, and the first property checks it
        }

        assertThat(parser.stream(bytes, formats)).as("streamed").isNotNull();
        assertThat(outcome(() -> parser.stream(bytes, formats))).isEqualTo(outcome(() -> tree));
    }

    @Example
    void theLoadGeneratorsBodyIsStreamed() {
        byte[] body = "{\"value_format\":\"string\",\"records\":[{\"value\":\"ABC\"},{\"value\":\"DEF\"}]}"
                .getBytes(StandardCharsets.UTF_8);

        List<ProduceRecord> records = parser.stream(body, Formats.DEFAULT);

        assertThat(records).hasSize(2);
        assertThat(records.get(1).value()).isEqualTo("DEF".getBytes(StandardCharsets.US_ASCII));
    }

    /** Records in a comparable form, or the problem's code and words. */
    private static List<String> outcome(java.util.function.Supplier<List<ProduceRecord>> parse) {
        try {
            List<String> described = new ArrayList<>();
            for (ProduceRecord r : parse.get()) {
                StringBuilder headers = new StringBuilder();
                for (Header h : r.headers()) {
                    headers.append(h.key()).append('=').append(base64(h.value())).append(';');
                }
                described.add(r.partition() + "|" + base64(r.key()) + "|" + base64(r.value()) + "|" + headers + "|"
                        + r.timestamp());
            }
            return described;
        } catch (SluiceException e) {
            return List.of("problem " + e.errorCode() + ": " + e.getMessage());
        }
    }

    private static String base64(byte[] bytes) {
        return bytes == null ? "null" : Base64.getEncoder().encodeToString(bytes);
    }

    @Provide
    Arbitrary<Formats> formats() {
        Arbitrary<String> format = Arbitraries.of("json", "string", "binary", "xml").injectNull(0.5);
        Arbitrary<String> headerFormat = Arbitraries.of("string", "binary", "json").injectNull(0.7);
        return Combinators.combine(format, format, format, headerFormat).as((f, k, v, h) -> {
            try {
                return Formats.of(f, k, v, h);
            } catch (SluiceException e) {
                return Formats.DEFAULT;
            }
        });
    }

    /** Bodies as clients send them: formats first, each field once, values of the right kinds. */
    @Provide
    Arbitrary<String> plainBodies() {
        Arbitrary<String> record = Combinators.combine(
                Arbitraries.of("\"k\"", "null", "\"a2V5\"").injectNull(0.4),
                Arbitraries.of("\"ABCDEF\"", "\"dmFsdWU=\"", "\"é \\\" \\n ✓\"", "null").injectNull(0.1),
                Arbitraries.of("{\"h\":\"v\"}", "[{\"key\":\"h\",\"value\":null}]", "null").injectNull(0.6),
                Arbitraries.of("0", "2", "null").injectNull(0.6),
                Arbitraries.of("0", "1700000000000", "\"2024-01-01T00:00:00Z\"", "null").injectNull(0.6)
        ).as((k, v, h, p, t) -> object(Arrays.asList(field("key", k), field("value", v), field("headers", h),
                field("partition", p), field("timestamp", t))));
        Arbitrary<String> records = record.list().ofMinSize(1).ofMaxSize(4)
                .map(list -> "[" + String.join(",", list) + "]");
        return Combinators.combine(records, Arbitraries.of("string", "binary", "json").injectNull(0.5), Arbitraries.of(true, false))
                .as((array, valueFormat, envelope) -> !envelope ? array
                        : "{" + (valueFormat == null ? "" : "\"value_format\":\"" + valueFormat + "\",")
                        + "\"records\":" + array + "}");
    }

    /**
     * Bodies right and wrong: fields in any order, mostly of the right kind, now and then of a wrong one, given twice
     * or unknown; formats before or after the records; broken JSON; anything at all.
     */
    @Provide
    Arbitrary<String> bodies() {
        Arbitrary<String> scalar = Arbitraries.of("\"text\"", "\"a2V5\"", "\"not base64!\"", "\"\\u00e9\\ud83d\\ude00\"",
                "null", "1", "-1", "1.5", "true", "99999999999", "99999999999999999999", "{\"a\":[1,{\"b\":null}]}",
                "[1,2]", "\"2024-01-01T00:00:00Z\"", "\"1969-12-31T23:59:59Z\"", "\"junk\"", "{}", "[]");
        Arbitrary<String> headers = Arbitraries.of("{\"h\":\"v\"}", "{\"h\":null}", "{\"h\":1}",
                "[{\"key\":\"h\",\"value\":\"v\"}]", "[{\"key\":1}]", "[{\"key\":\"h\",\"value\":\"v\",\"x\":1}]", "[1]",
                "5", "null", "{\"h\":\"a\",\"h\":\"b\"}");
        Arbitrary<String> record = Combinators.combine(
                field("key", Arbitraries.of("\"k\"", "\"a2V5\"", "null"), scalar),
                field("value", Arbitraries.of("\"ABCDEF\"", "\"dmFsdWU=\"", "{\"a\":1}"), scalar),
                field("headers", headers, scalar),
                field("partition", Arbitraries.of("0", "2", "null"), scalar),
                field("timestamp", Arbitraries.of("0", "1700000000000", "\"2024-01-01T00:00:00Z\""), scalar),
                Arbitraries.of("\"partiton\":1", "\"key\":\"again\"", "\"value\":null", "\"timestamp\":5")
                        .injectNull(0.85),
                Arbitraries.randoms()
        ).as((k, v, h, p, t, extra, random) -> {
            List<String> fields = new ArrayList<>(Arrays.asList(k, v, h, p, t, extra));
            java.util.Collections.shuffle(fields, random);
            return object(fields);
        });
        Arbitrary<String> records = Arbitraries.frequencyOf(Tuple.of(12, record), Tuple.of(1, scalar))
                .list().ofMaxSize(4).map(list -> "[" + String.join(",", list) + "]");
        Arbitrary<String> formatField = Combinators.combine(
                Arbitraries.of("format", "key_format", "value_format", "header_format", "formt"),
                Arbitraries.of("\"json\"", "\"string\"", "\"binary\"", "\"xml\"", "null", "1"))
                .as(RecordParserProperties::field);
        Arbitrary<String> envelope = Combinators.combine(records, formatField.list().ofMaxSize(2),
                        Arbitraries.integers().between(0, 4))
                .as((array, formatFields, layout) -> {
                    List<String> fields = new ArrayList<>(formatFields);
                    switch (layout) {
                        case 0, 1 -> fields.add(field("records", array));   // formats first
                        case 2 -> fields.addFirst(field("records", array)); // records first
                        case 3 -> fields.addAll(List.of(field("records", array), field("records", array)));
                        default -> { } // no records
                    }
                    return object(fields);
                });
        Arbitrary<String> body = Arbitraries.frequencyOf(Tuple.of(4, records), Tuple.of(4, envelope), Tuple.of(1, scalar));
        return Combinators.combine(body, Arbitraries.integers().between(0, 19), Arbitraries.integers().between(0, 200))
                .as((text, damage, at) -> switch (damage) {
                    case 0 -> text.substring(0, Math.min(at, text.length()));
                    case 1 -> text + " x";
                    case 2 -> text + " {}";
                    default -> text;
                });
    }

    /** A field with a value of its kind (now and then any other), or none. */
    private static Arbitrary<String> field(String name, Arbitrary<String> right, Arbitrary<String> any) {
        return Arbitraries.frequencyOf(Tuple.of(8, right), Tuple.of(1, any)).map(value -> field(name, value))
                .injectNull(0.4);
    }

    private static String field(String name, String value) {
        return value == null ? null : "\"" + name + "\":" + value;
    }

    private static String object(List<String> fields) {
        return "{" + String.join(",", fields.stream().filter(java.util.Objects::nonNull).toList()) + "}";
    }
}

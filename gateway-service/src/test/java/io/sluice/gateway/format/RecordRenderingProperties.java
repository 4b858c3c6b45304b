package io.sluice.gateway.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.util.JsonGeneratorDelegate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Rendering stored bytes for readers without trees or decoded strings ({@link RecordFormat#render}) writes exactly
 * what rendering through a JSON tree writes: the same JSON, the same fallback format, for any bytes.
 */
class RecordRenderingProperties {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Property(tries = 500)
    void anyBytesRenderAsThroughATree(@ForAll("stored") byte[] bytes, @ForAll RecordFormat format) {
        RenderedValue rendered = format.render(bytes, JSON);
        Expected expected = throughTree(bytes, format);

        assertThat(rendered.format()).isEqualTo(expected.format());
        assertThat(JSON.writeValueAsString(Map.of("v", rendered)))
                .isEqualTo(JSON.writeValueAsString(Map.of("v", expected.node())));
    }

    /**
     * Text with and without what a JSON string must escape, at any place in values long enough to be scanned a word
     * at a time: a {@code string} is written as the mapper writes the decoded text, whether its bytes are copied as
     * they are or escaped.
     */
    @Property(tries = 1000)
    void textRendersAsThroughATreeWhereverItsEscapesAre(@ForAll("longTexts") String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);

        RenderedValue rendered = RecordFormat.STRING.render(bytes, JSON);

        assertThat(rendered.format()).isEqualTo(RecordFormat.STRING);
        assertThat(JSON.writeValueAsString(Map.of("v", rendered)))
                .isEqualTo(JSON.writeValueAsString(Map.of("v", text)));
    }

    /**
     * A value writes the same text through a generator over bytes (reads, SSE streams) as through one over characters,
     * for any bytes in any format: SSE streams decode the bytes' text rather than write characters.
     */
    @Property(tries = 500)
    void anyBytesWriteTheSameTextOverBytesAsOverCharacters(@ForAll("stored") byte[] bytes, @ForAll RecordFormat format) {
        RenderedValue rendered = format.render(bytes, JSON);

        assertThat(new String(JSON.writeValueAsBytes(Map.of("v", rendered)), StandardCharsets.UTF_8))
                .isEqualTo(JSON.writeValueAsString(Map.of("v", rendered)));
    }

    /**
     * A generator over characters cannot take UTF-8 bytes as they are, and refuses with an exception whose stack trace
     * costs more than the value: it is never asked to, for strings that need escaping or not.
     */
    @Example
    void aGeneratorOverCharactersIsNeverHandedUtf8Bytes() {
        StringWriter text = new StringWriter();
        try (JsonGenerator characters = new JsonGeneratorDelegate(JSON.createGenerator(text)) {
            @Override
            public JsonGenerator writeRawUTF8String(byte[] bytes, int offset, int length) {
                throw new AssertionError("UTF-8 bytes handed to a generator over characters");
            }

            @Override
            public JsonGenerator writeUTF8String(byte[] bytes, int offset, int length) {
                throw new AssertionError("UTF-8 bytes handed to a generator over characters");
            }
        }) {
            JSON.writeValue(characters, List.of(
                    RecordFormat.STRING.render("plain é".getBytes(StandardCharsets.UTF_8), JSON),
                    RecordFormat.STRING.render("needs \"escaping\"\n".getBytes(StandardCharsets.UTF_8), JSON)));
        }

        assertThat(text.toString()).isEqualTo("[\"plain é\",\"needs \\\"escaping\\\"\\n\"]");
    }

    @Provide
    Arbitrary<String> longTexts() {
        return Arbitraries.oneOf(
                Arbitraries.strings().alpha().numeric().withChars(" .,/~{}").ofMaxLength(300),
                Arbitraries.strings().alpha().withChars("\"\\\n\u0000\u001f\u007f\u2028é✓").ofMaxLength(120));
    }

    /** Storing a {@code json} string value writes the bytes the mapper writes for it, for any string. */
    @Property(tries = 1000)
    void aJsonStringValueIsStoredAsTheMapperWritesIt(@ForAll("texts") String text) {
        byte[] stored = RecordFormat.JSON.serialize(JsonNodeFactory.instance.stringNode(text), JSON, "value");

        assertThat(stored).isEqualTo(JSON.writeValueAsBytes(JsonNodeFactory.instance.stringNode(text)));
    }

    /** Text with what JSON must escape: quotes, backslashes, control characters, non-ASCII, surrogates. */
    @Provide
    Arbitrary<String> texts() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(80),
                Arbitraries.strings().withChars("\"\\/\b\f\n\r\t\u0000\u001f\u007f\u2028éa✓").ofMaxLength(30),
                Arbitraries.strings().withCharRange('\ud7f0', '\ue010').ofMaxLength(10),
                Arbitraries.of("", "😀", "a😀b", "\ud83d", "x\ude00y", "<script>"));
    }

    @Example
    void aStringIsWrittenEscapedFromItsUtf8Bytes() {
        byte[] text = "line \"one\"\n\ttab é ✓ \u0001".getBytes(StandardCharsets.UTF_8);

        RenderedValue rendered = RecordFormat.STRING.render(text, JSON);

        assertThat(rendered.format()).isEqualTo(RecordFormat.STRING);
        assertThat(JSON.readTree(JSON.writeValueAsBytes(Map.of("v", rendered))).path("v").asString())
                .isEqualTo("line \"one\"\n\ttab é ✓ \u0001");
    }

    @Example
    void jsonIsWrittenCompactAndNotJsonFallsBack() {
        assertThat(JSON.writeValueAsString(RecordFormat.JSON.render("{ \"a\" : [1, 2.5, \"x\"] }\n".getBytes(StandardCharsets.UTF_8), JSON)))
                .isEqualTo("{\"a\":[1,2.5,\"x\"]}");
        assertThat(RecordFormat.JSON.render("{\"a\": 1} trailing".getBytes(StandardCharsets.UTF_8), JSON).format())
                .isEqualTo(RecordFormat.STRING);
        assertThat(RecordFormat.JSON.render(new byte[] {(byte) 0xff, 0x00}, JSON).format()).isEqualTo(RecordFormat.BINARY);
        assertThat(RecordFormat.STRING.render(new byte[] {(byte) 0xc3}, JSON).format()).isEqualTo(RecordFormat.BINARY);
        assertThat(JSON.writeValueAsString(RecordFormat.BINARY.render(null, JSON))).isEqualTo("null");
    }

    /** Bytes as topics hold them: JSON documents, text, and arbitrary binary. */
    @Provide
    Arbitrary<byte[]> stored() {
        Arbitrary<byte[]> json = Arbitraries.oneOf(
                Arbitraries.integers().map(i -> Integer.toString(i)),
                Arbitraries.strings().ofMaxLength(40).map(s -> JSON.writeValueAsString(Map.of("k", s, "n", s.length()))),
                Arbitraries.strings().ofMaxLength(40).map(s -> "[ " + JSON.writeValueAsString(s) + " , true, null ]"),
                Arbitraries.of("{}", "[]", "true", "null", "1.5e3", " 42 ", "{\"a\":{\"b\":[]}}", "", "{", "1 2"))
                .map(s -> s.getBytes(StandardCharsets.UTF_8));
        Arbitrary<byte[]> text = Arbitraries.strings().ofMaxLength(60).map(s -> s.getBytes(StandardCharsets.UTF_8));
        Arbitrary<byte[]> binary = Arbitraries.bytes().array(byte[].class).ofMaxSize(60);
        return Arbitraries.oneOf(json, text, binary).injectNull(0.05);
    }

    private record Expected(JsonNode node, RecordFormat format) {
    }

    /** The rendering as it was done through a JSON tree and a decoded string. */
    private static Expected throughTree(byte[] bytes, RecordFormat format) {
        if (bytes == null) {
            return new Expected(JsonNodeFactory.instance.nullNode(), format);
        }
        if (format.withSchema()) {
            // No schema is known here: a schema's format falls back as json does.
            format = RecordFormat.JSON;
        }
        if (format == RecordFormat.JSON) {
            try {
                JsonNode tree = JSON.readTree(bytes);
                if (!tree.isMissingNode()) {
                    return new Expected(tree, RecordFormat.JSON);
                }
            } catch (JacksonException e) {
                // not JSON: as a string, below
            }
            format = RecordFormat.STRING;
        }
        if (format == RecordFormat.STRING) {
            try {
                String text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
                return new Expected(JsonNodeFactory.instance.stringNode(text), RecordFormat.STRING);
            } catch (CharacterCodingException e) {
                // not UTF-8: base64, below
            }
        }
        return new Expected(JsonNodeFactory.instance.stringNode(Base64.getEncoder().encodeToString(bytes)),
                RecordFormat.BINARY);
    }
}

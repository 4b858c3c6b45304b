package io.sluice.gateway.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.gateway.format.MaskingRule.MaskedPart;
import io.sluice.gateway.format.MaskingRule.MaskingAction;
import io.sluice.protocol.schema.SchemaType;
import io.sluice.schema.ParsedSchema;
import io.sluice.schema.Schemas;
import io.sluice.schema.WireFormat;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import tools.jackson.databind.json.JsonMapper;

/**
 * The operator's masking rules applied to what a reader gets: fields by path (arrays passed through, {@code *} for
 * any), patterns within fields or over every string and number, whole values, texts, bytes that cannot be looked into
 * and schema-encoded values; whatever the format asked, the concealed content is not in what is rendered.
 */
class MaskingRulesTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String ORDER = """
            {"id": "o-1", "email": "ada@example.com", "card": {"number": "4111111111111111", "expiry": "12/29"},
             "items": [{"sku": "a", "price": 10}, {"sku": "b", "price": 25}], "note": "call 555-0100"}""";

    @Test
    void fieldsAreReplacedOrHashedByPathWithArraysPassedThroughAndTheRestKept() {
        MaskingRules rules = rules(
                rule("orders", List.of("card.number", "items.price"), null, MaskingAction.REPLACE),
                rule("orders", List.of("email"), null, MaskingAction.HASH));

        String shown = value(rules, "orders", ORDER, RecordFormat.JSON);

        assertThat(shown).doesNotContain("4111111111111111", "ada@example.com", "\"price\":10", "\"price\":25")
                .contains("\"number\":\"****\"", "\"expiry\":\"12/29\"", "\"price\":\"****\"", "\"sku\":\"b\"",
                        "\"email\":\"sha256:" + sha256("ada@example.com") + "\"", "\"id\":\"o-1\"");
    }

    @Test
    void aPatternWithinAFieldMasksOnlyWhatItMatchesThere() {
        MaskingRule lastFour = new MaskingRule("orders", null, List.of("card.*"), "\\d(?=\\d{4})", MaskingAction.REPLACE,
                "*");

        String shown = value(rules(lastFour), "orders", ORDER, RecordFormat.JSON);

        assertThat(shown).contains("\"number\":\"************1111\"", "\"expiry\":\"12/29\"", "call 555-0100");
    }

    @Test
    void aPatternAloneMasksEveryStringAndNumberItMatchesAndTexts() {
        MaskingRules digits = rules(rule("orders", List.of(), "\\d{3,}", MaskingAction.REPLACE));

        assertThat(value(digits, "orders", ORDER, RecordFormat.JSON)).doesNotContain("4111", "555", "0100")
                .contains("\"number\":\"****\"", "\"note\":\"call ****-****\"", "\"price\":10");
        assertThat(value(digits, "orders", "call 555-0100 now", RecordFormat.JSON))
                .isEqualTo("\"call ****-**** now\"");
        assertThat(value(digits, "orders", "{\"n\": 12345}", RecordFormat.JSON)).isEqualTo("{\"n\":\"****\"}");
    }

    @Test
    void aRuleWithNeitherFieldsNorPatternConcealsTheWholeValueAndFieldsDoNotApplyToTexts() {
        MaskingRules whole = rules(rule("orders", List.of(), null, MaskingAction.REPLACE));
        MaskingRules fields = rules(rule("orders", List.of("card"), null, MaskingAction.REPLACE));

        assertThat(value(whole, "orders", ORDER, RecordFormat.JSON)).isEqualTo("\"****\"");
        assertThat(value(whole, "orders", "plain text", RecordFormat.STRING)).isEqualTo("\"****\"");
        assertThat(value(fields, "orders", "card 4111", RecordFormat.STRING)).isEqualTo("\"card 4111\"");
    }

    @Test
    void whateverTheFormatAskedTheConcealedContentIsNotRendered() {
        MaskingRules rules = rules(rule("orders", List.of("card"), null, MaskingAction.REPLACE));

        for (RecordFormat format : List.of(RecordFormat.JSON, RecordFormat.STRING, RecordFormat.BINARY,
                RecordFormat.SCHEMA)) {
            String shown = value(rules, "orders", ORDER, format);
            String decoded = format == RecordFormat.BINARY
                    ? new String(Base64.getDecoder().decode(JSON.readTree(shown).asString()), StandardCharsets.UTF_8)
                    : shown;
            assertThat(decoded).as(format.wireName()).doesNotContain("4111111111111111").contains("****");
        }
    }

    @Test
    void bytesThatCannotBeLookedIntoAreConcealedWholeAndHashedAlike() {
        byte[] binary = {(byte) 0xff, (byte) 0xfe, 0x41, 0x42};
        MaskingRules hash = rules(rule("orders", List.of("card"), null, MaskingAction.HASH));
        Masks masks = hash.masks("orders", MaskedPart.VALUE);

        RenderedValue asText = RecordFormat.JSON.render(binary, JSON, KnownSchemas.NONE, masks);
        RenderedValue asBinary = RecordFormat.BINARY.render(binary, JSON, KnownSchemas.NONE, masks);

        assertThat(JSON.writeValueAsString(asText)).isEqualTo("\"sha256:" + sha256(binary) + "\"");
        assertThat(Base64.getDecoder().decode(JSON.readTree(JSON.writeValueAsString(asBinary)).asString()))
                .asString(StandardCharsets.UTF_8).isEqualTo("sha256:" + sha256(binary));
    }

    @Test
    void aSchemaEncodedValueIsMaskedOnceDecodedAndConcealedWholeWhenNotDecoded() {
        ParsedSchema schema = Schemas.parse(SchemaType.AVRO, """
                {"type": "record", "name": "Card", "fields": [{"name": "number", "type": "string"},
                  {"name": "holder", "type": "string"}]}""");
        byte[] stored = WireFormat.encode(7, SchemaType.AVRO, List.of(),
                schema.toBinary("{\"number\": \"4111111111111111\", \"holder\": \"Ada\"}", List.of()));
        KnownSchemas known = KnownSchemas.of(Map.of(7, schema));
        Masks masks = rules(rule("cards", List.of("number"), null, MaskingAction.REPLACE))
                .masks("cards", MaskedPart.VALUE);

        RenderedValue decoded = RecordFormat.SCHEMA.render(stored, JSON, known, masks);
        RenderedValue undecoded = RecordFormat.JSON.render(stored, JSON, known, masks);

        assertThat(JSON.writeValueAsString(decoded)).isEqualTo("{\"number\":\"****\",\"holder\":\"Ada\"}");
        assertThat(decoded.schemaId()).isEqualTo(7);
        assertThat(decoded.format()).isEqualTo(RecordFormat.AVRO);
        assertThat(JSON.writeValueAsString(undecoded)).isEqualTo("\"****\"");
    }

    @Test
    void rulesApplyToTopicsTheirExpressionMatchesWholeAndToTheirPartsOnly() {
        MaskingRules rules = rules(new MaskingRule("pay.*", Set.of(MaskedPart.HEADERS), List.of(), null,
                MaskingAction.REPLACE, "x"));

        assertThat(rules.masks("payments", MaskedPart.HEADERS).isEmpty()).isFalse();
        assertThat(rules.masks("payments", MaskedPart.VALUE).isEmpty()).isTrue();
        assertThat(rules.masks("repay", MaskedPart.HEADERS).isEmpty()).as("the whole name must match").isTrue();
        assertThat(rules.masks("payments")).isTrue();
        assertThat(rules.masks("orders")).isFalse();
        assertThat(rules(rule("o", List.of(), null, MaskingAction.REPLACE)).masks("o", MaskedPart.KEY).isEmpty())
                .as("keys and values by default").isFalse();
    }

    @Test
    void aRuleThatDoesNotCompileIsRefusedNamingIt() {
        assertThatThrownBy(() -> rules(rule("orders", List.of(), "(unclosed", MaskingAction.REPLACE)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sluice.gateway.masking.rules[0].pattern is not a regular expression");
        assertThatThrownBy(() -> rules(rule("[", List.of(), null, MaskingAction.REPLACE)))
                .hasMessageContaining("sluice.gateway.masking.rules[0].topics");
        assertThatThrownBy(() -> rules(rule("orders", List.of("card..number"), null, MaskingAction.REPLACE)))
                .hasMessageContaining("sluice.gateway.masking.rules[0].fields: 'card..number' is not a field path");
    }

    @Test
    void aReadIsMaskedWhenItsHeaderAsksAndOnlyThen() {
        HttpHeaders asked = new HttpHeaders();
        asked.set(Formats.MASK_HEADER, "TRUE");
        HttpHeaders other = new HttpHeaders();
        other.set(Formats.MASK_HEADER, "no");

        assertThat(Formats.DEFAULT.maskedAsAsked(asked).masked()).isTrue();
        assertThat(Formats.DEFAULT.maskedAsAsked(other).masked()).isFalse();
        assertThat(Formats.DEFAULT.maskedAsAsked(new HttpHeaders()).masked()).isFalse();
        assertThat(Formats.DEFAULT.maskedAsAsked(asked).with("string", null, null, null).masked()).isTrue();
    }

    private static MaskingRule rule(String topics, List<String> fields, String pattern, MaskingAction action) {
        return new MaskingRule(topics, null, fields, pattern, action, "****");
    }

    private static MaskingRules rules(MaskingRule... rules) {
        return new MaskingRules(List.of(rules));
    }

    /** The value as a reader asking for {@code format} gets it, masked by {@code rules}. */
    private static String value(MaskingRules rules, String topic, String stored, RecordFormat format) {
        return JSON.writeValueAsString(format.render(stored.getBytes(StandardCharsets.UTF_8), JSON, KnownSchemas.NONE,
                rules.masks(topic, MaskedPart.VALUE)));
    }

    private static String sha256(String text) {
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

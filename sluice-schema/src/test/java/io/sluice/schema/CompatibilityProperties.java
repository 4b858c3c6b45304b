package io.sluice.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.protocol.schema.CompatibilityLevel;
import io.sluice.protocol.schema.SchemaType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * The laws of the levels, for each format: a schema is compatible with itself under every level, and a TRANSITIVE
 * level refuses a schema exactly when its plain level refuses it against one of the earlier versions, each taken
 * alone — it checks every earlier version, and only them — while a plain level looks at the latest version only.
 *
 * <p>Avro: chains of independently generated record schemas (fields of int, long, string or an optional string, with
 * or without defaults). Protobuf and JSON Schema: a generated schema and a chain of small edits to it (a field added,
 * removed, retyped, made repeated or required, given or stripped of a default; a second message added or removed; the
 * object model opened, closed or made partial), so that consecutive versions are often compatible and the chains
 * drift; the statistics check that chains refused by an earlier version only (the case TRANSITIVE exists for) occur.
 */
class CompatibilityProperties {

    private static final List<CompatibilityLevel> PLAIN = List.of(CompatibilityLevel.BACKWARD,
            CompatibilityLevel.FORWARD, CompatibilityLevel.FULL);

    // ---- the laws, whatever the format

    private static void assertCompatibleWithItselfUnderEveryLevel(ParsedSchema schema) {
        for (CompatibilityLevel level : CompatibilityLevel.values()) {
            assertThat(Compatibility.incompatibilities(schema, List.of(schema, schema), level)).as("%s", level)
                    .isEmpty();
        }
    }

    /** Asserts the law over the chain (candidate last); labels what the chain showed under {@code label}. */
    private static void assertTransitiveChecksEveryEarlierVersion(List<ParsedSchema> versions, String label) {
        ParsedSchema candidate = versions.getLast();
        List<ParsedSchema> earlier = versions.subList(0, versions.size() - 1);
        for (CompatibilityLevel level : PLAIN) {
            CompatibilityLevel transitive = CompatibilityLevel.valueOf(level.name() + "_TRANSITIVE");
            boolean refusedByTheLatest = !Compatibility.isCompatible(candidate, List.of(earlier.getLast()), level);
            boolean refusedByOne = earlier.stream()
                    .anyMatch(version -> !Compatibility.isCompatible(candidate, List.of(version), level));
            assertThat(Compatibility.isCompatible(candidate, earlier, transitive)).as("%s", transitive)
                    .isEqualTo(!refusedByOne);
            assertThat(Compatibility.isCompatible(candidate, earlier, level)).as("%s: the latest only", level)
                    .isEqualTo(!refusedByTheLatest);
            Statistics.label(label).collect(!refusedByOne ? "compatible with every version"
                    : refusedByTheLatest ? "refused by the latest version" : "refused by an earlier version only");
        }
    }

    private static void expectChainsRefusedByAnEarlierVersionOnly(String label) {
        Statistics.label(label).coverage(coverage -> {
            coverage.check("refused by an earlier version only").count(count -> count > 0);
            coverage.check("compatible with every version").count(count -> count > 0);
        });
    }

    // ---- Avro

    private static final List<String> AVRO_TYPES = List.of("\"int\"", "\"long\"", "\"string\"",
            "[\"null\",\"string\"]");
    private static final List<String> AVRO_DEFAULTS = List.of("0", "0", "\"\"", "null");

    /** One field: its name (from a small set, so that versions share some), type and whether it has a default. */
    record Field(int name, int type, boolean withDefault) {

        String json() {
            return "{\"name\":\"f" + name + "\",\"type\":" + AVRO_TYPES.get(type)
                    + (withDefault ? ",\"default\":" + AVRO_DEFAULTS.get(type) : "") + "}";
        }
    }

    @Property(tries = 200)
    void everyAvroSchemaIsCompatibleWithItselfUnderEveryLevel(@ForAll("avroSchemas") List<Field> fields) {
        assertCompatibleWithItselfUnderEveryLevel(avro(fields));
    }

    @Property(tries = 200)
    void anAvroTransitiveLevelRefusesExactlyWhatItsPlainLevelRefusesAgainstSomeEarlierVersion(
            @ForAll("avroChains") List<List<Field>> chain) {
        assertTransitiveChecksEveryEarlierVersion(chain.stream().map(CompatibilityProperties::avro).toList(), "avro");
        expectChainsRefusedByAnEarlierVersionOnly("avro");
    }

    @Provide
    Arbitrary<List<Field>> avroSchemas() {
        Arbitrary<Field> field = Combinators.combine(Arbitraries.integers().between(0, 5),
                Arbitraries.integers().between(0, AVRO_TYPES.size() - 1), Arbitraries.of(true, false)).as(Field::new);
        return field.list().ofMinSize(1).ofMaxSize(5).uniqueElements(Field::name);
    }

    @Provide
    Arbitrary<List<List<Field>>> avroChains() {
        return avroSchemas().list().ofMinSize(2).ofMaxSize(4);
    }

    private static ParsedSchema avro(List<Field> fields) {
        List<String> json = new ArrayList<>();
        fields.forEach(field -> json.add(field.json()));
        return Schemas.parse(SchemaType.AVRO, "{\"type\":\"record\",\"name\":\"R\",\"namespace\":\"p\",\"fields\":["
                + String.join(",", json) + "]}");
    }

    // ---- Protobuf and JSON Schema: a shape, edited

    /**
     * A field: its type (an index into its format's types) and flags (Protobuf: 1 repeated; JSON: 1 required,
     * 2 with a default).
     */
    record Slot(int type, int flags) {
    }

    /**
     * A schema of either format, before it is written out: fields by name (a small set, so that versions share
     * some) and a schema-wide setting (Protobuf: 0 message M alone, 1 a second message N, 2 N with another field type;
     * JSON: the object model, 0 open, 1 closed, 2 partially open to strings).
     */
    record Shape(TreeMap<Integer, Slot> fields, int setting) {

        Shape edited(Edit edit) {
            TreeMap<Integer, Slot> edited = new TreeMap<>(fields);
            int setting = this.setting;
            switch (edit.kind()) {
                case ADD_OR_REPLACE -> edited.put(edit.name(), new Slot(edit.type(), edit.flags()));
                case REMOVE -> edited.remove(edit.name());
                case RETYPE -> edited.computeIfPresent(edit.name(), (name, old) -> new Slot(edit.type(), old.flags()));
                case REFLAG -> edited.computeIfPresent(edit.name(), (name, old) -> new Slot(old.type(), edit.flags()));
                case SETTING -> setting = edit.type() % 3;
            }
            return new Shape(edited, setting);
        }
    }

    enum EditKind { ADD_OR_REPLACE, REMOVE, RETYPE, REFLAG, SETTING }

    /** One edit of a shape; {@code type} is taken modulo the format's type count when written out. */
    record Edit(EditKind kind, int name, int type, int flags) {
    }

    private static final int NAMES = 4;

    private static final List<String> PROTOBUF_TYPES = List.of("int32", "int64", "sint32", "string", "bytes",
            "double", "fixed32", "bool");

    private static final List<String> JSON_TYPES = List.of("{\"type\":\"string\"}", "{\"type\":\"integer\"}",
            "{\"type\":\"number\"}", "{\"type\":\"string\",\"maxLength\":8}", "{\"enum\":[\"a\",\"b\"]}",
            "{\"type\":[\"string\",\"null\"]}");
    private static final List<String> JSON_DEFAULTS = List.of("\"\"", "0", "0.5", "\"\"", "\"a\"", "null");
    private static final List<String> JSON_MODELS = List.of("", ",\"additionalProperties\":false",
            ",\"additionalProperties\":{\"type\":\"string\"}");

    @Property(tries = 300)
    void everyProtobufSchemaIsCompatibleWithItselfUnderEveryLevel(@ForAll("shapes") Shape shape) {
        assertCompatibleWithItselfUnderEveryLevel(protobuf(shape));
    }

    @Property(tries = 300)
    void aProtobufTransitiveLevelRefusesExactlyWhatItsPlainLevelRefusesAgainstSomeEarlierVersion(
            @ForAll("editedChains") List<Shape> chain) {
        assertTransitiveChecksEveryEarlierVersion(versions(chain, CompatibilityProperties::protobuf), "protobuf");
        expectChainsRefusedByAnEarlierVersionOnly("protobuf");
    }

    @Property(tries = 300)
    void everyJsonSchemaIsCompatibleWithItselfUnderEveryLevel(@ForAll("shapes") Shape shape) {
        assertCompatibleWithItselfUnderEveryLevel(json(shape));
    }

    @Property(tries = 300)
    void aJsonSchemaTransitiveLevelRefusesExactlyWhatItsPlainLevelRefusesAgainstSomeEarlierVersion(
            @ForAll("editedChains") List<Shape> chain) {
        assertTransitiveChecksEveryEarlierVersion(versions(chain, CompatibilityProperties::json), "json");
        expectChainsRefusedByAnEarlierVersionOnly("json");
    }

    @Provide
    Arbitrary<Shape> shapes() {
        Arbitrary<Map.Entry<Integer, Slot>> field = Combinators.combine(Arbitraries.integers().between(0, NAMES - 1),
                Arbitraries.integers().between(0, 7), Arbitraries.integers().between(0, 3))
                .as((name, type, flags) -> Map.entry(name, new Slot(type, flags)));
        Arbitrary<TreeMap<Integer, Slot>> fields = field.list().ofMaxSize(NAMES).uniqueElements(Map.Entry::getKey)
                .map(entries -> {
                    TreeMap<Integer, Slot> byName = new TreeMap<>();
                    entries.forEach(entry -> byName.put(entry.getKey(), entry.getValue()));
                    return byName;
                });
        return Combinators.combine(fields, Arbitraries.integers().between(0, 2)).as(Shape::new);
    }

    /** A shape and one to three edits of it, each applied to the version before: two to four versions. */
    @Provide
    Arbitrary<List<Shape>> editedChains() {
        Arbitrary<Edit> edit = Combinators.combine(Arbitraries.of(EditKind.class),
                Arbitraries.integers().between(0, NAMES - 1), Arbitraries.integers().between(0, 7),
                Arbitraries.integers().between(0, 3)).as(Edit::new);
        return Combinators.combine(shapes(), edit.list().ofMinSize(1).ofMaxSize(3)).as((first, edits) -> {
            List<Shape> chain = new ArrayList<>(List.of(first));
            edits.forEach(next -> chain.add(chain.getLast().edited(next)));
            return chain;
        });
    }

    private static List<ParsedSchema> versions(List<Shape> chain, Function<Shape, ParsedSchema> format) {
        return chain.stream().map(format).toList();
    }

    /** {@code message M} with a field per name (number name + 1), and per the setting a message N. */
    static ParsedSchema protobuf(Shape shape) {
        StringBuilder text = new StringBuilder("syntax = \"proto3\";\npackage p;\nmessage M {\n");
        shape.fields().forEach((name, slot) -> text.append("  ").append((slot.flags() & 1) != 0 ? "repeated " : "")
                .append(PROTOBUF_TYPES.get(slot.type() % PROTOBUF_TYPES.size())).append(" f").append(name)
                .append(" = ").append(name + 1).append(";\n"));
        text.append("}\n");
        if (shape.setting() > 0) {
            text.append("message N { ").append(shape.setting() == 1 ? "string" : "int64").append(" s = 1; }\n");
        }
        return Schemas.parse(SchemaType.PROTOBUF, text.toString());
    }

    /** An object with a property per name, required and with a default as flagged, in the setting's model. */
    static ParsedSchema json(Shape shape) {
        List<String> properties = new ArrayList<>();
        List<String> required = new ArrayList<>();
        shape.fields().forEach((name, slot) -> {
            int type = slot.type() % JSON_TYPES.size();
            String schema = JSON_TYPES.get(type);
            if ((slot.flags() & 2) != 0) {
                schema = schema.substring(0, schema.length() - 1) + ",\"default\":" + JSON_DEFAULTS.get(type) + "}";
            }
            properties.add("\"p" + name + "\":" + schema);
            if ((slot.flags() & 1) != 0) {
                required.add("\"p" + name + "\"");
            }
        });
        return Schemas.parse(SchemaType.JSON, "{\"type\":\"object\",\"properties\":{" + String.join(",", properties)
                + "}" + (required.isEmpty() ? "" : ",\"required\":[" + String.join(",", required) + "]")
                + JSON_MODELS.get(shape.setting()) + "}");
    }
}

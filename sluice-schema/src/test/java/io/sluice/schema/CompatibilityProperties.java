package io.sluice.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.protocol.schema.CompatibilityLevel;
import io.sluice.protocol.schema.SchemaType;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The laws of the levels, over generated chains of Avro record schemas (fields of int, long, string or an optional
 * string, with or without defaults, added and removed from one version to the next): a schema is compatible with
 * itself under every level, and a TRANSITIVE level refuses a schema exactly when its plain level refuses it against
 * one of the earlier versions, each taken alone — it checks every earlier version, and only them.
 */
class CompatibilityProperties {

    private static final List<String> TYPES = List.of("\"int\"", "\"long\"", "\"string\"", "[\"null\",\"string\"]");
    private static final List<String> DEFAULTS = List.of("0", "0", "\"\"", "null");

    /** One field: its name (from a small set, so that versions share some), type and whether it has a default. */
    record Field(int name, int type, boolean withDefault) {

        String json() {
            return "{\"name\":\"f" + name + "\",\"type\":" + TYPES.get(type)
                    + (withDefault ? ",\"default\":" + DEFAULTS.get(type) : "") + "}";
        }
    }

    @Property(tries = 200)
    void everySchemaIsCompatibleWithItselfUnderEveryLevel(@ForAll("schemas") List<Field> fields) {
        ParsedSchema schema = avro(fields);

        for (CompatibilityLevel level : CompatibilityLevel.values()) {
            assertThat(Compatibility.incompatibilities(schema, List.of(schema, schema), level)).as("%s", level)
                    .isEmpty();
        }
    }

    @Property(tries = 200)
    void aTransitiveLevelRefusesExactlyWhatItsPlainLevelRefusesAgainstSomeEarlierVersion(
            @ForAll("chains") List<List<Field>> chain) {
        List<ParsedSchema> versions = chain.stream().map(CompatibilityProperties::avro).toList();
        ParsedSchema candidate = versions.getLast();
        List<ParsedSchema> earlier = versions.subList(0, versions.size() - 1);

        for (CompatibilityLevel level : List.of(CompatibilityLevel.BACKWARD, CompatibilityLevel.FORWARD,
                CompatibilityLevel.FULL)) {
            CompatibilityLevel transitive = CompatibilityLevel.valueOf(level.name() + "_TRANSITIVE");
            boolean refusedAgainstOne = earlier.stream()
                    .anyMatch(version -> !Compatibility.isCompatible(candidate, List.of(version), level));
            assertThat(Compatibility.isCompatible(candidate, earlier, transitive)).as("%s over %s", transitive, chain)
                    .isEqualTo(!refusedAgainstOne);
            assertThat(Compatibility.isCompatible(candidate, earlier, level)).as("%s: the latest only", level)
                    .isEqualTo(Compatibility.isCompatible(candidate, List.of(earlier.getLast()), level));
        }
    }

    @Provide
    Arbitrary<List<Field>> schemas() {
        Arbitrary<Field> field = Combinators.combine(Arbitraries.integers().between(0, 5),
                Arbitraries.integers().between(0, TYPES.size() - 1), Arbitraries.of(true, false)).as(Field::new);
        return field.list().ofMinSize(1).ofMaxSize(5).uniqueElements(Field::name);
    }

    @Provide
    Arbitrary<List<List<Field>>> chains() {
        return schemas().list().ofMinSize(2).ofMaxSize(4);
    }

    private static ParsedSchema avro(List<Field> fields) {
        List<String> json = new ArrayList<>();
        fields.forEach(field -> json.add(field.json()));
        return Schemas.parse(SchemaType.AVRO, "{\"type\":\"record\",\"name\":\"R\",\"namespace\":\"p\",\"fields\":["
                + String.join(",", json) + "]}");
    }
}

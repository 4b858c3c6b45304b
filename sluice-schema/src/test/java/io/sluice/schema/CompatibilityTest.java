package io.sluice.schema;

import static io.sluice.protocol.schema.CompatibilityLevel.BACKWARD;
import static io.sluice.protocol.schema.CompatibilityLevel.BACKWARD_TRANSITIVE;
import static io.sluice.protocol.schema.CompatibilityLevel.FORWARD;
import static io.sluice.protocol.schema.CompatibilityLevel.FORWARD_TRANSITIVE;
import static io.sluice.protocol.schema.CompatibilityLevel.FULL;
import static io.sluice.protocol.schema.CompatibilityLevel.FULL_TRANSITIVE;
import static io.sluice.protocol.schema.CompatibilityLevel.NONE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import io.sluice.protocol.schema.CompatibilityLevel;
import io.sluice.protocol.schema.SchemaType;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The classic schema changes of each format under each level: compatible ones yield no message, incompatible ones
 * name Confluent's error type.
 */
class CompatibilityTest {

    /** {@code previous} oldest first; {@code errorType} null when the change is compatible. */
    record Case(String change, CompatibilityLevel level, List<String> previous, String candidate, String errorType) {

        @Override
        public String toString() {
            return change + " under " + level + (errorType == null ? " is compatible" : " is " + errorType);
        }
    }

    static Case ok(String change, CompatibilityLevel level, String old, String candidate) {
        return new Case(change, level, List.of(old), candidate, null);
    }

    static Case broken(String change, CompatibilityLevel level, String old, String candidate, String errorType) {
        return new Case(change, level, List.of(old), candidate, errorType);
    }

    /** A change after several versions, {@code versions} oldest first. */
    static Case okAfter(String change, CompatibilityLevel level, List<String> versions, String candidate) {
        return new Case(change, level, versions, candidate, null);
    }

    /**
     * A change that a transitive level refuses because of an earlier version, though the latest takes it: the check
     * also asserts that the latest version alone, and the plain level over all of them, find nothing.
     */
    static Case brokenByAnEarlierVersion(String change, CompatibilityLevel level, List<String> versions,
                                         String candidate, String errorType) {
        return new Case(change, level, versions, candidate, errorType);
    }

    static void check(SchemaType type, Case c) {
        List<ParsedSchema> previous = c.previous().stream().map(text -> Schemas.parse(type, text)).toList();
        ParsedSchema candidate = Schemas.parse(type, c.candidate());

        List<String> messages = Compatibility.incompatibilities(candidate, previous, c.level());

        if (c.errorType() == null) {
            assertThat(messages).isEmpty();
            assertThat(Compatibility.isCompatible(candidate, previous, c.level())).isTrue();
        } else {
            assertThat(messages).isNotEmpty().anySatisfy(message ->
                    assertThat(message).contains("errorType:'" + c.errorType() + "'"));
            assertThat(Compatibility.isCompatible(candidate, previous, c.level())).isFalse();
        }
        if (c.errorType() != null && c.level().transitive() && previous.size() > 1) {
            int latest = previous.size() - 1;
            assertThat(messages).as("only earlier versions refuse it")
                    .noneSatisfy(message -> assertThat(message).contains("oldSchema:" + latest));
            assertThat(Compatibility.incompatibilities(candidate, List.of(previous.get(latest)), c.level()))
                    .as("the latest version alone").isEmpty();
            assertThat(Compatibility.incompatibilities(candidate, previous, plain(c.level())))
                    .as("the plain level, which checks the latest version only").isEmpty();
        }
    }

    static CompatibilityLevel plain(CompatibilityLevel transitive) {
        return CompatibilityLevel.valueOf(transitive.name().replace("_TRANSITIVE", ""));
    }

    // ---- Avro

    static String record(String fields) {
        return "{\"type\": \"record\", \"name\": \"R\", \"fields\": [" + fields + "]}";
    }

    static final String A_INT = "{\"name\": \"a\", \"type\": \"int\"}";
    static final String A_LONG = "{\"name\": \"a\", \"type\": \"long\"}";
    static final String B = "{\"name\": \"b\", \"type\": \"string\"}";
    static final String B_DEFAULT = "{\"name\": \"b\", \"type\": \"string\", \"default\": \"\"}";
    static final String SUIT = "{\"type\": \"enum\", \"name\": \"Suit\", \"symbols\": [\"HEARTS\", \"SPADES\"]}";
    static final String SUIT_MORE =
            "{\"type\": \"enum\", \"name\": \"Suit\", \"symbols\": [\"HEARTS\", \"SPADES\", \"CLUBS\"]}";

    static Stream<Case> avroCases() {
        return Stream.of(
                ok("add a field with a default", BACKWARD, record(A_INT), record(A_INT + "," + B_DEFAULT)),
                broken("add a field without a default", BACKWARD, record(A_INT), record(A_INT + "," + B),
                        "READER_FIELD_MISSING_DEFAULT_VALUE"),
                ok("add a field without a default", FORWARD, record(A_INT), record(A_INT + "," + B)),
                broken("add a field without a default", FULL, record(A_INT), record(A_INT + "," + B),
                        "READER_FIELD_MISSING_DEFAULT_VALUE"),
                ok("add a field with a default", FULL, record(A_INT), record(A_INT + "," + B_DEFAULT)),
                ok("remove a field without a default", BACKWARD, record(A_INT + "," + B), record(A_INT)),
                broken("remove a field without a default", FORWARD, record(A_INT + "," + B), record(A_INT),
                        "READER_FIELD_MISSING_DEFAULT_VALUE"),
                ok("remove a field with a default", FULL, record(A_INT + "," + B_DEFAULT), record(A_INT)),
                ok("promote int to long", BACKWARD, record(A_INT), record(A_LONG)),
                broken("promote int to long", FORWARD, record(A_INT), record(A_LONG), "TYPE_MISMATCH"),
                broken("change int to string", BACKWARD, record(A_INT),
                        record("{\"name\": \"a\", \"type\": \"string\"}"), "TYPE_MISMATCH"),
                ok("add an enum symbol", BACKWARD, SUIT, SUIT_MORE),
                broken("add an enum symbol", FORWARD, SUIT, SUIT_MORE, "MISSING_ENUM_SYMBOLS"),
                ok("add a branch to a union", BACKWARD, "[\"null\", \"int\"]", "[\"null\", \"int\", \"string\"]"),
                broken("remove a branch of a union", BACKWARD, "[\"null\", \"int\", \"string\"]", "[\"null\", \"int\"]",
                        "MISSING_UNION_BRANCH"),
                broken("rename the record", BACKWARD, record(A_INT),
                        record(A_INT).replace("\"R\"", "\"S\""), "NAME_MISMATCH"),
                ok("anything", NONE, record(A_INT), "\"string\""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("avroCases")
    void avro(Case c) {
        check(SchemaType.AVRO, c);
    }

    @Test
    void transitiveLevelsCheckEveryPreviousSchemaPlainLevelsOnlyTheLatest() {
        // v1 has a; v2 adds b with a default; v3 drops b's default: v3 reads v2's data but not v1's.
        List<ParsedSchema> previous = List.of(
                Schemas.parse(SchemaType.AVRO, record(A_INT)),
                Schemas.parse(SchemaType.AVRO, record(A_INT + "," + B_DEFAULT)));
        ParsedSchema v3 = Schemas.parse(SchemaType.AVRO, record(A_INT + "," + B));

        assertThat(Compatibility.incompatibilities(v3, previous, BACKWARD)).isEmpty();
        assertThat(Compatibility.incompatibilities(v3, previous, BACKWARD_TRANSITIVE)).singleElement()
                .asString()
                .contains("errorType:'READER_FIELD_MISSING_DEFAULT_VALUE'")
                .contains("The field 'b' at path '/fields/1' in the new schema has no default value and is missing in "
                        + "the old schema")
                .contains("direction:'BACKWARD'")
                .contains("oldSchema:0");
        assertThat(Compatibility.incompatibilities(v3, previous, FULL_TRANSITIVE)).isNotEmpty();
    }

    @Test
    void forwardTransitiveChecksThatEveryOldSchemaReadsTheNewOnesData() {
        // v1 needs b (no default); v2 gives b a default; v3 drops b: v2 reads v3's data, v1 cannot.
        List<ParsedSchema> previous = List.of(
                Schemas.parse(SchemaType.AVRO, record(A_INT + "," + B)),
                Schemas.parse(SchemaType.AVRO, record(A_INT + "," + B_DEFAULT)));
        ParsedSchema v3 = Schemas.parse(SchemaType.AVRO, record(A_INT));

        assertThat(Compatibility.incompatibilities(v3, previous, FORWARD)).isEmpty();
        assertThat(Compatibility.incompatibilities(v3, previous, FORWARD_TRANSITIVE)).singleElement()
                .asString().contains("direction:'FORWARD'").contains("oldSchema:0");
    }

    @Test
    void schemasOfDifferentTypesAreNeverCompatible() {
        ParsedSchema avro = Schemas.parse(SchemaType.AVRO, "\"string\"");
        ParsedSchema json = Schemas.parse(SchemaType.JSON, "{\"type\": \"string\"}");

        assertThat(Compatibility.incompatibilities(json, List.of(avro), FORWARD)).singleElement().asString()
                .contains("errorType:'SCHEMA_TYPE_CHANGED'").contains("JSON").contains("AVRO")
                .contains("direction:'FORWARD'");
        assertThat(Compatibility.incompatibilities(json, List.of(avro), NONE)).isEmpty();
    }

    @Test
    void nothingPreviousMeansCompatible() {
        assertThat(Compatibility.incompatibilities(Schemas.parse(SchemaType.AVRO, "\"int\""), List.of(),
                FULL_TRANSITIVE)).isEmpty();
    }

    @Test
    void levelsParseFromConfluentsNames() {
        assertThat(CompatibilityLevel.fromName("full_transitive")).isEqualTo(FULL_TRANSITIVE);
        assertThat(FULL.backward() && FULL.forward() && !FULL.transitive()).isTrue();
        assertThat(SchemaType.fromName(null)).isEqualTo(SchemaType.AVRO);
        assertThat(SchemaType.fromName("protobuf")).isEqualTo(SchemaType.PROTOBUF);
        assertThatThrownBy(() -> CompatibilityLevel.fromName("SIDEWAYS"))
                .isInstanceOfSatisfying(SluiceException.class, e -> assertThat(e.errorCode())
                        .isEqualTo(ErrorCode.INVALID_COMPATIBILITY_LEVEL)).hasMessageContaining("BACKWARD_TRANSITIVE");
        assertThatThrownBy(() -> SchemaType.fromName("XML"))
                .isInstanceOfSatisfying(SluiceException.class, e -> assertThat(e.errorCode())
                        .isEqualTo(ErrorCode.INVALID_SCHEMA));
    }

    // ---- Protobuf

    static String proto3(String body) {
        return "syntax = \"proto3\";\npackage p;\n" + body;
    }

    static String message(String fields) {
        return proto3("message M {\n" + fields + "\n}\n");
    }

    static Stream<Case> protobufCases() {
        String twoFields = message("string name = 1; int32 count = 2;");
        return Stream.of(
                ok("add a field", BACKWARD, message("string name = 1;"), twoFields),
                ok("add a field", FULL, message("string name = 1;"), twoFields),
                ok("remove a field", FULL, twoFields, message("string name = 1;")),
                ok("rename a field", FULL, twoFields, message("string title = 1; int32 count = 2;")),
                // Confluent's rules see a renumbered field as one removed and one added, both compatible changes.
                ok("renumber a field", FULL, message("string name = 1;"), message("string name = 2;")),
                ok("int32 to int64", FULL, message("int32 n = 1;"), message("int64 n = 1;")),
                ok("uint64 to bool", FULL, message("uint64 n = 1;"), message("bool n = 1;")),
                ok("sint32 to sint64", FULL, message("sint32 n = 1;"), message("sint64 n = 1;")),
                ok("fixed32 to sfixed32", FULL, message("fixed32 n = 1;"), message("sfixed32 n = 1;")),
                ok("fixed64 to sfixed64", FULL, message("fixed64 n = 1;"), message("sfixed64 n = 1;")),
                ok("string to bytes", FULL, message("string n = 1;"), message("bytes n = 1;")),
                ok("int32 to an enum", FULL, message("int32 n = 1;"),
                        proto3("enum E { Z = 0; } message M { E n = 1; }")),
                broken("int32 to sint32", BACKWARD, message("int32 n = 1;"), message("sint32 n = 1;"),
                        "FIELD_SCALAR_KIND_CHANGED"),
                broken("int32 to string", BACKWARD, message("int32 n = 1;"), message("string n = 1;"),
                        "FIELD_SCALAR_KIND_CHANGED"),
                broken("fixed32 to fixed64", BACKWARD, message("fixed32 n = 1;"), message("fixed64 n = 1;"),
                        "FIELD_SCALAR_KIND_CHANGED"),
                broken("float to double", BACKWARD, message("float n = 1;"), message("double n = 1;"),
                        "FIELD_SCALAR_KIND_CHANGED"),
                broken("scalar to message", BACKWARD, message("string n = 1;"),
                        proto3("message N { string s = 1; } message M { N n = 1; }"), "FIELD_KIND_CHANGED"),
                broken("map to repeated message", BACKWARD, message("map<string, string> n = 1;"),
                        proto3("message N { string key = 1; string value = 2; } message M { repeated N n = 1; }"),
                        "FIELD_KIND_CHANGED"),
                broken("message field to another message", BACKWARD,
                        proto3("message M { A n = 1; } message A { string s = 1; } message B { string s = 1; }"),
                        proto3("message M { B n = 1; } message A { string s = 1; } message B { string s = 1; }"),
                        "FIELD_NAMED_TYPE_CHANGED"),
                broken("a message field's message changed incompatibly", BACKWARD,
                        proto3("message M { A n = 1; } message A { string s = 1; }"),
                        proto3("message M { A n = 1; } message A { int64 s = 1; }"), "FIELD_NAMED_TYPE_CHANGED"),
                broken("repeated int32 to int32", BACKWARD, message("repeated int32 n = 1;"),
                        message("int32 n = 1;"), "FIELD_NUMERIC_LABEL_CHANGED"),
                ok("repeated string to string", FULL, message("repeated string n = 1;"), message("string n = 1;")),
                broken("remove a message", BACKWARD, proto3("message M { string s = 1; } message N { }"),
                        proto3("message M { string s = 1; }"), "MESSAGE_REMOVED"),
                ok("add a message", BACKWARD, proto3("message M { string s = 1; }"),
                        proto3("message M { string s = 1; } message N { }")),
                ok("reorder messages", FULL, proto3("message M { } message N { }"),
                        proto3("message N { } message M { }")),
                broken("rename the first message", BACKWARD, proto3("message M { string s = 1; }"),
                        proto3("message M2 { string s = 1; }"), "MESSAGE_REMOVED"),
                broken("remove a nested message", BACKWARD, proto3("message M { message Inner { } }"),
                        proto3("message M { }"), "MESSAGE_REMOVED"),
                broken("change the package", BACKWARD, message("string s = 1;"),
                        message("string s = 1;").replace("package p;", "package q;"), "PACKAGE_CHANGED"),
                ok("move one field into a new oneof", FULL, message("string a = 1; string b = 2;"),
                        message("string a = 1; oneof choice { string b = 2; }")),
                broken("move two fields into a oneof", BACKWARD, message("string a = 1; string b = 2;"),
                        message("oneof choice { string a = 1; string b = 2; }"), "MULTIPLE_FIELDS_MOVED_TO_ONEOF"),
                broken("move a field into an existing oneof", BACKWARD,
                        message("string a = 1; oneof choice { string b = 2; }"),
                        message("oneof choice { string a = 1; string b = 2; }"), "FIELD_MOVED_TO_EXISTING_ONEOF"),
                ok("add a field to a oneof", BACKWARD, message("oneof choice { string a = 1; }"),
                        message("oneof choice { string a = 1; string b = 2; }")),
                broken("remove a field of a oneof", BACKWARD, message("oneof choice { string a = 1; string b = 2; }"),
                        message("oneof choice { string a = 1; }"), "ONEOF_FIELD_REMOVED"),
                broken("add a required field", BACKWARD, "syntax = \"proto2\"; message M { optional int32 a = 1; }",
                        "syntax = \"proto2\"; message M { optional int32 a = 1; required int32 b = 2; }",
                        "REQUIRED_FIELD_ADDED"),
                broken("remove a required field", BACKWARD,
                        "syntax = \"proto2\"; message M { optional int32 a = 1; required int32 b = 2; }",
                        "syntax = \"proto2\"; message M { optional int32 a = 1; }", "REQUIRED_FIELD_REMOVED"),
                broken("make an optional field required", BACKWARD,
                        "syntax = \"proto2\"; message M { optional int32 a = 1; }",
                        "syntax = \"proto2\"; message M { required int32 a = 1; }", "REQUIRED_FIELD_ADDED"),
                ok("make a required field optional", BACKWARD,
                        "syntax = \"proto2\"; message M { required int32 a = 1; }",
                        "syntax = \"proto2\"; message M { optional int32 a = 1; }"),
                ok("change syntax", FULL, "syntax = \"proto2\"; message M { optional int32 a = 1; }",
                        "syntax = \"proto3\"; message M { int32 a = 1; }"),
                ok("add an enum constant", FULL, proto3("enum E { Z = 0; } message M { E e = 1; }"),
                        proto3("enum E { Z = 0; ONE = 1; } message M { E e = 1; }")),
                ok("remove a message under FORWARD (the old schema keeps reading what it knows)", FORWARD,
                        proto3("message M { string s = 1; } message N { }"), proto3("message M { string s = 1; }")),
                broken("remove a message", FULL, proto3("message M { string s = 1; } message N { }"),
                        proto3("message M { string s = 1; }"), "MESSAGE_REMOVED"),
                // Transitive levels check every earlier version, plain ones the latest only. Each step of this chain
                // is FULL compatible (field 1 removed, field 2 added, field 1 added again), but the candidate gives
                // number 1, a string in v1, to an int32: v1's data and v1's readers break.
                okAfter("reuse a removed field's number for another type", BACKWARD, NUMBER_1_REMOVED, NUMBER_1_REUSED),
                brokenByAnEarlierVersion("reuse a removed field's number for another type", BACKWARD_TRANSITIVE,
                        NUMBER_1_REMOVED, NUMBER_1_REUSED, "FIELD_SCALAR_KIND_CHANGED"),
                okAfter("reuse a removed field's number for another type", FORWARD, NUMBER_1_REMOVED, NUMBER_1_REUSED),
                brokenByAnEarlierVersion("reuse a removed field's number for another type", FORWARD_TRANSITIVE,
                        NUMBER_1_REMOVED, NUMBER_1_REUSED, "FIELD_SCALAR_KIND_CHANGED"),
                okAfter("reuse a removed field's number for another type", FULL, NUMBER_1_REMOVED, NUMBER_1_REUSED),
                brokenByAnEarlierVersion("reuse a removed field's number for another type", FULL_TRANSITIVE,
                        NUMBER_1_REMOVED, NUMBER_1_REUSED, "FIELD_SCALAR_KIND_CHANGED"),
                okAfter("reuse a field's number with a type of its group", FULL_TRANSITIVE,
                        List.of(message("int32 n = 1;"), message("string s = 2;")),
                        message("string s = 2; int64 n = 1;")),
                // v2 removed message N (a FORWARD change): v3 reads v2's data, not v1's N; v1's readers read v3's.
                okAfter("change a field after a message was removed", BACKWARD, MESSAGE_N_REMOVED, AFTER_N_REMOVED),
                brokenByAnEarlierVersion("change a field after a message was removed", BACKWARD_TRANSITIVE,
                        MESSAGE_N_REMOVED, AFTER_N_REMOVED, "MESSAGE_REMOVED"),
                okAfter("change a field after a message was removed", FORWARD_TRANSITIVE, MESSAGE_N_REMOVED,
                        AFTER_N_REMOVED),
                ok("anything", NONE, message("string s = 1;"),
                        proto3("message Other { repeated double s = 1; }").replace("package p;", "package q;")),
                okAfter("anything after anything", NONE, NUMBER_1_REMOVED, proto3("message Other { }")));
    }

    static final List<String> NUMBER_1_REMOVED = List.of(message("string name = 1;"), message("string title = 2;"));
    static final String NUMBER_1_REUSED = message("string title = 2; int32 count = 1;");
    static final List<String> MESSAGE_N_REMOVED = List.of(proto3("message M { string s = 1; } message N { }"),
            proto3("message M { string s = 1; }"));
    static final String AFTER_N_REMOVED = proto3("message M { string s = 1; int64 t = 2; }");

    @ParameterizedTest(name = "{0}")
    @MethodSource("protobufCases")
    void protobuf(Case c) {
        check(SchemaType.PROTOBUF, c);
    }

    @Test
    void recursiveProtobufMessagesCompareWithoutLooping() {
        ParsedSchema old = Schemas.parse(SchemaType.PROTOBUF, proto3("message Node { repeated Node kids = 1; }"));
        ParsedSchema renamedField = Schemas.parse(SchemaType.PROTOBUF,
                proto3("message Node { repeated Node children = 1; string label = 2; }"));

        assertThat(Compatibility.incompatibilities(renamedField, List.of(old), FULL_TRANSITIVE)).isEmpty();
    }

    // ---- JSON Schema

    static String object(String properties, String extra) {
        return "{\"type\": \"object\", \"properties\": {" + properties + "}" + extra + "}";
    }

    static final String NAME = "\"name\": {\"type\": \"string\"}";
    static final String AGE = "\"age\": {\"type\": \"integer\"}";
    static final String CLOSED = ", \"additionalProperties\": false";

    static Stream<Case> jsonCases() {
        return Stream.of(
                broken("add a property to an open model", BACKWARD, object(NAME, ""), object(NAME + "," + AGE, ""),
                        "PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL"),
                ok("add a property to an open model", FORWARD, object(NAME, ""), object(NAME + "," + AGE, "")),
                ok("add a property accepting anything to an open model", BACKWARD, object(NAME, ""),
                        object(NAME + ", \"any\": {}", "")),
                ok("remove a property from an open model", BACKWARD, object(NAME + "," + AGE, ""), object(NAME, "")),
                broken("remove a property from an open model", FORWARD, object(NAME + "," + AGE, ""),
                        object(NAME, ""), "PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL"),
                ok("add an optional property to a closed model", BACKWARD, object(NAME, CLOSED),
                        object(NAME + "," + AGE, CLOSED)),
                broken("add a required property without a default to a closed model", BACKWARD, object(NAME, CLOSED),
                        object(NAME + "," + AGE, CLOSED + ", \"required\": [\"age\"]"),
                        "REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL"),
                ok("add a required property with a default to a closed model", BACKWARD, object(NAME, CLOSED),
                        object(NAME + ", \"age\": {\"type\": \"integer\", \"default\": 0}",
                                CLOSED + ", \"required\": [\"age\"]")),
                broken("remove a property from a closed model", BACKWARD, object(NAME + "," + AGE, CLOSED),
                        object(NAME, CLOSED), "PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL"),
                ok("add a property covered by a partially open model", BACKWARD,
                        object(NAME, ", \"additionalProperties\": {\"type\": \"string\"}"),
                        object(NAME + ", \"nick\": {\"type\": \"string\", \"maxLength\": 1000}",
                                ", \"additionalProperties\": {\"type\": \"string\"}")
                                .replace(", \"maxLength\": 1000", "")),
                broken("add a property a partially open model does not cover", BACKWARD,
                        object(NAME, ", \"additionalProperties\": {\"type\": \"string\"}"),
                        object(NAME + "," + AGE, ", \"additionalProperties\": {\"type\": \"string\"}"),
                        "PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL"),
                broken("close an open model", BACKWARD, object(NAME, ""), object(NAME, CLOSED),
                        "ADDITIONAL_PROPERTIES_REMOVED"),
                ok("open a closed model", BACKWARD, object(NAME, CLOSED), object(NAME, "")),
                broken("narrow an open model to typed additional properties", BACKWARD, object(NAME, ""),
                        object(NAME, ", \"additionalProperties\": {\"type\": \"string\"}"),
                        "ADDITIONAL_PROPERTIES_NARROWED"),
                ok("widen integer to number", BACKWARD, "{\"type\": \"integer\"}", "{\"type\": \"number\"}"),
                broken("widen integer to number", FORWARD, "{\"type\": \"integer\"}", "{\"type\": \"number\"}",
                        "TYPE_NARROWED"),
                broken("narrow number to integer", BACKWARD, "{\"type\": \"number\"}", "{\"type\": \"integer\"}",
                        "TYPE_NARROWED"),
                broken("change string to integer", BACKWARD, "{\"type\": \"string\"}", "{\"type\": \"integer\"}",
                        "TYPE_CHANGED"),
                ok("allow null too", BACKWARD, "{\"type\": \"string\"}", "{\"type\": [\"string\", \"null\"]}"),
                broken("stop allowing null", BACKWARD, "{\"type\": [\"string\", \"null\"]}", "{\"type\": \"string\"}",
                        "SUM_TYPE_NARROWED"),
                ok("add an anyOf branch", BACKWARD, "{\"anyOf\": [{\"type\": \"string\"}]}",
                        "{\"anyOf\": [{\"type\": \"string\"}, {\"type\": \"integer\"}]}"),
                broken("remove an anyOf branch", BACKWARD,
                        "{\"anyOf\": [{\"type\": \"string\"}, {\"type\": \"integer\"}]}",
                        "{\"anyOf\": [{\"type\": \"string\"}]}", "SUM_TYPE_NARROWED"),
                broken("require an existing property", BACKWARD, object(NAME, ""),
                        object(NAME, ", \"required\": [\"name\"]"), "REQUIRED_ATTRIBUTE_ADDED"),
                ok("stop requiring a property", BACKWARD, object(NAME, ", \"required\": [\"name\"]"),
                        object(NAME, "")),
                ok("add an enum value", BACKWARD, "{\"enum\": [\"a\", \"b\"]}", "{\"enum\": [\"a\", \"b\", \"c\"]}"),
                broken("remove an enum value", BACKWARD, "{\"enum\": [\"a\", \"b\"]}", "{\"enum\": [\"a\"]}",
                        "ENUM_ARRAY_NARROWED"),
                broken("decrease maxLength", BACKWARD, "{\"type\": \"string\", \"maxLength\": 10}",
                        "{\"type\": \"string\", \"maxLength\": 5}", "MAX_LENGTH_DECREASED"),
                ok("increase maxLength", BACKWARD, "{\"type\": \"string\", \"maxLength\": 5}",
                        "{\"type\": \"string\", \"maxLength\": 10}"),
                broken("add minLength", BACKWARD, "{\"type\": \"string\"}", "{\"type\": \"string\", \"minLength\": 1}",
                        "MIN_LENGTH_ADDED"),
                broken("add a pattern", BACKWARD, "{\"type\": \"string\"}",
                        "{\"type\": \"string\", \"pattern\": \"^a\"}", "PATTERN_ADDED"),
                broken("lower the maximum", BACKWARD, "{\"type\": \"number\", \"maximum\": 10}",
                        "{\"type\": \"number\", \"maximum\": 9.5}", "MAXIMUM_DECREASED"),
                broken("raise the minimum", BACKWARD, "{\"type\": \"number\", \"minimum\": 0}",
                        "{\"type\": \"number\", \"minimum\": 1}", "MINIMUM_INCREASED"),
                ok("remove the minimum", BACKWARD, "{\"type\": \"number\", \"minimum\": 0}", "{\"type\": \"number\"}"),
                broken("add exclusiveMaximum", BACKWARD, "{\"type\": \"number\"}",
                        "{\"type\": \"number\", \"exclusiveMaximum\": 3}", "EXCLUSIVE_MAXIMUM_ADDED"),
                ok("multipleOf to a divisor", BACKWARD, "{\"type\": \"integer\", \"multipleOf\": 4}",
                        "{\"type\": \"integer\", \"multipleOf\": 2}"),
                broken("multipleOf to a multiple", BACKWARD, "{\"type\": \"integer\", \"multipleOf\": 2}",
                        "{\"type\": \"integer\", \"multipleOf\": 4}", "MULTIPLE_OF_CHANGED"),
                broken("change the items' type", BACKWARD,
                        object("\"tags\": {\"type\": \"array\", \"items\": {\"type\": \"string\"}}", ""),
                        object("\"tags\": {\"type\": \"array\", \"items\": {\"type\": \"integer\"}}", ""),
                        "TYPE_CHANGED"),
                broken("lower maxItems", BACKWARD, "{\"type\": \"array\", \"maxItems\": 3}",
                        "{\"type\": \"array\", \"maxItems\": 2}", "MAX_ITEMS_DECREASED"),
                broken("remove a property of a nested closed object", BACKWARD,
                        object("\"address\": " + object(NAME + "," + AGE, CLOSED), ""),
                        object("\"address\": " + object(NAME, CLOSED), ""),
                        "PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL"),
                broken("a change behind a $ref", BACKWARD,
                        "{\"definitions\": {\"n\": {\"type\": \"integer\"}}, \"type\": \"object\", "
                                + "\"properties\": {\"n\": {\"$ref\": \"#/definitions/n\"}}}",
                        "{\"definitions\": {\"n\": {\"type\": \"string\"}}, \"type\": \"object\", "
                                + "\"properties\": {\"n\": {\"$ref\": \"#/definitions/n\"}}}",
                        "TYPE_CHANGED"),
                ok("title, description and default changes", FULL,
                        "{\"type\": \"string\", \"title\": \"a\", \"description\": \"x\", \"default\": \"\"}",
                        "{\"type\": \"string\", \"title\": \"b\", \"description\": \"y\", \"default\": \"z\"}"),
                ok("typeless schemas with keywords this check does not read", FULL,
                        "{\"not\": {\"type\": \"string\"}}", "{\"not\": {\"type\": \"integer\"}}"),
                ok("booleans", FULL, "true", "{}"),
                broken("any value to strings only", BACKWARD, "true", "{\"type\": \"string\"}", "TYPE_CHANGED"),
                broken("an open model gains a typed property", FULL, object(NAME, ""), object(NAME + "," + AGE, ""),
                        "PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL"),
                // Transitive levels check every earlier version, plain ones the latest only. A default makes a newly
                // required property compatible; the default's removal then looks harmless against the latest version
                // (it requires the property too) but not against the one before, which did not require it.
                okAfter("require a property, then drop its default", BACKWARD, NAME_COMES_TO_BE_REQUIRED,
                        REQUIRED_NAME),
                brokenByAnEarlierVersion("require a property, then drop its default", BACKWARD_TRANSITIVE,
                        NAME_COMES_TO_BE_REQUIRED, REQUIRED_NAME, "REQUIRED_ATTRIBUTE_ADDED"),
                okAfter("require a property, then drop its default", FORWARD_TRANSITIVE, NAME_COMES_TO_BE_REQUIRED,
                        REQUIRED_NAME),
                // The other way round: v1's readers need name (no default), v2's have a default for it, and v3 stops
                // writing it. v2 reads v3's data, v1 does not.
                okAfter("give a required property a default, then make it optional", FORWARD,
                        NAME_GETS_A_DEFAULT, OPTIONAL_NAME),
                brokenByAnEarlierVersion("give a required property a default, then make it optional",
                        FORWARD_TRANSITIVE, NAME_GETS_A_DEFAULT, OPTIONAL_NAME, "REQUIRED_ATTRIBUTE_ADDED"),
                okAfter("give a required property a default, then make it optional", FULL, NAME_GETS_A_DEFAULT,
                        OPTIONAL_NAME),
                brokenByAnEarlierVersion("give a required property a default, then make it optional",
                        FULL_TRANSITIVE, NAME_GETS_A_DEFAULT, OPTIONAL_NAME, "REQUIRED_ATTRIBUTE_ADDED"),
                okAfter("give a required property a default, then make it optional", BACKWARD_TRANSITIVE,
                        NAME_GETS_A_DEFAULT, OPTIONAL_NAME),
                ok("anything", NONE, object(NAME, CLOSED), "{\"type\": \"string\"}"),
                okAfter("anything after anything", NONE, NAME_GETS_A_DEFAULT, "false"));
    }

    static final String OPTIONAL_NAME = object(NAME, "");
    static final String REQUIRED_NAME = object(NAME, ", \"required\": [\"name\"]");
    static final String REQUIRED_NAME_WITH_DEFAULT = object("\"name\": {\"type\": \"string\", \"default\": \"\"}",
            ", \"required\": [\"name\"]");
    static final List<String> NAME_COMES_TO_BE_REQUIRED = List.of(OPTIONAL_NAME, REQUIRED_NAME_WITH_DEFAULT);
    static final List<String> NAME_GETS_A_DEFAULT = List.of(REQUIRED_NAME, REQUIRED_NAME_WITH_DEFAULT);

    @ParameterizedTest(name = "{0}")
    @MethodSource("jsonCases")
    void json(Case c) {
        check(SchemaType.JSON, c);
    }

    @Test
    void aMessageSaysWhereWhatAndWhichWay() {
        ParsedSchema old = Schemas.parse(SchemaType.JSON, object(NAME + "," + AGE, CLOSED));
        ParsedSchema candidate = Schemas.parse(SchemaType.JSON, object(NAME, CLOSED));

        assertThat(Compatibility.incompatibilities(candidate, List.of(old), BACKWARD)).singleElement().asString()
                .isEqualTo("{errorType:'PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL', path:'#/properties/age', "
                        + "description:'The property age of the old schema is not in the new schema, which allows "
                        + "no other properties', direction:'BACKWARD', oldSchema:0}");
    }

    @Test
    void recursiveJsonSchemasCompareWithoutLooping() {
        String tree = "{\"type\": \"object\", \"properties\": {\"label\": {\"type\": \"string\"}, "
                + "\"kids\": {\"type\": \"array\", \"items\": {\"$ref\": \"#\"}}}}";
        ParsedSchema old = Schemas.parse(SchemaType.JSON, tree);
        ParsedSchema narrowed = Schemas.parse(SchemaType.JSON, tree.replace("\"string\"", "\"integer\""));

        assertThat(Compatibility.incompatibilities(Schemas.parse(SchemaType.JSON, tree), List.of(old), FULL))
                .isEmpty();
        assertThat(Compatibility.incompatibilities(narrowed, List.of(old), BACKWARD)).isNotEmpty();
    }

    @Test
    void recursionsOfDifferentPeriodsEndToo() {
        // The writer recurses at every level, the reader every other level.
        String everyLevel = "{\"type\": \"object\", \"properties\": {\"next\": {\"$ref\": \"#\"}}}";
        String everyOtherLevel = "{\"type\": \"object\", \"properties\": {\"next\": {\"type\": \"object\", "
                + "\"properties\": {\"next\": {\"$ref\": \"#\"}}}}}";

        assertThat(Compatibility.incompatibilities(Schemas.parse(SchemaType.JSON, everyOtherLevel),
                List.of(Schemas.parse(SchemaType.JSON, everyLevel)), FULL)).isEmpty();
    }
}

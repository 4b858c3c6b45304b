package io.sluice.schema;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Confluent's core JSON Schema compatibility rules: can every JSON value that the writer schema accepts be read by
 * the reader schema? Error types are Confluent's. {@code $ref}s are followed, within a document ({@code #/...}) and
 * into referenced documents; a type compared with itself recursively counts as compatible.
 *
 * <p>Incompatible (the compatible counterpart in brackets):
 * <ul>
 *   <li>Types: a writer type the reader does not accept ({@code TYPE_CHANGED}), number to integer
 *       ({@code TYPE_NARROWED}) [integer to number, {@code TYPE_EXTENDED}; a reader without {@code type}]. A schema
 *       without {@code type} takes its type from its keywords (properties: object, items: array, ...).
 *   <li>Strings: {@code maxLength} added or decreased, {@code minLength} added or increased, {@code pattern} added or
 *       changed [removed, loosened].
 *   <li>Numbers: {@code maximum}, {@code exclusiveMaximum} added or decreased; {@code minimum},
 *       {@code exclusiveMinimum} added or increased; {@code multipleOf} added or changed to a value the writer's is no
 *       multiple of [removed, loosened, a divisor of the writer's].
 *   <li>Enums: a value of the writer's {@code enum} (or {@code const}) missing from the reader's, or an enum added
 *       ({@code ENUM_ARRAY_NARROWED}) [values added, enum removed].
 *   <li>Objects, with the content model of {@code additionalProperties}: open (absent, {@code true} or {@code {}},
 *       and no {@code patternProperties}), partially open (a schema, or {@code patternProperties}), closed
 *       ({@code false}): a property added to an open writer model unless its schema accepts anything
 *       ({@code PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL}); a property removed from a closed reader model
 *       ({@code PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL}) [from an open one]; a property added or removed that the
 *       other side's partial model does not cover ({@code ..._NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL}); a required
 *       property added without a default ({@code REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL},
 *       {@code REQUIRED_ATTRIBUTE_ADDED}) [with a default; required removed]; {@code additionalProperties} closed
 *       ({@code ADDITIONAL_PROPERTIES_REMOVED}) or narrowed from open to a schema
 *       ({@code ADDITIONAL_PROPERTIES_NARROWED})
 *       [opened, extended]; {@code maxProperties} added or decreased, {@code minProperties} added or increased;
 *       property schemas compared recursively (nested objects included).
 *   <li>Arrays: {@code items} compared recursively; tuples ({@code items} as an array, or {@code prefixItems})
 *       position by position, with items added or removed judged by {@code additionalItems} as properties are by
 *       {@code additionalProperties}; {@code maxItems} added or decreased, {@code minItems} added or increased,
 *       {@code uniqueItems} added.
 *   <li>Combinations: a reader {@code anyOf}/{@code oneOf} (or a {@code type} array) must accept each alternative of
 *       the writer in one of its branches ({@code SUM_TYPE_NARROWED}, {@code TYPE_CHANGED}) [branches added]; each
 *       branch of a reader {@code allOf} must accept the writer ({@code PRODUCT_TYPE_EXTENDED}) [branches removed].
 * </ul>
 * Not checked: {@code not}, {@code dependencies} / {@code dependentRequired} / {@code dependentSchemas},
 * {@code if}/{@code then}/{@code else}, {@code unevaluated*}, {@code contains}, {@code propertyNames}, {@code format},
 * draft 4's boolean {@code exclusiveMaximum}/{@code exclusiveMinimum}, Confluent's reserved-properties metadata.
 * Title, description, default and {@code $id} changes are compatible.
 *
 * <p>One instance per check; not thread-safe.
 */
final class JsonSchemaCompatibility {

    private static final Set<String> ANNOTATIONS = Set.of("$schema", "$id", "id", "title", "description", "default",
            "examples", "$comment", "definitions", "$defs", "readOnly", "writeOnly", "format", "deprecated");

    private static final Set<String> OBJECT_KEYWORDS = Set.of("properties", "required", "additionalProperties",
            "patternProperties", "minProperties", "maxProperties");
    private static final Set<String> ARRAY_KEYWORDS = Set.of("items", "prefixItems", "additionalItems", "minItems",
            "maxItems", "uniqueItems");
    private static final Set<String> STRING_KEYWORDS = Set.of("minLength", "maxLength", "pattern");
    private static final Set<String> NUMBER_KEYWORDS = Set.of("minimum", "maximum", "exclusiveMinimum",
            "exclusiveMaximum", "multipleOf");

    private static final int MAX_REF_HOPS = 64;

    /**
     * How deep comparisons nest before the rest counts as compatible: a safety net. Recursive schemas recurse through
     * {@code $ref}s, and a pair of nodes compared again while in progress ends the recursion; but alternatives
     * ({@code anyOf}, {@code type} arrays) are compared as fresh copies, which that identity check cannot recognise.
     */
    private static final int MAX_DEPTH = 200;

    /** A schema node with what its {@code $ref}s resolve against: its document and the referenced documents. */
    private record At(JsonNode node, JsonNode root, Map<String, JsonNode> documents) {

        At child(JsonNode child) {
            return new At(child, root, documents);
        }
    }

    /** Two schema nodes by identity: the comparison in progress that a recursive schema would start again. */
    private record Pair(JsonNode writer, JsonNode reader) {

        @Override
        public boolean equals(Object other) {
            return other instanceof Pair that && writer == that.writer && reader == that.reader;
        }

        @Override
        public int hashCode() {
            return 31 * System.identityHashCode(writer) + System.identityHashCode(reader);
        }
    }

    private final Compatibility.Roles roles;
    private final Set<Pair> inProgress;
    private final List<Incompatibility> found = new ArrayList<>();
    private int depth;

    JsonSchemaCompatibility(Compatibility.Roles roles) {
        this(roles, new HashSet<>(), 0);
    }

    private JsonSchemaCompatibility(Compatibility.Roles roles, Set<Pair> inProgress, int depth) {
        this.roles = roles;
        this.inProgress = inProgress;
        this.depth = depth;
    }

    List<Incompatibility> check(JsonSchema writer, JsonSchema reader) {
        compare(new At(writer.document(), writer.document(), writer.referencedDocuments()),
                new At(reader.document(), reader.document(), reader.referencedDocuments()), "#");
        return List.copyOf(found);
    }

    /** Whether {@code reader} reads all of {@code writer}, without reporting anything. */
    private boolean accepts(At writer, At reader, String path) {
        JsonSchemaCompatibility trial = new JsonSchemaCompatibility(roles, new HashSet<>(inProgress), depth);
        trial.compare(writer, reader, path);
        return trial.found.isEmpty();
    }

    private void compare(At writerAt, At readerAt, String path) {
        At writer = resolve(writerAt, path);
        At reader = resolve(readerAt, path);
        if (writer == null || reader == null) {
            return;
        }
        Pair pair = new Pair(writer.node(), reader.node());
        if (depth >= MAX_DEPTH || !inProgress.add(pair)) {
            return;
        }
        depth++;
        try {
            compareResolved(writer, reader, path);
        } finally {
            depth--;
            inProgress.remove(pair);
        }
    }

    private void compareResolved(At writer, At reader, String path) {
        JsonNode w = writer.node();
        JsonNode r = reader.node();
        if (isFalse(w) || acceptsAll(r)) {
            return;
        }
        if (isFalse(r)) {
            add("TYPE_CHANGED", path, "The " + roles.reader() + " accepts no value at all");
            return;
        }
        if (r.has("allOf")) {
            for (int i = 0; i < r.get("allOf").size(); i++) {
                if (!accepts(writer, reader.child(r.get("allOf").get(i)), path + "/allOf/" + i)) {
                    add("PRODUCT_TYPE_EXTENDED", path + "/allOf/" + i, "Branch " + i + " of the allOf of the "
                            + roles.reader() + " does not accept every value of the " + roles.writer());
                }
            }
            JsonNode rest = without(r, "allOf");
            if (!acceptsAll(rest)) {
                compare(writer, reader.child(rest), path);
            }
            return;
        }
        if (w.has("allOf")) {
            // A value of the writer satisfies every branch: the reader must accept what one of them (or the rest of
            // the writer) allows.
            At rest = writer.child(without(w, "allOf"));
            for (JsonNode branch : w.get("allOf")) {
                if (accepts(writer.child(branch), reader, path)) {
                    return;
                }
            }
            compare(rest, reader, path);
            return;
        }
        List<JsonNode> readerAlternatives = alternatives(r);
        List<JsonNode> writerAlternatives = alternatives(w);
        if (readerAlternatives != null) {
            List<JsonNode> writerValues = writerAlternatives != null ? writerAlternatives : List.of(w);
            for (int i = 0; i < writerValues.size(); i++) {
                At alternative = writer.child(writerValues.get(i));
                boolean read = readerAlternatives.stream()
                        .anyMatch(branch -> accepts(alternative, reader.child(branch), path));
                if (!read) {
                    add(writerAlternatives != null ? "SUM_TYPE_NARROWED" : "TYPE_CHANGED", path,
                            (writerAlternatives != null ? "Alternative " + i + " of the " + roles.writer()
                                    : "The " + roles.writer()) + " is accepted by no branch of the "
                                    + roles.reader());
                }
            }
            return;
        }
        if (writerAlternatives != null) {
            for (int i = 0; i < writerAlternatives.size(); i++) {
                if (!accepts(writer.child(writerAlternatives.get(i)), reader, path)) {
                    add("SUM_TYPE_NARROWED", path, "Alternative " + i + " of the " + roles.writer()
                            + " is not accepted by the " + roles.reader());
                }
            }
            return;
        }
        if (!compareTypes(w, r, path)) {
            return;
        }
        compareEnums(w, r, path);
        Set<String> types = types(r) == null ? types(w) : types(r);
        if (types == null || types.contains("string")) {
            upperBound(w, r, "maxLength", path);
            lowerBound(w, r, "minLength", path);
            if (r.has("pattern") && !r.get("pattern").equals(w.get("pattern"))) {
                add(w.has("pattern") ? "PATTERN_CHANGED" : "PATTERN_ADDED", path + "/pattern", "The "
                        + roles.reader() + " requires strings to match '" + r.get("pattern").asString() + "'");
            }
        }
        if (types == null || types.contains("number") || types.contains("integer")) {
            upperBound(w, r, "maximum", path);
            upperBound(w, r, "exclusiveMaximum", path);
            lowerBound(w, r, "minimum", path);
            lowerBound(w, r, "exclusiveMinimum", path);
            compareMultipleOf(w, r, path);
        }
        if (types == null || types.contains("object")) {
            compareObjects(writer, reader, path);
        }
        if (types == null || types.contains("array")) {
            compareArrays(writer, reader, path);
        }
    }

    /** Follows {@code $ref}s to the schema they name; null (nothing to compare) when one does not resolve. */
    private At resolve(At at, String path) {
        At current = at;
        for (int hop = 0; hop < MAX_REF_HOPS; hop++) {
            JsonNode node = current.node();
            if (!node.isObject() || !node.path("$ref").isString()) {
                return current;
            }
            String ref = node.get("$ref").asString();
            int hash = ref.indexOf('#');
            String uri = hash < 0 ? ref : ref.substring(0, hash);
            String fragment = hash < 0 ? "" : ref.substring(hash + 1);
            JsonNode document = uri.isEmpty() ? current.root() : current.documents().get(uri);
            if (document == null || !(fragment.isEmpty() || fragment.startsWith("/"))) {
                return null;
            }
            JsonNode target = fragment.isEmpty() ? document : document.at(fragment);
            if (target.isMissingNode()) {
                return null;
            }
            current = new At(target, document, current.documents());
        }
        return null;
    }

    private boolean compareTypes(JsonNode w, JsonNode r, String path) {
        Set<String> readerTypes = types(r);
        if (readerTypes == null) {
            return true;
        }
        Set<String> writerTypes = types(w);
        if (writerTypes == null) {
            add("TYPE_CHANGED", path, "The " + roles.writer() + " accepts values of any type but the "
                    + roles.reader() + " only " + readerTypes);
            return false;
        }
        boolean compatible = true;
        for (String type : writerTypes) {
            if (readerTypes.contains(type) || type.equals("integer") && readerTypes.contains("number")) {
                continue;
            }
            compatible = false;
            if (type.equals("number") && readerTypes.contains("integer")) {
                add("TYPE_NARROWED", path, "The " + roles.writer() + " accepts any number but the " + roles.reader()
                        + " only integers");
            } else {
                add("TYPE_CHANGED", path, "The " + roles.writer() + " accepts " + type + " values but the "
                        + roles.reader() + " only " + readerTypes);
            }
        }
        return compatible;
    }

    private void compareEnums(JsonNode w, JsonNode r, String path) {
        Set<JsonNode> readerValues = enumValues(r);
        if (readerValues == null) {
            return;
        }
        Set<JsonNode> writerValues = enumValues(w);
        if (writerValues == null) {
            add("ENUM_ARRAY_NARROWED", path + "/enum", "The " + roles.reader() + " accepts only the values "
                    + readerValues + " but the " + roles.writer() + " has no such restriction");
            return;
        }
        Set<JsonNode> missing = new LinkedHashSet<>(writerValues);
        missing.removeAll(readerValues);
        if (!missing.isEmpty()) {
            add("ENUM_ARRAY_NARROWED", path + "/enum", "The values " + missing + " of the " + roles.writer()
                    + " are not among the values of the " + roles.reader());
        }
    }

    private void compareMultipleOf(JsonNode w, JsonNode r, String path) {
        if (!r.path("multipleOf").isNumber()) {
            return;
        }
        BigDecimal readerFactor = r.get("multipleOf").decimalValue();
        if (!w.path("multipleOf").isNumber()) {
            add("MULTIPLE_OF_ADDED", path + "/multipleOf", "The " + roles.reader() + " requires multiples of "
                    + readerFactor);
            return;
        }
        BigDecimal writerFactor = w.get("multipleOf").decimalValue();
        if (readerFactor.signum() == 0 || writerFactor.remainder(readerFactor).signum() != 0) {
            add("MULTIPLE_OF_CHANGED", path + "/multipleOf", "The " + roles.reader() + " requires multiples of "
                    + readerFactor + ", and multiples of " + writerFactor + " (the " + roles.writer()
                    + "'s) are not all that");
        }
    }

    private void compareObjects(At writer, At reader, String path) {
        JsonNode w = writer.node();
        JsonNode r = reader.node();
        JsonNode writerProperties = w.path("properties");
        JsonNode readerProperties = r.path("properties");
        Set<String> writerRequired = strings(w.path("required"));
        Set<String> readerRequired = strings(r.path("required"));
        Set<String> names = new LinkedHashSet<>(writerProperties.propertyNames());
        names.addAll(readerProperties.propertyNames());
        for (String name : names) {
            String propertyPath = path + "/properties/" + name;
            JsonNode writerProperty = writerProperties.get(name);
            JsonNode readerProperty = readerProperties.get(name);
            if (readerProperty == null) {
                if (isOpen(r)) {
                    continue;
                }
                JsonNode partial = partialModel(r, name);
                if (partial != null) {
                    if (!accepts(writer.child(writerProperty), reader.child(partial), propertyPath)) {
                        add("PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", propertyPath,
                                "The property " + name + " of the " + roles.writer() + " is not in the "
                                + roles.reader() + ", whose additional or pattern properties do not accept its values");
                    }
                } else if (!isFalse(writerProperty)) {
                    add("PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL", propertyPath, "The property " + name + " of the "
                            + roles.writer() + " is not in the " + roles.reader() + ", which allows no other "
                            + "properties");
                }
            } else if (writerProperty == null) {
                if (isOpen(w)) {
                    if (!acceptsAll(resolvedOrSelf(reader.child(readerProperty)))) {
                        add("PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL", propertyPath, "The property " + name + " of the "
                                + roles.reader() + " is not in the " + roles.writer() + ", which allows any other "
                                + "property with any value");
                    }
                    continue;
                }
                JsonNode partial = partialModel(w, name);
                if (partial != null && !accepts(writer.child(partial), reader.child(readerProperty), propertyPath)) {
                    add("PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", propertyPath, "The property "
                            + name + " of the " + roles.reader() + " does not accept all values that the "
                            + roles.writer() + "'s additional or pattern properties allow");
                }
                if (readerRequired.contains(name) && !hasDefault(reader.child(readerProperty))) {
                    add("REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL", propertyPath, "The property " + name
                            + " is required by the " + roles.reader() + ", has no default, and is not in the "
                            + roles.writer());
                }
            } else {
                if (readerRequired.contains(name) && !writerRequired.contains(name)
                        && !hasDefault(reader.child(readerProperty))) {
                    add("REQUIRED_ATTRIBUTE_ADDED", path + "/required/" + name, "The property " + name
                            + " is required by the " + roles.reader() + " (without a default) but optional in the "
                            + roles.writer());
                }
                compare(writer.child(writerProperty), reader.child(readerProperty), propertyPath);
            }
        }
        compareAdditional(writer, reader, "additionalProperties", path);
        upperBound(w, r, "maxProperties", path);
        lowerBound(w, r, "minProperties", path);
    }

    private void compareArrays(At writer, At reader, String path) {
        JsonNode w = writer.node();
        JsonNode r = reader.node();
        JsonNode writerTuple = tuple(w);
        JsonNode readerTuple = tuple(r);
        if (writerTuple == null && readerTuple == null) {
            JsonNode writerItems = w.has("items") ? w.get("items") : trueSchema();
            JsonNode readerItems = r.has("items") ? r.get("items") : trueSchema();
            compare(writer.child(writerItems), reader.child(readerItems), path + "/items");
        } else {
            compareTuples(writer, reader, writerTuple, readerTuple, path);
        }
        upperBound(w, r, "maxItems", path);
        lowerBound(w, r, "minItems", path);
        if (r.path("uniqueItems").asBoolean(false) && !w.path("uniqueItems").asBoolean(false)) {
            add("UNIQUE_ITEMS_ADDED", path + "/uniqueItems", "The " + roles.reader() + " requires unique items");
        }
    }

    private void compareTuples(At writer, At reader, JsonNode writerTuple, JsonNode readerTuple, String path) {
        JsonNode writerItems = writerTuple == null ? Json.MAPPER.createArrayNode() : writerTuple;
        JsonNode readerItems = readerTuple == null ? Json.MAPPER.createArrayNode() : readerTuple;
        JsonNode writerRest = rest(writer.node(), writerTuple);
        JsonNode readerRest = rest(reader.node(), readerTuple);
        int size = Math.max(writerItems.size(), readerItems.size());
        for (int i = 0; i < size; i++) {
            JsonNode writerItem = i < writerItems.size() ? writerItems.get(i) : writerRest;
            JsonNode readerItem = i < readerItems.size() ? readerItems.get(i) : readerRest;
            String itemPath = path + "/items/" + i;
            if (!accepts(writer.child(writerItem), reader.child(readerItem), itemPath)) {
                String errorType = i >= readerItems.size() ? "ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL"
                        : i >= writerItems.size() ? "ITEM_ADDED_TO_OPEN_CONTENT_MODEL" : null;
                if (errorType == null) {
                    compare(writer.child(writerItem), reader.child(readerItem), itemPath);
                } else {
                    add(errorType, itemPath, "Item " + i + " of the " + roles.writer() + "'s arrays is not accepted "
                            + "by the " + roles.reader());
                }
            }
        }
        compare(writer.child(writerRest), reader.child(readerRest), path + "/additionalItems");
    }

    /** The positional item schemas of an array schema: draft 7's array {@code items}, 2020-12's {@code prefixItems}. */
    private static JsonNode tuple(JsonNode schema) {
        if (schema.path("prefixItems").isArray()) {
            return schema.get("prefixItems");
        }
        return schema.path("items").isArray() ? schema.get("items") : null;
    }

    /** What items after the tuple must be. */
    private static JsonNode rest(JsonNode schema, JsonNode tuple) {
        if (tuple != null && schema.has("prefixItems")) {
            return schema.has("items") ? schema.get("items") : trueSchema();
        }
        return schema.has("additionalItems") ? schema.get("additionalItems") : trueSchema();
    }

    private void compareAdditional(At writer, At reader, String keyword, String path) {
        JsonNode w = writer.node().path(keyword);
        JsonNode r = reader.node().path(keyword);
        boolean writerOpen = w.isMissingNode() || acceptsAll(w);
        boolean readerOpen = r.isMissingNode() || acceptsAll(r);
        if (readerOpen || isFalse(w)) {
            return;
        }
        if (isFalse(r)) {
            add("ADDITIONAL_PROPERTIES_REMOVED", path + "/" + keyword, "The " + roles.reader() + " allows no "
                    + "properties but its own, the " + roles.writer() + " allows others");
        } else if (writerOpen) {
            add("ADDITIONAL_PROPERTIES_NARROWED", path + "/" + keyword, "The " + roles.reader() + " constrains "
                    + "other properties, which the " + roles.writer() + " allows with any value");
        } else {
            compare(writer.child(w), reader.child(r), path + "/" + keyword);
        }
    }

    private void upperBound(JsonNode w, JsonNode r, String keyword, String path) {
        if (!r.path(keyword).isNumber()) {
            return;
        }
        BigDecimal readerBound = r.get(keyword).decimalValue();
        if (!w.path(keyword).isNumber()) {
            add(constantName(keyword) + "_ADDED", path + "/" + keyword, "The " + roles.reader() + " adds "
                    + keyword + " " + readerBound);
        } else if (w.get(keyword).decimalValue().compareTo(readerBound) > 0) {
            add(constantName(keyword) + "_DECREASED", path + "/" + keyword, "The " + roles.reader() + " lowers "
                    + keyword + " from " + w.get(keyword).decimalValue() + " to " + readerBound);
        }
    }

    private void lowerBound(JsonNode w, JsonNode r, String keyword, String path) {
        if (!r.path(keyword).isNumber()) {
            return;
        }
        BigDecimal readerBound = r.get(keyword).decimalValue();
        if (!w.path(keyword).isNumber()) {
            add(constantName(keyword) + "_ADDED", path + "/" + keyword, "The " + roles.reader() + " adds "
                    + keyword + " " + readerBound);
        } else if (w.get(keyword).decimalValue().compareTo(readerBound) < 0) {
            add(constantName(keyword) + "_INCREASED", path + "/" + keyword, "The " + roles.reader() + " raises "
                    + keyword + " from " + w.get(keyword).decimalValue() + " to " + readerBound);
        }
    }

    /** {@code maxLength} to {@code MAX_LENGTH}. */
    private static String constantName(String keyword) {
        return keyword.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
    }

    /** The alternatives of an {@code anyOf}/{@code oneOf} or of a {@code type} array; null for a single schema. */
    private static List<JsonNode> alternatives(JsonNode schema) {
        if (!schema.isObject()) {
            return null;
        }
        for (String keyword : List.of("anyOf", "oneOf")) {
            if (schema.path(keyword).isArray()) {
                List<JsonNode> branches = new ArrayList<>();
                JsonNode rest = without(schema, keyword);
                for (JsonNode branch : schema.get(keyword)) {
                    branches.add(acceptsAll(rest) ? branch : allOf(rest, branch));
                }
                return branches;
            }
        }
        if (schema.path("type").isArray() && schema.get("type").size() > 1) {
            List<JsonNode> branches = new ArrayList<>();
            for (JsonNode type : schema.get("type")) {
                branches.add(without(schema, "type").set("type", type));
            }
            return branches;
        }
        return null;
    }

    private static JsonNode allOf(JsonNode first, JsonNode second) {
        return Json.MAPPER.createObjectNode().set("allOf", Json.MAPPER.createArrayNode().add(first).add(second));
    }

    /** The types a schema accepts: its {@code type}, else what its keywords or enum imply; null for any type. */
    private static Set<String> types(JsonNode schema) {
        if (!schema.isObject()) {
            return null;
        }
        JsonNode type = schema.get("type");
        if (type != null && type.isString()) {
            return Set.of(type.asString());
        }
        if (type != null && type.isArray()) {
            return strings(type);
        }
        Set<JsonNode> values = enumValues(schema);
        if (values != null) {
            Set<String> types = new LinkedHashSet<>();
            values.forEach(value -> types.add(typeOf(value)));
            return types;
        }
        Set<String> keywords = new HashSet<>(schema.propertyNames());
        Set<String> implied = new LinkedHashSet<>();
        if (keywords.stream().anyMatch(OBJECT_KEYWORDS::contains)) {
            implied.add("object");
        }
        if (keywords.stream().anyMatch(ARRAY_KEYWORDS::contains)) {
            implied.add("array");
        }
        if (keywords.stream().anyMatch(STRING_KEYWORDS::contains)) {
            implied.add("string");
        }
        if (keywords.stream().anyMatch(NUMBER_KEYWORDS::contains)) {
            implied.add("number");
        }
        // Keywords of one type constrain only values of that type: with several, any type is possible.
        return implied.size() == 1 ? implied : null;
    }

    private static String typeOf(JsonNode value) {
        if (value.isString()) {
            return "string";
        }
        if (value.isIntegralNumber() || value.isNumber() && value.decimalValue().stripTrailingZeros().scale() <= 0) {
            return "integer";
        }
        if (value.isNumber()) {
            return "number";
        }
        if (value.isBoolean()) {
            return "boolean";
        }
        if (value.isNull()) {
            return "null";
        }
        return value.isArray() ? "array" : "object";
    }

    private static Set<JsonNode> enumValues(JsonNode schema) {
        if (!schema.isObject()) {
            return null;
        }
        if (schema.path("enum").isArray()) {
            Set<JsonNode> values = new LinkedHashSet<>();
            schema.get("enum").forEach(values::add);
            return values;
        }
        return schema.has("const") ? Set.of(schema.get("const")) : null;
    }

    private static boolean isOpen(JsonNode objectSchema) {
        JsonNode additional = objectSchema.path("additionalProperties");
        return !objectSchema.has("patternProperties") && (additional.isMissingNode() || acceptsAll(additional));
    }

    /** The schema a partially open object model gives the property {@code name}, or null. */
    private static JsonNode partialModel(JsonNode objectSchema, String name) {
        JsonNode patterns = objectSchema.path("patternProperties");
        for (Map.Entry<String, JsonNode> pattern : patterns.properties()) {
            try {
                if (Pattern.compile(pattern.getKey()).matcher(name).find()) {
                    return pattern.getValue();
                }
            } catch (PatternSyntaxException ignored) {
                // A pattern Java cannot compile matches nothing here; the validator reports such schemas.
            }
        }
        JsonNode additional = objectSchema.path("additionalProperties");
        if (additional.isMissingNode() || isFalse(additional)) {
            return null;
        }
        return additional;
    }

    private boolean hasDefault(At property) {
        At resolved = resolve(property, "");
        return resolved != null && resolved.node().has("default");
    }

    private JsonNode resolvedOrSelf(At at) {
        At resolved = resolve(at, "");
        return resolved == null ? at.node() : resolved.node();
    }

    private static boolean isFalse(JsonNode schema) {
        return schema.isBoolean() && !schema.asBoolean();
    }

    /** True, or an object of annotations only: it accepts every value. */
    private static boolean acceptsAll(JsonNode schema) {
        if (schema.isBoolean()) {
            return schema.asBoolean();
        }
        return schema.isObject() && ANNOTATIONS.containsAll(schema.propertyNames());
    }

    private static JsonNode trueSchema() {
        return Json.MAPPER.getNodeFactory().booleanNode(true);
    }

    private static ObjectNode without(JsonNode schema, String keyword) {
        ObjectNode copy = (ObjectNode) schema.deepCopy();
        copy.remove(keyword);
        return copy;
    }

    private static Set<String> strings(JsonNode array) {
        Set<String> strings = new LinkedHashSet<>();
        array.forEach(element -> strings.add(element.asString()));
        return strings;
    }

    private void add(String errorType, String path, String description) {
        found.add(new Incompatibility(errorType, path, description));
    }
}

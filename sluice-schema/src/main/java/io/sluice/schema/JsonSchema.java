package io.sluice.schema;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.sluice.protocol.schema.ResolvedReference;
import io.sluice.protocol.schema.SchemaType;
import java.io.FileNotFoundException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * A JSON Schema: the schema document (an object or a boolean) checked against its dialect's meta-schema (the one its
 * {@code $schema} names, draft 7 when it names none, as Confluent's registry defaults), with networknt's validator
 * built once for payloads. References are further documents, each known by its {@code $ref} URI (the reference's name,
 * and that name resolved against the schema's {@code $id} when it has one); nothing is fetched from the network.
 *
 * <p>Immutable; networknt's compiled {@link Schema} is thread-safe once its validators are initialized, which happens
 * here, at parse time.
 */
final class JsonSchema implements ParsedSchema {

    private static final int MAX_REPORTED_ERRORS = 5;

    private static final Pattern BLOCKED =
            Pattern.compile("Schema from '(.*)' is not allowed to be loaded");

    private static final Map<SpecificationVersion, Schema> META_SCHEMAS = new EnumMap<>(SpecificationVersion.class);

    private final JsonNode document;
    private final List<ResolvedReference> references;
    private final Map<String, JsonNode> referencedDocuments;
    private final String canonical;
    private final Schema validator;

    private JsonSchema(JsonNode document, List<ResolvedReference> references, Map<String, JsonNode> referenced,
            Schema validator) {
        this.document = document;
        this.references = references;
        this.referencedDocuments = referenced;
        this.canonical = Json.write(document);
        this.validator = validator;
    }

    static JsonSchema parse(String text, List<ResolvedReference> references) {
        JsonNode document = readSchema(text, "The schema");
        Map<String, String> texts = new HashMap<>();
        Map<String, JsonNode> documents = new HashMap<>();
        String base = document.isObject() && document.path("$id").isString() ? document.get("$id").asString() : null;
        for (ResolvedReference reference : references) {
            JsonNode referenced = readSchema(reference.schema(), "Reference " + reference);
            String canonicalText = Json.write(referenced);
            for (String uri : uris(reference.name(), base)) {
                texts.put(uri, canonicalText);
                documents.put(uri, referenced);
            }
        }
        return build(document, references, Map.copyOf(documents), texts);
    }

    private static JsonSchema build(JsonNode document, List<ResolvedReference> references,
            Map<String, JsonNode> documents, Map<String, String> texts) {
        SpecificationVersion dialect = dialect(document);
        // A $ref reaches the schema's references and the dialects' meta-schemas (bundled with the validator), nothing
        // else: not the classpath, files or the network.
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(dialect, builder -> builder
                .schemas(texts)
                .schemaLoader(loader -> loader.block(iri -> !texts.containsKey(iri.toString())
                        && !iri.toString().startsWith("http://json-schema.org/")
                        && !iri.toString().startsWith("https://json-schema.org/"))));
        try {
            Schema validator = registry.getSchema(document);
            validator.initializeValidators();
            return new JsonSchema(document, references, documents, validator);
        } catch (RuntimeException e) {
            throw new InvalidSchemaException("Invalid JSON Schema: " + unresolved(e).orElse(e.getMessage()), e);
        }
    }

    /** A {@code $ref} the validator could not or would not load: the message the registry's users need. */
    private static Optional<String> unresolved(Throwable e) {
        Matcher blocked = BLOCKED.matcher(String.valueOf(e.getMessage()));
        if (blocked.find()) {
            return Optional.of("$ref '" + blocked.group(1) + "' is not one of the schema's references");
        }
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof FileNotFoundException missing) {
                return Optional.of("$ref '" + missing.getMessage() + "' is not one of the schema's "
                        + "references");
            }
        }
        return Optional.empty();
    }

    private static List<String> uris(String name, String base) {
        if (base == null) {
            return List.of(name);
        }
        try {
            return List.of(name, new URI(base).resolve(name).toString());
        } catch (URISyntaxException | IllegalArgumentException e) {
            return List.of(name);
        }
    }

    private static JsonNode readSchema(String text, String what) {
        JsonNode document;
        try {
            document = Json.read(text);
        } catch (JacksonException e) {
            throw new InvalidSchemaException(what + " is not JSON: " + Json.problem(e), e);
        }
        if (!document.isObject() && !document.isBoolean()) {
            throw new InvalidSchemaException(what + " is not a JSON Schema: a schema is a JSON object or a boolean");
        }
        SpecificationVersion dialect = dialect(document);
        List<Error> errors = metaSchema(dialect).validate(document);
        if (!errors.isEmpty()) {
            throw new InvalidSchemaException(what + " is not a valid JSON Schema (" + dialect + "): "
                    + describe(errors));
        }
        return document;
    }

    private static SpecificationVersion dialect(JsonNode document) {
        if (document.isObject() && document.has("$schema")) {
            String id = document.get("$schema").asString();
            return SpecificationVersion.fromDialectId(id)
                    .or(() -> SpecificationVersion.fromDialectId(id.endsWith("#") ? id.substring(0, id.length() - 1)
                            : id + "#"))
                    .orElseThrow(() -> new InvalidSchemaException("Unknown JSON Schema dialect $schema '" + id
                            + "': expected draft 4, 6, 7, 2019-09 or 2020-12"));
        }
        return SpecificationVersion.DRAFT_7;
    }

    private static synchronized Schema metaSchema(SpecificationVersion dialect) {
        return META_SCHEMAS.computeIfAbsent(dialect, version -> {
            Schema meta = SchemaRegistry.withDefaultDialect(version)
                    .getSchema(SchemaLocation.of(version.getDialectId()));
            meta.initializeValidators();
            return meta;
        });
    }

    private static String describe(List<Error> errors) {
        String shown = errors.stream().limit(MAX_REPORTED_ERRORS).map(Error::toString)
                .collect(Collectors.joining("; "));
        return errors.size() > MAX_REPORTED_ERRORS ? shown + "; and " + (errors.size() - MAX_REPORTED_ERRORS)
                + " more" : shown;
    }

    JsonNode document() {
        return document;
    }

    /** The referenced documents by the URIs a {@code $ref} may use for them. */
    Map<String, JsonNode> referencedDocuments() {
        return referencedDocuments;
    }

    @Override
    public SchemaType type() {
        return SchemaType.JSON;
    }

    @Override
    public String canonicalString() {
        return canonical;
    }

    @Override
    public List<ResolvedReference> references() {
        return references;
    }

    @Override
    public JsonSchema normalize() {
        return parse(Json.write(Json.sortedKeys(document)), references);
    }

    @Override
    public List<Integer> messageIndexes(String messageName) {
        return List.of();
    }

    @Override
    public String recordName(List<Integer> messageIndexes) {
        return document.path("title").isString() ? document.path("title").asString() : "record";
    }

    @Override
    public void validate(ByteBuffer payload, List<Integer> messageIndexes) {
        check(readPayload(payload));
    }

    private static JsonNode readPayload(ByteBuffer payload) {
        Bytes bytes = Bytes.of(payload);
        try {
            return Json.MAPPER.readTree(bytes.array(), bytes.offset(), bytes.length());
        } catch (JacksonException e) {
            throw new InvalidPayloadException("The payload is not UTF-8 JSON: " + Json.problem(e), e);
        }
    }

    private void check(JsonNode value) {
        List<Error> errors = validator.validate(value);
        if (!errors.isEmpty()) {
            throw new InvalidPayloadException("The JSON does not match the schema: " + describe(errors));
        }
    }

    @Override
    public byte[] toBinary(String json, List<Integer> messageIndexes) {
        JsonNode value;
        try {
            value = Json.read(json);
        } catch (JacksonException e) {
            throw new InvalidPayloadException("The value is not JSON: " + Json.problem(e), e);
        }
        check(value);
        return json.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toJson(ByteBuffer payload, List<Integer> messageIndexes) {
        check(readPayload(payload));
        Bytes bytes = Bytes.of(payload);
        return new String(bytes.array(), bytes.offset(), bytes.length(), StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof JsonSchema that && canonical.equals(that.canonical)
                && references.equals(that.references);
    }

    @Override
    public int hashCode() {
        return canonical.hashCode();
    }

    @Override
    public String toString() {
        return "JSON " + canonical;
    }
}

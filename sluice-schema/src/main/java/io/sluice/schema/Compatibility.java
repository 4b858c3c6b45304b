package io.sluice.schema;

import io.sluice.protocol.schema.CompatibilityLevel;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Whether a new schema may follow the previous schemas of a subject under a {@link CompatibilityLevel}.
 *
 * <p>Every check is "can this reader read data written with that writer": BACKWARD takes the new schema as reader
 * and each old one as writer, FORWARD the other way round, FULL both. The plain levels compare with the latest
 * previous schema only, the transitive levels with each of them. Schemas of different types are never compatible.
 *
 * <ul>
 *   <li>Avro: Avro's own {@link org.apache.avro.SchemaCompatibility} (field defaults, type promotions such as int to
 *       long, enum symbols, union branches, names and aliases), its incompatibility types reported as error types.
 *   <li>Protobuf: Confluent's rules, in {@link ProtobufCompatibility}.
 *   <li>JSON Schema: Confluent's core rules, in {@link JsonSchemaCompatibility}.
 * </ul>
 *
 * <p>Each incompatibility is one line in the style of Confluent's {@code verbose=true} answer:
 * <pre>{errorType:'FIELD_KIND_CHANGED', path:'#/Order/2', description:'...', direction:'BACKWARD', oldSchema:1}</pre>
 * where {@code direction} says which way failed (BACKWARD: the new schema reading the old one's data; FORWARD: the
 * old reading the new one's) and {@code oldSchema} is the old schema's position in {@code previous} (0 the oldest).
 * Stateless; any thread.
 */
public final class Compatibility {

    private Compatibility() {
    }

    /**
     * Why {@code candidate} may not follow {@code previous} (oldest first) under {@code level}; empty when it may.
     */
    public static List<String> incompatibilities(ParsedSchema candidate, List<ParsedSchema> previous,
            CompatibilityLevel level) {
        Objects.requireNonNull(candidate, "candidate");
        Objects.requireNonNull(level, "level");
        if (level == CompatibilityLevel.NONE || previous.isEmpty()) {
            return List.of();
        }
        Set<String> messages = new LinkedHashSet<>();
        int first = level.transitive() ? 0 : previous.size() - 1;
        for (int k = first; k < previous.size(); k++) {
            ParsedSchema old = previous.get(k);
            if (old.type() != candidate.type()) {
                messages.add(format(new Incompatibility("SCHEMA_TYPE_CHANGED", "#/",
                        "The new schema is " + candidate.type() + " but the old schema is " + old.type()
                                + ": schemas of different types are never compatible"),
                        level.backward() ? "BACKWARD" : "FORWARD", k));
                continue;
            }
            if (level.backward()) {
                for (Incompatibility problem : readerIncompatibilities(old, candidate, "new", "old")) {
                    messages.add(format(problem, "BACKWARD", k));
                }
            }
            if (level.forward()) {
                for (Incompatibility problem : readerIncompatibilities(candidate, old, "old", "new")) {
                    messages.add(format(problem, "FORWARD", k));
                }
            }
        }
        return List.copyOf(messages);
    }

    /** Whether {@code candidate} may follow {@code previous} under {@code level}. */
    public static boolean isCompatible(ParsedSchema candidate, List<ParsedSchema> previous, CompatibilityLevel level) {
        return incompatibilities(candidate, previous, level).isEmpty();
    }

    private static List<Incompatibility> readerIncompatibilities(ParsedSchema writer, ParsedSchema reader,
            String readerName, String writerName) {
        Roles roles = new Roles(readerName + " schema", writerName + " schema");
        return switch (reader) {
            case AvroSchema avro -> AvroCompatibility.check(((AvroSchema) writer).avro(), avro.avro(), roles);
            case ProtobufSchema protobuf -> new ProtobufCompatibility(roles)
                    .check(((ProtobufSchema) writer).descriptor(), protobuf.descriptor());
            case JsonSchema json -> new JsonSchemaCompatibility(roles).check((JsonSchema) writer, json);
        };
    }

    private static String format(Incompatibility problem, String direction, int oldSchema) {
        return "{errorType:'" + problem.errorType() + "', path:'" + problem.path() + "', description:'"
                + problem.description() + "', direction:'" + direction + "', oldSchema:" + oldSchema + "}";
    }

    /** Which schema reads and which wrote, as the descriptions name them ("new schema", "old schema"). */
    record Roles(String reader, String writer) {
    }
}

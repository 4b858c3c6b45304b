package io.sluice.schema;

import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;

/**
 * Avro's own reader/writer compatibility check ({@link SchemaCompatibility}), its findings as
 * {@link Incompatibility}s: Avro's incompatibility type as the error type, its location as the path, and a sentence
 * worded as Confluent's registry words it.
 */
final class AvroCompatibility {

    private AvroCompatibility() {
    }

    static List<Incompatibility> check(Schema writer, Schema reader, Compatibility.Roles roles) {
        SchemaCompatibility.SchemaPairCompatibility result =
                SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        return result.getResult().getIncompatibilities().stream()
                .map(problem -> new Incompatibility(problem.getType().name(), problem.getLocation(),
                        describe(problem, roles)))
                .toList();
    }

    private static String describe(SchemaCompatibility.Incompatibility problem, Compatibility.Roles roles) {
        String at = " at path '" + problem.getLocation() + "'";
        return switch (problem.getType()) {
            case READER_FIELD_MISSING_DEFAULT_VALUE -> "The field '" + problem.getMessage() + "'" + at + " in the "
                    + roles.reader() + " has no default value and is missing in the " + roles.writer();
            case TYPE_MISMATCH -> "The type" + at + " in the " + roles.reader() + " cannot read that of the "
                    + roles.writer() + ": " + problem.getMessage();
            case NAME_MISMATCH -> "The name" + at + " in the " + roles.reader() + " differs from that of the "
                    + roles.writer() + " (and no alias matches): " + problem.getMessage();
            case MISSING_ENUM_SYMBOLS -> "The " + roles.reader() + " lacks the enum symbols " + problem.getMessage()
                    + at + " of the " + roles.writer();
            case MISSING_UNION_BRANCH -> "The " + roles.reader() + " lacks a union branch" + at + " of the "
                    + roles.writer() + ": " + problem.getMessage();
            case FIXED_SIZE_MISMATCH -> "The fixed size" + at + " in the " + roles.reader() + " differs from that "
                    + "of the " + roles.writer() + ": " + problem.getMessage();
            default -> "The " + roles.reader() + " cannot read the " + roles.writer() + at + ": "
                    + problem.getMessage();
        };
    }
}

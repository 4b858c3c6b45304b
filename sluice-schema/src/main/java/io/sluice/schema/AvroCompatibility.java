package io.sluice.schema;

import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;

/** Avro's own reader/writer compatibility check, its findings as {@link Incompatibility}s. */
final class AvroCompatibility {

    private AvroCompatibility() {
    }

    static List<Incompatibility> check(Schema writer, Schema reader, Compatibility.Roles roles) {
        SchemaCompatibility.SchemaPairCompatibility result =
                SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        return result.getResult().getIncompatibilities().stream()
                .map(problem -> new Incompatibility(problem.getType().name(), problem.getLocation(),
                        "The " + roles.reader() + " (reader) cannot read data of the " + roles.writer()
                                + " (writer): " + problem.getMessage()))
                .toList();
    }
}

package io.sluice.gateway.registry;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.sluice.internal.registry.SchemaDefinition;
import io.sluice.internal.registry.SchemaReference;
import io.sluice.protocol.schema.SchemaType;
import java.util.List;

/**
 * The bodies of Confluent's Schema Registry REST API, named as Confluent names them (camelCase, unlike Sluice's own
 * API), so that Confluent's clients and serializers read and write them unchanged. Requests ignore fields this
 * registry does not know (newer clients send {@code metadata} and {@code ruleSet}); answers leave out
 * {@code schemaType} for Avro and empty {@code references}, as Confluent's registry does.
 */
final class ConfluentJson {

    private ConfluentJson() {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Reference(@JsonProperty("name") String name, @JsonProperty("subject") String subject,
                     @JsonProperty("version") Integer version) {

        static Reference of(SchemaReference reference) {
            return new Reference(reference.name(), reference.subject(), reference.version());
        }
    }

    /** A schema in a request: to register, look up or check. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record SchemaRequest(@JsonProperty("schema") String schema, @JsonProperty("schemaType") String schemaType,
                         @JsonProperty("references") List<Reference> references, @JsonProperty("id") Integer id,
                         @JsonProperty("version") Integer version) {

        SchemaDefinition definition() {
            List<SchemaReference> refs = references == null ? List.of() : references.stream()
                    .map(r -> new SchemaReference(r.name(), r.subject(), r.version() == null ? -1 : r.version()))
                    .toList();
            return new SchemaDefinition(SchemaType.fromName(schemaType), schema, refs);
        }
    }

    /** A schema by id. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    record SchemaAnswer(@JsonProperty("schemaType") String schemaType, @JsonProperty("schema") String schema,
                        @JsonProperty("references") List<Reference> references) {

        static SchemaAnswer of(SchemaDefinition schema) {
            return new SchemaAnswer(typeName(schema), schema.schema(), referencesOf(schema));
        }
    }

    /** A version of a subject with its schema. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    record VersionAnswer(@JsonProperty("subject") String subject, @JsonProperty("version") int version,
                         @JsonProperty("id") int id, @JsonProperty("schemaType") String schemaType,
                         @JsonProperty("references") List<Reference> references,
                         @JsonProperty("schema") String schema) {

        static VersionAnswer of(String subject, int version, int id, SchemaDefinition schema) {
            return new VersionAnswer(subject, version, id, typeName(schema), referencesOf(schema), schema.schema());
        }
    }

    /** A subject and version holding a schema id. */
    record SubjectVersionAnswer(@JsonProperty("subject") String subject, @JsonProperty("version") int version) {
    }

    record IdAnswer(@JsonProperty("id") int id) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record CompatibilityAnswer(@JsonProperty("is_compatible") boolean compatible,
                               @JsonProperty("messages") List<String> messages) {
    }

    /** PUT /config's body and answer. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record ConfigUpdate(@JsonProperty("compatibility") String compatibility) {
    }

    /** GET and DELETE /config's answer. */
    record ConfigAnswer(@JsonProperty("compatibilityLevel") String compatibilityLevel) {
    }

    /** /mode's body and answer. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record ModeBody(@JsonProperty("mode") String mode) {
    }

    /** An error, as Confluent's registry answers one. */
    record ErrorAnswer(@JsonProperty("error_code") int errorCode, @JsonProperty("message") String message) {
    }

    private static String typeName(SchemaDefinition schema) {
        return schema.schemaType() == SchemaType.AVRO ? null : schema.schemaType().name();
    }

    private static List<Reference> referencesOf(SchemaDefinition schema) {
        return schema.references().stream().map(Reference::of).toList();
    }
}

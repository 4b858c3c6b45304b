package io.sluice.internal.registry;

import io.sluice.protocol.schema.CompatibilityLevel;
import java.util.List;

/** The bodies of the registry's internal routes ({@link RegistryPaths}) and their answers. */
public final class RegistryRequests {

    private RegistryRequests() {
    }

    /**
     * Register {@code schema} under {@code subject}: its id, a new one unless the registry has the same schema, and a
     * new version unless the subject has it already. In IMPORT mode {@code id} (and optionally {@code version}) say
     * which; otherwise they must be null.
     *
     * @param normalize register the schema's normalized form (Confluent's {@code normalize=true})
     */
    public record Register(String subject, SchemaDefinition schema, boolean normalize, Integer id, Integer version) {
    }

    /** Where a schema is registered: its id and its version under the subject. */
    public record Registered(int id, int version) {
    }

    /**
     * Find {@code schema} under {@code subject}: the newest version not soft-deleted with the same schema (any, with
     * {@code deleted}).
     */
    public record Lookup(String subject, SchemaDefinition schema, boolean normalize, boolean deleted) {
    }

    /** A version of a subject with its schema. */
    public record SubjectSchema(String subject, int version, int id, SchemaDefinition schema) {
    }

    /**
     * Check {@code schema} against {@code subject}'s schemas: against {@code version} alone, or with null against
     * those the subject's compatibility level compares it with (the latest, or every one for a transitive level).
     */
    public record CompatibilityCheck(String subject, Integer version, SchemaDefinition schema, boolean normalize) {
    }

    /** The check's outcome; {@code messages} says why not, one line each, Confluent's {@code verbose} style. */
    public record CompatibilityReport(boolean compatible, List<String> messages) {

        public CompatibilityReport {
            messages = messages == null ? List.of() : List.copyOf(messages);
        }
    }

    /**
     * Delete {@code version} of {@code subject}, or with null every version (the subject); soft unless
     * {@code permanent}, which needs a soft delete first.
     */
    public record Delete(String subject, Integer version, boolean permanent) {
    }

    /** The versions a delete removed or marked. */
    public record Deleted(List<Integer> versions) {

        public Deleted {
            versions = List.copyOf(versions);
        }
    }

    /** The schemas (ids) whose references name {@code subject}'s {@code version}. */
    public record ReferencedBy(String subject, int version) {
    }

    /** Schema ids. */
    public record SchemaIds(List<Integer> ids) {

        public SchemaIds {
            ids = List.copyOf(ids);
        }
    }

    /**
     * Set {@code subject}'s compatibility level (null subject: the global one); a null level removes the subject's
     * own (the global one returns to BACKWARD). Answered with the level that was set before (null for none).
     */
    public record CompatibilityChange(String subject, CompatibilityLevel level) {
    }

    /**
     * Set {@code subject}'s mode (null subject: the global one); a null mode removes the subject's own (the global one
     * returns to READWRITE). IMPORT needs the subject (or the registry) empty unless {@code force}. Answered with the
     * mode set before (null for none).
     */
    public record ModeChange(String subject, RegistryMode mode, boolean force) {
    }
}

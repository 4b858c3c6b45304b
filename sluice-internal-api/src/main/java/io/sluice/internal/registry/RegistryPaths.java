package io.sluice.internal.registry;

/** The schema registry's routes on the active coordinator; bodies and answers in {@link RegistryRequests}. */
public final class RegistryPaths {

    /** GET: {@link RegistryState}. */
    public static final String STATE = "/internal/registry/state";
    /** GET: the {@link SchemaDefinition} of schema {@code id}. */
    public static final String SCHEMA = "/internal/registry/schemas/{id}";
    /** GET: the {@link ResolvedSchema} of schema {@code id}, its references' texts with it. */
    public static final String RESOLVED = "/internal/registry/schemas/{id}/resolved";
    /** POST {@link RegistryRequests.Register}: {@link RegistryRequests.Registered}. */
    public static final String REGISTER = "/internal/registry/register";
    /** POST {@link RegistryRequests.Lookup}: {@link RegistryRequests.SubjectSchema}. */
    public static final String LOOKUP = "/internal/registry/lookup";
    /** POST {@link RegistryRequests.CompatibilityCheck}: {@link RegistryRequests.CompatibilityReport}. */
    public static final String COMPATIBILITY = "/internal/registry/compatibility";
    /** POST {@link RegistryRequests.Delete}: {@link RegistryRequests.Deleted}. */
    public static final String DELETE = "/internal/registry/delete";
    /** POST {@link RegistryRequests.ReferencedBy}: {@link RegistryRequests.SchemaIds}. */
    public static final String REFERENCED_BY = "/internal/registry/referenced-by";
    /** POST {@link RegistryRequests.CompatibilityChange}: the one set before. */
    public static final String CONFIG = "/internal/registry/config";
    /** POST {@link RegistryRequests.ModeChange}: the one set before. */
    public static final String MODE = "/internal/registry/mode";

    private RegistryPaths() {
    }

    public static String schema(int id) {
        return SCHEMA.replace("{id}", Integer.toString(id));
    }

    public static String resolved(int id) {
        return RESOLVED.replace("{id}", Integer.toString(id));
    }
}

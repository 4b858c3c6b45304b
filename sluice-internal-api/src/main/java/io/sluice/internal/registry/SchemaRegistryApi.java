package io.sluice.internal.registry;

import io.sluice.internal.registry.RegistryRequests.CompatibilityChange;
import io.sluice.internal.registry.RegistryRequests.CompatibilityCheck;
import io.sluice.internal.registry.RegistryRequests.CompatibilityReport;
import io.sluice.internal.registry.RegistryRequests.Delete;
import io.sluice.internal.registry.RegistryRequests.Deleted;
import io.sluice.internal.registry.RegistryRequests.Lookup;
import io.sluice.internal.registry.RegistryRequests.ModeChange;
import io.sluice.internal.registry.RegistryRequests.ReferencedBy;
import io.sluice.internal.registry.RegistryRequests.Register;
import io.sluice.internal.registry.RegistryRequests.Registered;
import io.sluice.internal.registry.RegistryRequests.SchemaIds;
import io.sluice.internal.registry.RegistryRequests.SubjectSchema;
import reactor.core.publisher.Mono;

/**
 * The schema registry the active coordinator keeps (docs/schemas.md), as the gateways and partition services call it.
 * Failures are {@link io.sluice.protocol.SluiceException}s with the registry's error codes (SUBJECT_NOT_FOUND,
 * INCOMPATIBLE_SCHEMA, INVALID_SCHEMA, ...).
 */
public interface SchemaRegistryApi {

    Mono<RegistryState> registryState();

    /** Schema {@code id}; SCHEMA_NOT_FOUND when no schema has it. */
    Mono<SchemaDefinition> schema(int id);

    /** Schema {@code id} with its references' texts; SCHEMA_NOT_FOUND when no schema has it. */
    Mono<ResolvedSchema> resolvedSchema(int id);

    Mono<Registered> register(Register request);

    Mono<SubjectSchema> lookup(Lookup request);

    Mono<CompatibilityReport> checkCompatibility(CompatibilityCheck request);

    Mono<Deleted> delete(Delete request);

    Mono<SchemaIds> referencedBy(ReferencedBy request);

    /** Answers the change with the level set before. */
    Mono<CompatibilityChange> changeCompatibility(CompatibilityChange change);

    /** Answers the change with the mode set before. */
    Mono<ModeChange> changeMode(ModeChange change);
}

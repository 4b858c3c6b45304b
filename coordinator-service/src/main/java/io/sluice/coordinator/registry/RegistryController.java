package io.sluice.coordinator.registry;

import io.sluice.internal.registry.RegistryPaths;
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
import io.sluice.internal.registry.RegistryState;
import io.sluice.internal.registry.ResolvedSchema;
import io.sluice.internal.registry.SchemaDefinition;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** The schema registry over HTTP, for the gateways (its public face) and the partition services (ids to check). */
@RestController
class RegistryController {

    private final SchemaRegistry registry;

    RegistryController(SchemaRegistry registry) {
        this.registry = registry;
    }

    @GetMapping(RegistryPaths.STATE)
    Mono<RegistryState> state() {
        return registry.state();
    }

    @GetMapping(RegistryPaths.SCHEMA)
    Mono<SchemaDefinition> schema(@PathVariable("id") int id) {
        return registry.schema(id);
    }

    @GetMapping(RegistryPaths.RESOLVED)
    Mono<ResolvedSchema> resolved(@PathVariable("id") int id) {
        return registry.resolved(id);
    }

    @PostMapping(RegistryPaths.REGISTER)
    Mono<Registered> register(@RequestBody Register request) {
        return registry.register(request);
    }

    @PostMapping(RegistryPaths.LOOKUP)
    Mono<SubjectSchema> lookup(@RequestBody Lookup request) {
        return registry.lookup(request);
    }

    @PostMapping(RegistryPaths.COMPATIBILITY)
    Mono<CompatibilityReport> compatibility(@RequestBody CompatibilityCheck request) {
        return registry.checkCompatibility(request);
    }

    @PostMapping(RegistryPaths.DELETE)
    Mono<Deleted> delete(@RequestBody Delete request) {
        return registry.delete(request);
    }

    @PostMapping(RegistryPaths.REFERENCED_BY)
    Mono<SchemaIds> referencedBy(@RequestBody ReferencedBy request) {
        return registry.referencedBy(request);
    }

    @PostMapping(RegistryPaths.CONFIG)
    Mono<CompatibilityChange> config(@RequestBody CompatibilityChange change) {
        return registry.changeCompatibility(change);
    }

    @PostMapping(RegistryPaths.MODE)
    Mono<ModeChange> mode(@RequestBody ModeChange change) {
        return registry.changeMode(change);
    }
}

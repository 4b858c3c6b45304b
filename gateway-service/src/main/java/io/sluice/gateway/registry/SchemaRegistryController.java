package io.sluice.gateway.registry;

import io.sluice.gateway.registry.ConfluentJson.CompatibilityAnswer;
import io.sluice.gateway.registry.ConfluentJson.ConfigAnswer;
import io.sluice.gateway.registry.ConfluentJson.ConfigUpdate;
import io.sluice.gateway.registry.ConfluentJson.IdAnswer;
import io.sluice.gateway.registry.ConfluentJson.ModeBody;
import io.sluice.gateway.registry.ConfluentJson.SchemaAnswer;
import io.sluice.gateway.registry.ConfluentJson.SchemaRequest;
import io.sluice.gateway.registry.ConfluentJson.SubjectVersionAnswer;
import io.sluice.gateway.registry.ConfluentJson.VersionAnswer;
import io.sluice.gateway.registry.RegistryAccess.Action;
import io.sluice.internal.registry.RegistryMode;
import io.sluice.internal.registry.SchemaDefinition;
import io.sluice.protocol.schema.CompatibilityLevel;
import io.sluice.protocol.schema.SchemaType;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Confluent's Schema Registry REST API at {@value #BASE} on every gateway (docs/schemas.md): Confluent's clients,
 * serializers and tools take {@code http://<gateway>:8080/schema-registry} as their registry URL. The registry itself
 * is the active coordinator's ({@link RegistryService}); authentication is the gateway's, and each route asks
 * {@link RegistryAccess} what the caller may do with the subject it names. Errors are Confluent's bodies
 * ({@link RegistryErrors}). Query parameters of newer Confluent versions that this one does not take are ignored, as
 * Confluent's registry ignores unknown ones.
 */
@RestController
@RequestMapping(path = SchemaRegistryController.BASE, produces = {SchemaRegistryController.CONTENT_TYPE,
        MediaType.APPLICATION_JSON_VALUE})
class SchemaRegistryController {

    static final String BASE = "/schema-registry";
    /** Confluent's media type; its clients send and accept it, and plain application/json. */
    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final MediaType MEDIA_TYPE = MediaType.parseMediaType(CONTENT_TYPE);

    private final RegistryService registry;
    private final RegistryAccess access;

    SchemaRegistryController(RegistryService registry, RegistryAccess access) {
        this.registry = registry;
        this.access = access;
    }

    /** Confluent's root answers an empty object (clients use it to check the URL). */
    @GetMapping({"", "/"})
    Map<String, Object> root() {
        return Map.of();
    }

    @GetMapping("/schemas/types")
    List<String> types() {
        return Arrays.stream(SchemaType.values()).map(Enum::name).toList();
    }

    @GetMapping("/schemas/ids/{id}")
    Mono<SchemaAnswer> schema(@PathVariable("id") int id, ServerWebExchange exchange) {
        return readable(id, exchange).map(SchemaAnswer::of);
    }

    @GetMapping("/schemas/ids/{id}/schema")
    Mono<ResponseEntity<byte[]>> rawSchema(@PathVariable("id") int id, ServerWebExchange exchange) {
        return readable(id, exchange).map(schema -> raw(schema.schema()));
    }

    @GetMapping("/schemas/ids/{id}/subjects")
    Mono<List<String>> subjectsOf(@PathVariable("id") int id,
                                  @RequestParam(name = "deleted", defaultValue = "false") boolean deleted,
                                  ServerWebExchange exchange) {
        return readable(id, exchange).then(registry.holders(id, deleted)).map(holders -> holders.stream()
                .map(SubjectVersionAnswer::subject).filter(s -> access.mayRead(exchange, s)).distinct().toList());
    }

    @GetMapping("/schemas/ids/{id}/versions")
    Mono<List<SubjectVersionAnswer>> versionsOf(@PathVariable("id") int id,
                                                @RequestParam(name = "deleted", defaultValue = "false")
                                                boolean deleted, ServerWebExchange exchange) {
        return readable(id, exchange).then(registry.holders(id, deleted)).map(holders -> holders.stream()
                .filter(h -> access.mayRead(exchange, h.subject())).toList());
    }

    @GetMapping("/schemas")
    Mono<List<VersionAnswer>> schemas(@RequestParam(name = "subjectPrefix", required = false) String prefix,
                                      @RequestParam(name = "deleted", defaultValue = "false") boolean deleted,
                                      @RequestParam(name = "latestOnly", defaultValue = "false") boolean latestOnly,
                                      ServerWebExchange exchange) {
        return registry.schemas(prefix, deleted, latestOnly, subject -> access.mayRead(exchange, subject));
    }

    @GetMapping("/subjects")
    Mono<List<String>> subjects(@RequestParam(name = "subjectPrefix", required = false) String prefix,
                                @RequestParam(name = "deleted", defaultValue = "false") boolean deleted,
                                @RequestParam(name = "deletedOnly", defaultValue = "false") boolean deletedOnly,
                                ServerWebExchange exchange) {
        return registry.subjects(prefix, deleted, deletedOnly, subject -> access.mayRead(exchange, subject));
    }

    @GetMapping("/subjects/{subject}/versions")
    Mono<List<Integer>> versions(@PathVariable("subject") String subject,
                                 @RequestParam(name = "deleted", defaultValue = "false") boolean deleted,
                                 @RequestParam(name = "deletedOnly", defaultValue = "false") boolean deletedOnly,
                                 ServerWebExchange exchange) {
        access.authorize(exchange, Action.READ, subject);
        return registry.versions(subject, deleted, deletedOnly);
    }

    @GetMapping("/subjects/{subject}/versions/{version}")
    Mono<VersionAnswer> version(@PathVariable("subject") String subject, @PathVariable("version") String version,
                                @RequestParam(name = "deleted", defaultValue = "false") boolean deleted,
                                ServerWebExchange exchange) {
        access.authorize(exchange, Action.READ, subject);
        return registry.version(subject, RegistryService.version(version), deleted);
    }

    @GetMapping("/subjects/{subject}/versions/{version}/schema")
    Mono<ResponseEntity<byte[]>> rawVersion(@PathVariable("subject") String subject,
                                            @PathVariable("version") String version,
                                            @RequestParam(name = "deleted", defaultValue = "false") boolean deleted,
                                            ServerWebExchange exchange) {
        access.authorize(exchange, Action.READ, subject);
        return registry.version(subject, RegistryService.version(version), deleted)
                .map(found -> raw(found.schema()));
    }

    @GetMapping("/subjects/{subject}/versions/{version}/referencedby")
    Mono<List<Integer>> referencedBy(@PathVariable("subject") String subject,
                                     @PathVariable("version") String version, ServerWebExchange exchange) {
        access.authorize(exchange, Action.READ, subject);
        return registry.referencedBy(subject, RegistryService.version(version));
    }

    @PostMapping("/subjects/{subject}/versions")
    Mono<IdAnswer> register(@PathVariable("subject") String subject, @RequestBody SchemaRequest request,
                            @RequestParam(name = "normalize", defaultValue = "false") boolean normalize,
                            ServerWebExchange exchange) {
        access.authorize(exchange, Action.WRITE, subject);
        return registry.register(subject, request, normalize).map(IdAnswer::new);
    }

    @PostMapping("/subjects/{subject}")
    Mono<VersionAnswer> lookup(@PathVariable("subject") String subject, @RequestBody SchemaRequest request,
                               @RequestParam(name = "normalize", defaultValue = "false") boolean normalize,
                               @RequestParam(name = "deleted", defaultValue = "false") boolean deleted,
                               ServerWebExchange exchange) {
        access.authorize(exchange, Action.READ, subject);
        return registry.lookup(subject, request, normalize, deleted);
    }

    @DeleteMapping("/subjects/{subject}")
    Mono<List<Integer>> deleteSubject(@PathVariable("subject") String subject,
                                      @RequestParam(name = "permanent", defaultValue = "false") boolean permanent,
                                      ServerWebExchange exchange) {
        access.authorize(exchange, Action.WRITE, subject);
        return registry.delete(subject, null, permanent);
    }

    @DeleteMapping("/subjects/{subject}/versions/{version}")
    Mono<Integer> deleteVersion(@PathVariable("subject") String subject, @PathVariable("version") String version,
                                @RequestParam(name = "permanent", defaultValue = "false") boolean permanent,
                                ServerWebExchange exchange) {
        access.authorize(exchange, Action.WRITE, subject);
        return registry.delete(subject, RegistryService.version(version), permanent)
                .map(deleted -> deleted.getFirst());
    }

    @PostMapping("/compatibility/subjects/{subject}/versions/{version}")
    Mono<CompatibilityAnswer> checkVersion(@PathVariable("subject") String subject,
                                           @PathVariable("version") String version,
                                           @RequestBody SchemaRequest request,
                                           @RequestParam(name = "verbose", defaultValue = "false") boolean verbose,
                                           @RequestParam(name = "normalize", defaultValue = "false") boolean normalize,
                                           ServerWebExchange exchange) {
        access.authorize(exchange, Action.READ, subject);
        return registry.compatibility(subject, RegistryService.version(version), request, normalize, verbose);
    }

    @PostMapping("/compatibility/subjects/{subject}/versions")
    Mono<CompatibilityAnswer> checkSubject(@PathVariable("subject") String subject,
                                           @RequestBody SchemaRequest request,
                                           @RequestParam(name = "verbose", defaultValue = "false") boolean verbose,
                                           @RequestParam(name = "normalize", defaultValue = "false") boolean normalize,
                                           ServerWebExchange exchange) {
        access.authorize(exchange, Action.READ, subject);
        return registry.compatibility(subject, null, request, normalize, verbose);
    }

    @GetMapping("/config")
    Mono<ConfigAnswer> config(ServerWebExchange exchange) {
        access.authorize(exchange, Action.READ_CONFIG, null);
        return registry.compatibility(null, true).map(level -> new ConfigAnswer(level.name()));
    }

    @PutMapping("/config")
    Mono<ConfigUpdate> setConfig(@RequestBody ConfigUpdate update, ServerWebExchange exchange) {
        access.authorize(exchange, Action.WRITE_CONFIG, null);
        return registry.setCompatibility(null, CompatibilityLevel.fromName(update.compatibility()))
                .map(level -> new ConfigUpdate(level.name()));
    }

    @DeleteMapping("/config")
    Mono<ConfigAnswer> deleteConfig(ServerWebExchange exchange) {
        access.authorize(exchange, Action.WRITE_CONFIG, null);
        return registry.deleteCompatibility(null).map(level -> new ConfigAnswer(level.name()));
    }

    @GetMapping("/config/{subject}")
    Mono<ConfigAnswer> subjectConfig(@PathVariable("subject") String subject,
                                     @RequestParam(name = "defaultToGlobal", defaultValue = "false")
                                     boolean defaultToGlobal, ServerWebExchange exchange) {
        access.authorize(exchange, Action.READ_CONFIG, subject);
        return registry.compatibility(subject, defaultToGlobal).map(level -> new ConfigAnswer(level.name()));
    }

    @PutMapping("/config/{subject}")
    Mono<ConfigUpdate> setSubjectConfig(@PathVariable("subject") String subject, @RequestBody ConfigUpdate update,
                                        ServerWebExchange exchange) {
        access.authorize(exchange, Action.WRITE_CONFIG, subject);
        return registry.setCompatibility(subject, CompatibilityLevel.fromName(update.compatibility()))
                .map(level -> new ConfigUpdate(level.name()));
    }

    @DeleteMapping("/config/{subject}")
    Mono<ConfigAnswer> deleteSubjectConfig(@PathVariable("subject") String subject, ServerWebExchange exchange) {
        access.authorize(exchange, Action.WRITE_CONFIG, subject);
        return registry.deleteCompatibility(subject).map(level -> new ConfigAnswer(level.name()));
    }

    @GetMapping("/mode")
    Mono<ModeBody> mode(ServerWebExchange exchange) {
        access.authorize(exchange, Action.READ_CONFIG, null);
        return registry.mode(null, true).map(mode -> new ModeBody(mode.name()));
    }

    @PutMapping("/mode")
    Mono<ModeBody> setMode(@RequestBody ModeBody body,
                           @RequestParam(name = "force", defaultValue = "false") boolean force,
                           ServerWebExchange exchange) {
        access.authorize(exchange, Action.WRITE_CONFIG, null);
        return registry.setMode(null, RegistryMode.fromName(body.mode()), force).map(m -> new ModeBody(m.name()));
    }

    @GetMapping("/mode/{subject}")
    Mono<ModeBody> subjectMode(@PathVariable("subject") String subject,
                               @RequestParam(name = "defaultToGlobal", defaultValue = "false") boolean defaultToGlobal,
                               ServerWebExchange exchange) {
        access.authorize(exchange, Action.READ_CONFIG, subject);
        return registry.mode(subject, defaultToGlobal).map(mode -> new ModeBody(mode.name()));
    }

    @PutMapping("/mode/{subject}")
    Mono<ModeBody> setSubjectMode(@PathVariable("subject") String subject, @RequestBody ModeBody body,
                                  @RequestParam(name = "force", defaultValue = "false") boolean force,
                                  ServerWebExchange exchange) {
        access.authorize(exchange, Action.WRITE_CONFIG, subject);
        return registry.setMode(subject, RegistryMode.fromName(body.mode()), force).map(m -> new ModeBody(m.name()));
    }

    @DeleteMapping("/mode/{subject}")
    Mono<ModeBody> deleteSubjectMode(@PathVariable("subject") String subject, ServerWebExchange exchange) {
        access.authorize(exchange, Action.WRITE_CONFIG, subject);
        return registry.deleteMode(subject).map(mode -> new ModeBody(mode.name()));
    }

    /**
     * Schema {@code id}, if the caller may read a subject that holds it (or, when no subject does any more, may
     * DESCRIBE the cluster).
     */
    private Mono<SchemaDefinition> readable(int id, ServerWebExchange exchange) {
        return registry.schema(id).flatMap(schema -> registry.holders(id, true).map(holders -> {
            if (holders.stream().noneMatch(h -> access.mayRead(exchange, h.subject()))) {
                access.authorize(exchange, Action.READ, holders.isEmpty() ? null : holders.getFirst().subject());
            }
            return schema;
        }));
    }

    /** A schema's text as the body itself, as Confluent's {@code /schema} routes answer it. */
    private static ResponseEntity<byte[]> raw(String schema) {
        return ResponseEntity.ok().contentType(MEDIA_TYPE).body(schema.getBytes(StandardCharsets.UTF_8));
    }
}

package io.sluice.gateway.registry;

import io.sluice.internal.registry.ResolvedSchema;
import io.sluice.internal.registry.SchemaRegistryApi;
import io.sluice.internal.registry.SubjectVersion;
import io.sluice.internal.registry.SubjectVersions;
import io.sluice.protocol.ErrorCode;
import io.sluice.schema.InvalidSchemaException;
import io.sluice.schema.ParsedSchema;
import io.sluice.schema.ResolvedReference;
import io.sluice.schema.Schemas;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Registered schemas parsed ({@link ParsedSchema}), by id, for the record paths: a produce that converts JSON with a
 * schema, a read that decodes Confluent's wire format. The coordinator answers a schema with its references' texts,
 * recursively, in dependency order ({@link SchemaRegistryApi#resolvedSchema}): all {@link Schemas#parse} needs, in one
 * call.
 *
 * <p>An id always names the same definition (the registry never reuses one nor changes it), so a parsed schema is
 * kept and never stale: the {@value #CAPACITY} most recently used. Only what resolved is kept; an id not (yet)
 * registered, or a coordinator that did not answer, is asked again next time. Lookups go to the coordinator
 * ({@link SchemaRegistryApi}) and are asynchronous; everything after them is CPU only. Thread-safe.
 */
@Component
public class ParsedSchemas {

    static final int CAPACITY = 10_000;

    private final SchemaRegistryApi registry;
    private final Map<Integer, ParsedSchema> parsed = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, ParsedSchema> eldest) {
            return size() > CAPACITY;
        }
    };

    ParsedSchemas(SchemaRegistryApi registry) {
        this.registry = registry;
    }

    /**
     * Schema {@code id}, parsed with its references: SCHEMA_NOT_FOUND when no schema has the id, INVALID_SCHEMA when
     * it (or a reference) does not parse or a reference names a version that is no more.
     */
    public Mono<ParsedSchema> schema(int id) {
        ParsedSchema known;
        synchronized (parsed) {
            known = parsed.get(id);
        }
        if (known != null) {
            return Mono.just(known);
        }
        return registry.resolvedSchema(id)
                .map(ParsedSchemas::parse)
                .doOnNext(schema -> {
                    synchronized (parsed) {
                        parsed.put(id, schema);
                    }
                });
    }

    /**
     * The schema version {@code version} of {@code subject} holds (null: the subject's latest version not
     * soft-deleted): SUBJECT_NOT_FOUND when the subject has no version that is not soft-deleted,
     * SCHEMA_VERSION_NOT_FOUND when it has not that one (or it was soft-deleted).
     */
    public Mono<RegisteredSchema> forSubject(String subject, Integer version) {
        return registry.registryState().flatMap(state -> {
            SubjectVersions versions = state.subject(subject).filter(s -> !s.softDeleted()).orElse(null);
            if (versions == null) {
                return Mono.error(ErrorCode.SUBJECT_NOT_FOUND.exception("Subject '" + subject + "' not found"));
            }
            Optional<SubjectVersion> found = version == null ? versions.latest(false)
                    : versions.version(version).filter(v -> !v.deleted());
            return found.map(v -> schema(v.id()).map(schema -> new RegisteredSchema(v.id(), schema)))
                    .orElseGet(() -> Mono.error(ErrorCode.SCHEMA_VERSION_NOT_FOUND.exception("Subject '" + subject
                            + "' has no version " + version)));
        });
    }

    /**
     * Those of {@code ids} that resolve, parsed. An id that does not — no schema has it, it does not parse, the
     * coordinator did not answer — is left out rather than failing the lot: a reader of records falls back to
     * another rendering for it, and a record is never unreadable because of a schema.
     */
    public Mono<Map<Integer, ParsedSchema>> known(Collection<Integer> ids) {
        return Flux.fromIterable(Set.copyOf(ids))
                .flatMap(id -> schema(id).map(schema -> Map.entry(id, schema)).onErrorResume(e -> Mono.empty()))
                .collectMap(Map.Entry::getKey, Map.Entry::getValue);
    }

    private static ParsedSchema parse(ResolvedSchema resolved) {
        List<ResolvedReference> references = resolved.references().stream()
                .map(r -> new ResolvedReference(r.name(), r.subject(), r.version(), r.schema()))
                .toList();
        try {
            return Schemas.parse(resolved.schema().schemaType(), resolved.schema().schema(), references);
        } catch (InvalidSchemaException e) {
            throw ErrorCode.INVALID_SCHEMA.exception("Schema " + resolved.id() + " does not parse: " + e.getMessage());
        }
    }
}

package io.sluice.gateway.registry;

import io.sluice.internal.registry.ResolvedSchema;
import io.sluice.internal.registry.SchemaDefinition;
import io.sluice.internal.registry.SchemaRegistryApi;
import io.sluice.internal.registry.SubjectVersion;
import io.sluice.internal.registry.SubjectVersions;
import io.sluice.protocol.ErrorCode;
import io.sluice.schema.InvalidSchemaException;
import io.sluice.schema.ParsedSchema;
import io.sluice.schema.Schemas;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Registered schemas by id, as the registry's API answers them ({@link #definition}) and parsed
 * ({@link ParsedSchema}) for the record paths: a produce that converts JSON with a schema, a read that decodes
 * Confluent's wire format. The coordinator answers a schema with its references' texts, recursively, in dependency
 * order ({@link SchemaRegistryApi#resolvedSchema}): all {@link Schemas#parse} needs, in one call.
 *
 * <p>An id always names the same definition (the registry never reuses one nor changes it), so a schema is kept and
 * never stale, parsed the first time a record path needs it: the {@value #CAPACITY} most recently used. Only what
 * resolved is kept; an id not (yet) registered, or a coordinator that did not answer, is asked again next time.
 * Lookups go to the coordinator ({@link SchemaRegistryApi}) and are asynchronous; everything after them is CPU only.
 * Thread-safe.
 */
@Component
public class ParsedSchemas {

    static final int CAPACITY = 10_000;

    private final SchemaRegistryApi registry;
    private final Map<Integer, Known> kept = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, Known> eldest) {
            return size() > CAPACITY;
        }
    };

    /** A schema as resolved, and parsed once a record path has needed it (null before). */
    private record Known(ResolvedSchema resolved, ParsedSchema parsed) {
    }

    ParsedSchemas(SchemaRegistryApi registry) {
        this.registry = registry;
    }

    /**
     * Schema {@code id}, parsed with its references: SCHEMA_NOT_FOUND when no schema has the id, INVALID_SCHEMA when
     * it (or a reference) does not parse or a reference names a version that is no more.
     */
    public Mono<ParsedSchema> schema(int id) {
        return known(id).map(known -> {
            if (known.parsed() != null) {
                return known.parsed();
            }
            ParsedSchema schema = parse(known.resolved());
            keep(id, new Known(known.resolved(), schema));
            return schema;
        });
    }

    /** Schema {@code id} as registered (type, text, references): SCHEMA_NOT_FOUND when no schema has the id. */
    Mono<SchemaDefinition> definition(int id) {
        return known(id).map(known -> known.resolved().schema());
    }

    private Mono<Known> known(int id) {
        Known known;
        synchronized (kept) {
            known = kept.get(id);
        }
        if (known != null) {
            return Mono.just(known);
        }
        return registry.resolvedSchema(id).map(resolved -> keep(id, new Known(resolved, null)));
    }

    private Known keep(int id, Known known) {
        synchronized (kept) {
            kept.put(id, known);
        }
        return known;
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
        try {
            return Schemas.parse(resolved.schema().schemaType(), resolved.schema().schema(), resolved.references());
        } catch (InvalidSchemaException e) {
            throw ErrorCode.INVALID_SCHEMA.exception("Schema " + resolved.id() + " does not parse: " + e.getMessage());
        }
    }
}

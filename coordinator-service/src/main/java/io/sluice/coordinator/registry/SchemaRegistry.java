package io.sluice.coordinator.registry;

import io.sluice.coordinator.registry.SchemaStore.Outcome;
import io.sluice.coordinator.registry.SchemaStore.StoredSubject;
import io.sluice.internal.registry.RegistryMode;
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
import io.sluice.internal.registry.SchemaReference;
import io.sluice.internal.registry.SubjectVersion;
import io.sluice.internal.registry.SubjectVersions;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import io.sluice.protocol.schema.CompatibilityLevel;
import io.sluice.protocol.schema.ResolvedReference;
import io.sluice.schema.Compatibility;
import io.sluice.schema.InvalidSchemaException;
import io.sluice.schema.ParsedSchema;
import io.sluice.schema.Schemas;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * The schema registry's rules, as Confluent's registry keeps them (docs/schemas.md), run by the active coordinator
 * over the {@link SchemaStore}:
 * <ul>
 *   <li>A schema is parsed with its references (resolved, recursively, to the registered versions they name) and
 *       kept in its canonical form (normalized first with {@code normalize}). One schema has one id, registered under
 *       however many subjects; ids are never given twice, since the store's counter only grows, and an id keeps its
 *       schema for good, even once no subject holds it.</li>
 *   <li>Registering a schema a subject already has (a version not soft-deleted) answers that version and writes
 *       nothing. Otherwise the schema must be compatible, under the subject's level (or the registry's), with the
 *       versions not soft-deleted, and becomes the next version. In READONLY mode nothing is registered or deleted;
 *       in IMPORT mode a registration names its id (and may name its version), unchecked.</li>
 *   <li>Deletes are soft first (the version is kept, marked), then permanent; a version another schema in use
 *       references cannot be deleted.</li>
 * </ul>
 * Writes to one subject are compare and set: a registration or delete that finds the subject changed since it read
 * it reads again and decides again, so every version is decided against the versions before it.
 */
@Service
class SchemaRegistry {

    private static final int MAX_ATTEMPTS = 16;
    private static final int MAX_SUBJECT_LENGTH = 255;
    /** Confluent's "latest" in a version's place. */
    static final int LATEST = -1;

    /** A schema as it is to be kept: parsed, its stored form, and its fingerprint. */
    private record Prepared(ParsedSchema parsed, SchemaDefinition stored, String fingerprint) {
    }

    private final SchemaStore store;

    SchemaRegistry(SchemaStore store) {
        this.store = store;
    }

    Mono<RegistryState> state() {
        return store.state();
    }

    Mono<SchemaDefinition> schema(int id) {
        return store.schema(id).switchIfEmpty(Mono.error(() -> schemaNotFound(id)));
    }

    /** Schema {@code id} with its references' texts, in dependency order. */
    Mono<ResolvedSchema> resolved(int id) {
        return schema(id).flatMap(stored -> resolve(stored.references(), true, new LinkedHashMap<>(),
                        new HashSet<>())
                .map(resolved -> new ResolvedSchema(id, stored, resolved)));
    }

    Mono<Registered> register(Register request) {
        return Mono.defer(() -> {
            checkSubject(request.subject());
            return withRetries(() -> registerOnce(request));
        });
    }

    Mono<SubjectSchema> lookup(Lookup request) {
        return Mono.defer(() -> {
            checkSubject(request.subject());
            return Mono.zip(prepare(request.schema(), request.normalize()), store.subject(request.subject()));
        }).flatMap(both -> {
            Prepared prepared = both.getT1();
            SubjectVersions subject = both.getT2().versions();
            if (subject.versions().isEmpty() || !request.deleted() && subject.softDeleted()) {
                return Mono.error(subjectNotFound(request.subject()));
            }
            return store.idOf(prepared.fingerprint())
                    .flatMap(id -> Mono.justOrEmpty(newest(subject, id, request.deleted())))
                    .flatMap(version -> store.schema(version.id()).map(stored ->
                            new SubjectSchema(request.subject(), version.version(), version.id(), stored)))
                    .switchIfEmpty(Mono.error(() -> ErrorCode.SCHEMA_NOT_FOUND.exception("Schema not found")));
        });
    }

    Mono<CompatibilityReport> checkCompatibility(CompatibilityCheck request) {
        return Mono.defer(() -> {
            checkSubject(request.subject());
            return Mono.zip(prepare(request.schema(), request.normalize()), store.subject(request.subject()),
                    store.state());
        }).flatMap(all -> {
            SubjectVersions subject = all.getT2().versions();
            CompatibilityLevel level = all.getT3().compatibilityOf(request.subject());
            List<SubjectVersion> against;
            if (request.version() == null) {
                against = subject.live();
            } else {
                if (subject.softDeleted()) {
                    return Mono.error(subjectNotFound(request.subject()));
                }
                against = List.of(liveVersion(subject, request.version()));
                // Against one named version, the level's directions apply to that version alone.
                level = plain(level);
            }
            CompatibilityLevel applied = level;
            return parsedVersions(against).map(previous -> {
                List<String> problems = Compatibility.incompatibilities(all.getT1().parsed(), previous, applied);
                return new CompatibilityReport(problems.isEmpty(), problems);
            });
        });
    }

    Mono<Deleted> delete(Delete request) {
        return Mono.defer(() -> {
            checkSubject(request.subject());
            return withRetries(() -> deleteOnce(request));
        });
    }

    Mono<SchemaIds> referencedBy(ReferencedBy request) {
        return Mono.defer(() -> {
            checkSubject(request.subject());
            return store.subject(request.subject());
        }).flatMap(read -> {
            SubjectVersions subject = read.versions();
            if (subject.softDeleted()) {
                return Mono.error(subjectNotFound(request.subject()));
            }
            int version = liveVersion(subject, request.version()).version();
            return referrers(request.subject(), version).map(ids -> new SchemaIds(List.copyOf(ids)));
        });
    }

    Mono<CompatibilityChange> changeCompatibility(CompatibilityChange change) {
        return Mono.defer(() -> {
            if (change.subject() != null) {
                checkSubject(change.subject());
            }
            return store.setCompatibility(change.subject(), change.level())
                    .map(previous -> new CompatibilityChange(change.subject(), CompatibilityLevel.valueOf(previous)))
                    .switchIfEmpty(Mono.defer(() -> change.level() == null && change.subject() != null
                            ? Mono.error(ErrorCode.SUBJECT_COMPATIBILITY_NOT_CONFIGURED.exception("Subject '"
                                    + change.subject() + "' does not have subject-level compatibility configured"))
                            : Mono.just(new CompatibilityChange(change.subject(), null))));
        });
    }

    Mono<ModeChange> changeMode(ModeChange change) {
        return Mono.defer(() -> {
            if (change.subject() != null) {
                checkSubject(change.subject());
            }
            Mono<Boolean> empty = change.mode() != RegistryMode.IMPORT || change.force() ? Mono.just(true)
                    : change.subject() == null ? store.state().map(state -> state.subjects().isEmpty())
                    : store.subject(change.subject()).map(read -> read.versions().versions().isEmpty());
            return empty.flatMap(isEmpty -> isEmpty ? store.setMode(change.subject(), change.mode())
                            .map(previous -> new ModeChange(change.subject(), RegistryMode.valueOf(previous), false))
                            .switchIfEmpty(Mono.defer(() -> change.mode() == null && change.subject() != null
                                    ? Mono.error(ErrorCode.SUBJECT_MODE_NOT_CONFIGURED.exception("Subject '"
                                            + change.subject() + "' does not have subject-level mode configured"))
                                    : Mono.just(new ModeChange(change.subject(), null, false))))
                    : Mono.error(ErrorCode.REGISTRY_OPERATION_NOT_PERMITTED.exception("Cannot import since "
                            + (change.subject() == null ? "the registry" : "subject '" + change.subject() + "'")
                            + " is not empty; set force=true to import into it anyway")));
        });
    }

    private Mono<Registered> registerOnce(Register request) {
        return Mono.zip(store.subject(request.subject()), store.state(), prepare(request.schema(),
                request.normalize())).flatMap(all -> {
            StoredSubject read = all.getT1();
            RegistryState state = all.getT2();
            Prepared prepared = all.getT3();
            RegistryMode mode = state.modeOf(request.subject());
            if (mode == RegistryMode.READONLY) {
                return Mono.error(readOnly(request.subject()));
            }
            boolean importing = mode == RegistryMode.IMPORT;
            if (importing && request.id() == null) {
                return Mono.error(ErrorCode.REGISTRY_OPERATION_NOT_PERMITTED.exception("Subject '"
                        + request.subject() + "' is in IMPORT mode: a registration names its schema's id"));
            }
            if (!importing && (request.id() != null || request.version() != null)) {
                return Mono.error(ErrorCode.REGISTRY_OPERATION_NOT_PERMITTED.exception("Subject '"
                        + request.subject() + "' is not in IMPORT mode: a registration cannot name its id or version"));
            }
            SubjectVersions subject = read.versions();
            int next = subject.versions().stream().mapToInt(SubjectVersion::version).max().orElse(0) + 1;
            if (importing) {
                int version = request.version() == null ? next : request.version();
                if (version < 1 || subject.version(version).isPresent()) {
                    return Mono.error(ErrorCode.SCHEMA_ID_CONFLICT.exception("Subject '" + request.subject()
                            + "' has version " + version + " already"));
                }
                return write(read, prepared, request.id(), version);
            }
            return store.idOf(prepared.fingerprint())
                    .flatMap(id -> Mono.justOrEmpty(newest(subject, id, false)))
                    .map(existing -> Mono.just(new Registered(existing.id(), existing.version())))
                    .defaultIfEmpty(Mono.defer(() -> parsedVersions(subject.live()).flatMap(previous -> {
                        List<String> problems = Compatibility.incompatibilities(prepared.parsed(), previous,
                                state.compatibilityOf(request.subject()));
                        if (!problems.isEmpty()) {
                            return Mono.error(ErrorCode.INCOMPATIBLE_SCHEMA.exception("Schema being registered is "
                                    + "incompatible with an earlier schema for subject \"" + request.subject()
                                    + "\", details: " + problems));
                        }
                        return write(read, prepared, null, next);
                    })))
                    .flatMap(answer -> answer);
        });
    }

    private Mono<Registered> write(StoredSubject read, Prepared prepared, Integer id, int version) {
        return store.register(read, prepared.fingerprint(), prepared.stored(), id, version)
                .flatMap(registration -> switch (registration.outcome()) {
                    case WRITTEN -> Mono.just(new Registered(registration.id(), version));
                    case CHANGED -> Mono.error(new SubjectChanged());
                    case ID_CONFLICT -> Mono.error(ErrorCode.SCHEMA_ID_CONFLICT.exception("Schema id " + id
                            + " is taken by another schema, or this schema has another id"));
                });
    }

    private Mono<Deleted> deleteOnce(Delete request) {
        return Mono.zip(store.subject(request.subject()), store.state()).flatMap(both -> {
            StoredSubject read = both.getT1();
            SubjectVersions subject = read.versions();
            if (subject.versions().isEmpty()) {
                return Mono.error(subjectNotFound(request.subject()));
            }
            if (both.getT2().modeOf(request.subject()) == RegistryMode.READONLY) {
                return Mono.error(readOnly(request.subject()));
            }
            List<SubjectVersion> affected;
            if (request.version() == null) {
                if (request.permanent() && !subject.softDeleted()) {
                    return Mono.error(ErrorCode.SUBJECT_NOT_SOFT_DELETED.exception("Subject '" + request.subject()
                            + "' was not deleted first before being permanently deleted"));
                }
                if (!request.permanent() && subject.softDeleted()) {
                    return Mono.error(ErrorCode.SUBJECT_SOFT_DELETED.exception("Subject '" + request.subject()
                            + "' was soft deleted. Set permanent=true to delete permanently"));
                }
                affected = request.permanent() ? subject.versions() : subject.live();
            } else {
                SubjectVersion version = request.permanent() ? anyVersion(subject, request.version())
                        : liveVersion(subject, request.version());
                if (request.permanent() && !version.deleted()) {
                    return Mono.error(ErrorCode.SCHEMA_VERSION_NOT_SOFT_DELETED.exception("Subject '"
                            + request.subject() + "' Version " + version.version() + " was not deleted first before "
                            + "being permanently deleted"));
                }
                affected = List.of(version);
            }
            return Flux.fromIterable(affected)
                    .concatMap(version -> referrers(request.subject(), version.version())
                            .filter(ids -> !ids.isEmpty())
                            .flatMap(ids -> Mono.<Void>error(ErrorCode.SCHEMA_REFERENCE_EXISTS.exception("One or "
                                    + "more references exist to the schema {subject=" + request.subject()
                                    + ", version=" + version.version() + "}: schema ids " + ids))))
                    .then(Mono.defer(() -> {
                        Set<Integer> numbers = new HashSet<>();
                        affected.forEach(v -> numbers.add(v.version()));
                        List<SubjectVersion> kept = new ArrayList<>();
                        for (SubjectVersion v : subject.versions()) {
                            if (!numbers.contains(v.version())) {
                                kept.add(v);
                            } else if (!request.permanent()) {
                                kept.add(new SubjectVersion(v.version(), v.id(), true));
                            }
                        }
                        return store.replace(read, kept);
                    }))
                    .flatMap(outcome -> outcome == Outcome.WRITTEN
                            ? Mono.just(new Deleted(affected.stream().map(SubjectVersion::version).toList()))
                            : Mono.error(new SubjectChanged()));
        });
    }

    /** The ids of schemas in use (held by a version not soft-deleted) whose references name the version. */
    private Mono<Set<Integer>> referrers(String subject, int version) {
        return Mono.zip(store.schemas(), store.state()).map(both -> {
            Set<Integer> inUse = new HashSet<>();
            both.getT2().subjects().forEach(s -> s.live().forEach(v -> inUse.add(v.id())));
            Set<Integer> ids = new TreeSet<>();
            both.getT1().forEach((id, schema) -> {
                if (inUse.contains(id) && schema.references().stream()
                        .anyMatch(r -> r.subject().equals(subject) && r.version() == version)) {
                    ids.add(id);
                }
            });
            return ids;
        });
    }

    /** Parses the schema with its references, normalized if asked, and gives its stored form and fingerprint. */
    private Mono<Prepared> prepare(SchemaDefinition schema, boolean normalize) {
        if (schema == null || schema.schema() == null || schema.schema().isBlank()) {
            return Mono.error(ErrorCode.INVALID_SCHEMA.exception("The request names no schema"));
        }
        return resolve(schema.references(), false, new LinkedHashMap<>(), new HashSet<>()).map(resolved -> {
            ParsedSchema parsed = parse(schema, resolved);
            if (normalize) {
                parsed = parsed.normalize();
            }
            SchemaDefinition stored = new SchemaDefinition(schema.schemaType(), parsed.canonicalString(),
                    schema.references());
            return new Prepared(parsed, stored, fingerprint(stored));
        });
    }

    /** Each previous version's schema, parsed, in the versions' order. */
    private Mono<List<ParsedSchema>> parsedVersions(List<SubjectVersion> versions) {
        return Flux.fromIterable(versions)
                .concatMap(version -> schema(version.id())
                        .flatMap(stored -> resolve(stored.references(), true, new LinkedHashMap<>(),
                                new HashSet<>()).map(resolved -> parse(stored, resolved))))
                .collectList();
    }

    /**
     * {@code references} and theirs, recursively, each once, in dependency order (a reference after those it
     * needs); a reference to a version that does not exist (or is soft-deleted, unless {@code deleted}: a schema
     * registered already keeps what it referenced), or a cycle, is INVALID_SCHEMA.
     */
    private Mono<List<ResolvedReference>> resolve(List<SchemaReference> references, boolean deleted,
                                                  Map<String, ResolvedReference> done, Set<String> visiting) {
        return Flux.fromIterable(references).concatMap(reference -> {
            String key = reference.subject() + "\u0000" + reference.version();
            if (done.containsKey(key)) {
                return Mono.empty();
            }
            if (!visiting.add(key)) {
                return Mono.error(ErrorCode.INVALID_SCHEMA.exception("The references form a cycle at subject '"
                        + reference.subject() + "' version " + reference.version()));
            }
            return store.subject(reference.subject())
                    .flatMap(read -> Mono.justOrEmpty(read.versions().version(reference.version())
                            .filter(v -> deleted || !v.deleted())))
                    .switchIfEmpty(Mono.error(() -> ErrorCode.INVALID_SCHEMA.exception("Reference '"
                            + reference.name() + "' names subject '" + reference.subject() + "' version "
                            + reference.version() + ", which is not registered")))
                    .flatMap(version -> schema(version.id()))
                    .flatMap(stored -> resolve(stored.references(), deleted, done, visiting).thenReturn(stored))
                    .doOnNext(stored -> done.put(key, new ResolvedReference(reference.name(), reference.subject(),
                            reference.version(), stored.schema())));
        }).then(Mono.fromSupplier(() -> List.copyOf(done.values())));
    }

    private static ParsedSchema parse(SchemaDefinition schema, List<ResolvedReference> references) {
        try {
            return Schemas.parse(schema.schemaType(), schema.schema(), references);
        } catch (InvalidSchemaException e) {
            throw ErrorCode.INVALID_SCHEMA.exception("Invalid schema: " + e.getMessage());
        }
    }

    /** SHA-256 of the schema's type, text and references: equal exactly when the stored definitions are. */
    static String fingerprint(SchemaDefinition schema) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            StringBuilder all = new StringBuilder().append(schema.schemaType().name()).append('\u0000')
                    .append(schema.schema());
            for (SchemaReference reference : schema.references()) {
                all.append('\u0000').append(reference.name()).append('\u0001').append(reference.subject())
                        .append('\u0001').append(reference.version());
            }
            return HexFormat.of().formatHex(sha.digest(all.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The newest version of {@code subject} holding schema {@code id}, not soft-deleted (any with {@code deleted}). */
    private static Optional<SubjectVersion> newest(SubjectVersions subject, int id, boolean deleted) {
        return subject.versions().reversed().stream().filter(v -> v.id() == id && (deleted || !v.deleted()))
                .findFirst();
    }

    /** Version {@code number} (or the latest) not soft-deleted; SCHEMA_VERSION_NOT_FOUND otherwise. */
    private static SubjectVersion liveVersion(SubjectVersions subject, int number) {
        Optional<SubjectVersion> version = number == LATEST ? subject.latest(false)
                : subject.version(number).filter(v -> !v.deleted());
        if (version.isEmpty() && subject.version(number).isPresent()) {
            throw ErrorCode.SCHEMA_VERSION_SOFT_DELETED.exception("Subject '" + subject.subject() + "' Version "
                    + number + " was soft deleted. Set permanent=true to delete permanently");
        }
        return version.orElseThrow(() -> versionNotFound(number));
    }

    /** Version {@code number} (or the latest), soft-deleted or not; SCHEMA_VERSION_NOT_FOUND otherwise. */
    private static SubjectVersion anyVersion(SubjectVersions subject, int number) {
        return (number == LATEST ? subject.latest(true) : subject.version(number))
                .orElseThrow(() -> versionNotFound(number));
    }

    /** The level's directions without its transitivity: for a check against one named version. */
    private static CompatibilityLevel plain(CompatibilityLevel level) {
        return switch (level) {
            case BACKWARD_TRANSITIVE -> CompatibilityLevel.BACKWARD;
            case FORWARD_TRANSITIVE -> CompatibilityLevel.FORWARD;
            case FULL_TRANSITIVE -> CompatibilityLevel.FULL;
            default -> level;
        };
    }

    /** Confluent's subject names: 1 to 255 characters, no control characters. */
    static void checkSubject(String subject) {
        if (subject == null || subject.isEmpty() || subject.length() > MAX_SUBJECT_LENGTH
                || subject.chars().anyMatch(Character::isISOControl)) {
            throw ErrorCode.INVALID_SUBJECT.exception("Invalid subject '" + subject + "': a subject is 1 to "
                    + MAX_SUBJECT_LENGTH + " characters without control characters");
        }
    }

    private static <T> Mono<T> withRetries(Supplier<Mono<T>> attempt) {
        return Mono.defer(attempt).retryWhen(Retry.max(MAX_ATTEMPTS).filter(SubjectChanged.class::isInstance)
                .onRetryExhaustedThrow((spec, signal) -> ErrorCode.REQUEST_TIMED_OUT.exception("The subject kept "
                        + "changing under concurrent writes; try again")));
    }

    private static SluiceException subjectNotFound(String subject) {
        return ErrorCode.SUBJECT_NOT_FOUND.exception("Subject '" + subject + "' not found.");
    }

    private static SluiceException schemaNotFound(int id) {
        return ErrorCode.SCHEMA_NOT_FOUND.exception("Schema " + id + " not found");
    }

    private static SluiceException versionNotFound(int number) {
        return ErrorCode.SCHEMA_VERSION_NOT_FOUND.exception("Version " + number + " not found.");
    }

    private static SluiceException readOnly(String subject) {
        return ErrorCode.REGISTRY_OPERATION_NOT_PERMITTED.exception("Subject '" + subject + "' is in read-only mode");
    }

    /** The subject changed between its read and the write: read again. */
    private static final class SubjectChanged extends RuntimeException {

        SubjectChanged() {
            super(null, null, false, false);
        }
    }
}

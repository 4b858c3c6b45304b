package io.sluice.gateway.registry;

import io.sluice.gateway.registry.ConfluentJson.CompatibilityAnswer;
import io.sluice.gateway.registry.ConfluentJson.SchemaRequest;
import io.sluice.gateway.registry.ConfluentJson.SubjectVersionAnswer;
import io.sluice.gateway.registry.ConfluentJson.VersionAnswer;
import io.sluice.internal.registry.RegistryMode;
import io.sluice.internal.registry.RegistryRequests;
import io.sluice.internal.registry.RegistryState;
import io.sluice.internal.registry.SchemaDefinition;
import io.sluice.internal.registry.SchemaRegistryApi;
import io.sluice.internal.registry.SubjectVersion;
import io.sluice.internal.registry.SubjectVersions;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import io.sluice.protocol.schema.CompatibilityLevel;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Confluent's Schema Registry API over the registry the coordinator keeps ({@link SchemaRegistryApi}): listings and
 * reads are answered from the registry's state and the schemas by id ({@link ParsedSchemas#definition}); registrations, lookups,
 * checks, deletes and settings are the coordinator's. {@code readable} predicates leave out the subjects the caller
 * may not see ({@link RegistryAccess}).
 */
@Service
class RegistryService {

    /** Confluent's "latest", in a version's place ({@code latest} or {@code -1}). */
    static final int LATEST = -1;

    private final SchemaRegistryApi registry;
    private final ParsedSchemas schemas;

    RegistryService(SchemaRegistryApi registry, ParsedSchemas schemas) {
        this.registry = registry;
        this.schemas = schemas;
    }

    /**
     * A version in a path: {@code latest}, {@code -1} or a number from 1; INVALID_SCHEMA_VERSION otherwise.
     */
    static int version(String text) {
        if ("latest".equals(text)) {
            return LATEST;
        }
        try {
            int version = Integer.parseInt(text);
            if (version >= 1 || version == LATEST) {
                return version;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ErrorCode.INVALID_SCHEMA_VERSION.exception("The specified version '" + text + "' is not a valid "
                + "version id. Allowed values are between [1, 2^31-1] and the string \"latest\"");
    }

    Mono<SchemaDefinition> schema(int id) {
        return schemas.definition(id);
    }

    /** The subjects with a version holding schema {@code id} (soft-deleted ones too with {@code deleted}). */
    Mono<List<SubjectVersionAnswer>> holders(int id, boolean deleted) {
        return registry.registryState().map(state -> {
            List<SubjectVersionAnswer> holders = new ArrayList<>();
            for (SubjectVersions subject : state.subjects()) {
                for (SubjectVersion version : subject.versions()) {
                    if (version.id() == id && (deleted || !version.deleted())) {
                        holders.add(new SubjectVersionAnswer(subject.subject(), version.version()));
                    }
                }
            }
            return holders;
        });
    }

    Mono<List<String>> subjects(String prefix, boolean deleted, boolean deletedOnly, Predicate<String> readable) {
        return registry.registryState().map(state -> state.subjects().stream()
                .filter(s -> prefix == null || s.subject().startsWith(prefix))
                .filter(s -> deletedOnly ? s.softDeleted() : deleted || !s.softDeleted())
                .map(SubjectVersions::subject).filter(readable).toList());
    }

    Mono<List<Integer>> versions(String subject, boolean deleted, boolean deletedOnly) {
        return subject(subject, deleted || deletedOnly).map(s -> s.versions().stream()
                .filter(v -> deletedOnly ? v.deleted() : deleted || !v.deleted())
                .map(SubjectVersion::version).toList());
    }

    Mono<VersionAnswer> version(String subject, int version, boolean deleted) {
        return subject(subject, deleted).flatMap(s -> {
            Optional<SubjectVersion> found = version == LATEST ? s.latest(deleted)
                    : s.version(version).filter(v -> deleted || !v.deleted());
            return found.map(v -> schemas.definition(v.id()).map(schema -> VersionAnswer.of(subject, v.version(),
                            v.id(), schema)))
                    .orElseGet(() -> Mono.error(ErrorCode.SCHEMA_VERSION_NOT_FOUND.exception("Version "
                            + (version == LATEST ? "latest" : version) + " not found.")));
        });
    }

    /** Every registered schema version (latest of each subject only, with {@code latestOnly}). */
    Mono<List<VersionAnswer>> schemas(String prefix, boolean deleted, boolean latestOnly, Predicate<String> readable) {
        return registry.registryState().flatMapMany(state -> Flux.fromIterable(state.subjects()))
                .filter(s -> (prefix == null || s.subject().startsWith(prefix)) && readable.test(s.subject()))
                .concatMap(s -> {
                    List<SubjectVersion> versions = s.versions().stream().filter(v -> deleted || !v.deleted())
                            .toList();
                    if (latestOnly && !versions.isEmpty()) {
                        versions = List.of(versions.getLast());
                    }
                    return Flux.fromIterable(versions).concatMap(v -> schemas.definition(v.id())
                            .map(schema -> VersionAnswer.of(s.subject(), v.version(), v.id(), schema)));
                })
                .collectList();
    }

    Mono<List<Integer>> referencedBy(String subject, int version) {
        return registry.referencedBy(new RegistryRequests.ReferencedBy(subject, version))
                .map(RegistryRequests.SchemaIds::ids);
    }

    Mono<Integer> register(String subject, SchemaRequest request, boolean normalize) {
        return Mono.defer(() -> registry.register(new RegistryRequests.Register(subject, request.definition(),
                normalize, request.id(), request.version()))).map(RegistryRequests.Registered::id);
    }

    Mono<VersionAnswer> lookup(String subject, SchemaRequest request, boolean normalize, boolean deleted) {
        return Mono.defer(() -> registry.lookup(new RegistryRequests.Lookup(subject, request.definition(), normalize,
                        deleted)))
                .map(found -> VersionAnswer.of(found.subject(), found.version(), found.id(), found.schema()));
    }

    Mono<CompatibilityAnswer> compatibility(String subject, Integer version, SchemaRequest request,
                                            boolean normalize, boolean verbose) {
        return Mono.defer(() -> registry.checkCompatibility(new RegistryRequests.CompatibilityCheck(subject, version,
                        request.definition(), normalize)))
                .map(report -> new CompatibilityAnswer(report.compatible(), verbose ? report.messages() : null));
    }

    Mono<List<Integer>> delete(String subject, Integer version, boolean permanent) {
        return registry.delete(new RegistryRequests.Delete(subject, version, permanent))
                .map(RegistryRequests.Deleted::versions);
    }

    /** {@code subject}'s own level; with {@code defaultToGlobal} the one that applies to it. */
    Mono<CompatibilityLevel> compatibility(String subject, boolean defaultToGlobal) {
        return registry.registryState().flatMap(state -> {
            if (subject == null || defaultToGlobal) {
                return Mono.just(subject == null ? state.compatibility() : state.compatibilityOf(subject));
            }
            CompatibilityLevel own = state.subjectCompatibility().get(subject);
            return own != null ? Mono.just(own) : Mono.error(ErrorCode.SUBJECT_COMPATIBILITY_NOT_CONFIGURED
                    .exception("Subject '" + subject + "' does not have subject-level compatibility configured"));
        });
    }

    Mono<CompatibilityLevel> setCompatibility(String subject, CompatibilityLevel level) {
        return registry.changeCompatibility(new RegistryRequests.CompatibilityChange(subject, level))
                .thenReturn(level);
    }

    /** Removes {@code subject}'s level (null: resets the registry's); answers the one it had. */
    Mono<CompatibilityLevel> deleteCompatibility(String subject) {
        return registry.changeCompatibility(new RegistryRequests.CompatibilityChange(subject, null))
                .map(previous -> previous.level() != null ? previous.level() : CompatibilityLevel.BACKWARD);
    }

    /** {@code subject}'s own mode; with {@code defaultToGlobal} the one that applies to it. */
    Mono<RegistryMode> mode(String subject, boolean defaultToGlobal) {
        return registry.registryState().flatMap(state -> {
            if (subject == null || defaultToGlobal) {
                return Mono.just(subject == null ? state.mode() : state.modeOf(subject));
            }
            RegistryMode own = state.subjectModes().get(subject);
            return own != null ? Mono.just(own) : Mono.error(ErrorCode.SUBJECT_MODE_NOT_CONFIGURED.exception(
                    "Subject '" + subject + "' does not have subject-level mode configured"));
        });
    }

    Mono<RegistryMode> setMode(String subject, RegistryMode mode, boolean force) {
        return registry.changeMode(new RegistryRequests.ModeChange(subject, mode, force)).thenReturn(mode);
    }

    /** Removes {@code subject}'s mode (null: resets the registry's); answers the one it had. */
    Mono<RegistryMode> deleteMode(String subject) {
        return registry.changeMode(new RegistryRequests.ModeChange(subject, null, false))
                .map(previous -> previous.mode() != null ? previous.mode() : RegistryMode.READWRITE);
    }

    /** The subject, if it has a version not soft-deleted (any, with {@code deleted}); SUBJECT_NOT_FOUND otherwise. */
    private Mono<SubjectVersions> subject(String subject, boolean deleted) {
        return registry.registryState().flatMap(state -> Mono.justOrEmpty(live(state, subject, deleted)))
                .switchIfEmpty(Mono.error(() -> subjectNotFound(subject)));
    }

    private static Optional<SubjectVersions> live(RegistryState state, String subject, boolean deleted) {
        return state.subject(subject).filter(s -> !s.versions().isEmpty() && (deleted || !s.softDeleted()));
    }

    private static SluiceException subjectNotFound(String subject) {
        return ErrorCode.SUBJECT_NOT_FOUND.exception("Subject '" + subject + "' not found.");
    }
}

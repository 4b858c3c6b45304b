package io.sluice.coordinator.registry;

import io.sluice.coordinator.lease.CoordinatorLease;
import io.sluice.coordinator.lease.LeaseStatus;
import io.sluice.coordinator.store.RedisKeys;
import io.sluice.internal.SluiceJson;
import io.sluice.internal.registry.RegistryMode;
import io.sluice.internal.registry.RegistryState;
import io.sluice.internal.registry.SchemaDefinition;
import io.sluice.internal.registry.SubjectVersion;
import io.sluice.internal.registry.SubjectVersions;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.schema.CompatibilityLevel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The schema registry in Redis (layout in {@link RedisKeys}): schemas by id, their fingerprints, every subject's
 * versions as one JSON document, and the compatibility levels and modes. Every write is one Lua script that checks
 * the active coordinator's fencing token first; a subject's document is replaced only if it is still the one the
 * caller read (compare and set), so two registrations under one subject cannot both take the same version: the
 * second is answered {@link Outcome#CHANGED} and reads again. Reads go to Redis every time.
 */
@Component
class SchemaStore {

    private static final RedisScript<Long> REGISTER =
            RedisScript.of(new ClassPathResource("redis/registry-register.lua"), Long.class);
    private static final RedisScript<Long> SUBJECT =
            RedisScript.of(new ClassPathResource("redis/registry-subject.lua"), Long.class);
    private static final RedisScript<String> SETTING =
            RedisScript.of(new ClassPathResource("redis/registry-setting.lua"), String.class);
    /** The registry's own entry in the config and mode hashes: no subject is empty. */
    private static final String REGISTRY = "";

    /** A subject as stored: the document as read (for compare and set) and its versions. */
    record StoredSubject(String raw, SubjectVersions versions) {

        static StoredSubject none(String subject) {
            return new StoredSubject("", new SubjectVersions(subject, List.of()));
        }
    }

    /** How a compare-and-set write ended. */
    enum Outcome { WRITTEN, CHANGED, ID_CONFLICT }

    /** A registration's outcome: the schema's id when written. */
    record Registration(Outcome outcome, int id) {
    }

    private record Document(List<SubjectVersion> versions) {
    }

    private final ReactiveStringRedisTemplate redis;
    private final CoordinatorLease lease;
    private final JsonMapper json = SluiceJson.mapper();

    SchemaStore(ReactiveStringRedisTemplate redis, CoordinatorLease lease) {
        this.redis = redis;
        this.lease = lease;
    }

    /** Everything but the schemas' texts; the version is read first, so the rest is at least that new. */
    Mono<RegistryState> state() {
        Mono<Long> version = redis.opsForValue().get(RedisKeys.REGISTRY_VERSION).map(Long::parseLong)
                .defaultIfEmpty(0L);
        return version.flatMap(v -> Mono.zip(
                redis.<String, String>opsForHash().entries(RedisKeys.REGISTRY_SUBJECTS)
                        .map(e -> parse(e.getKey(), e.getValue()).versions())
                        .sort(Comparator.comparing(SubjectVersions::subject)).collectList(),
                settings(RedisKeys.REGISTRY_CONFIG), settings(RedisKeys.REGISTRY_MODE))
                .map(all -> {
                    Map<String, CompatibilityLevel> levels = new HashMap<>();
                    all.getT2().forEach((subject, level) -> levels.put(subject, CompatibilityLevel.valueOf(level)));
                    Map<String, RegistryMode> modes = new HashMap<>();
                    all.getT3().forEach((subject, mode) -> modes.put(subject, RegistryMode.valueOf(mode)));
                    CompatibilityLevel global = levels.remove(REGISTRY);
                    RegistryMode globalMode = modes.remove(REGISTRY);
                    return new RegistryState(v, global == null ? CompatibilityLevel.BACKWARD : global,
                            globalMode == null ? RegistryMode.READWRITE : globalMode, all.getT1(), levels, modes);
                }));
    }

    Mono<StoredSubject> subject(String subject) {
        return redis.<String, String>opsForHash().get(RedisKeys.REGISTRY_SUBJECTS, subject)
                .map(raw -> parse(subject, raw))
                .defaultIfEmpty(StoredSubject.none(subject));
    }

    /** Schema {@code id}, or empty. */
    Mono<SchemaDefinition> schema(int id) {
        return redis.<String, String>opsForHash().get(RedisKeys.REGISTRY_SCHEMAS, Integer.toString(id))
                .map(raw -> json.readValue(raw, SchemaDefinition.class));
    }

    /** Every schema by id. */
    Mono<Map<Integer, SchemaDefinition>> schemas() {
        return redis.<String, String>opsForHash().entries(RedisKeys.REGISTRY_SCHEMAS)
                .collectMap(e -> Integer.parseInt(e.getKey()), e -> json.readValue(e.getValue(),
                        SchemaDefinition.class));
    }

    /** The id of the schema with {@code fingerprint}, or empty. */
    Mono<Integer> idOf(String fingerprint) {
        return redis.<String, String>opsForHash().get(RedisKeys.REGISTRY_FINGERPRINTS, fingerprint)
                .map(Integer::parseInt);
    }

    /**
     * Adds version {@code version} with the schema to {@code subject}, if the subject is still {@code read}: the
     * schema keeps the id its fingerprint has, or takes {@code id} (an IMPORT), or a new one.
     */
    Mono<Registration> register(StoredSubject read, String fingerprint, SchemaDefinition schema, Integer id,
                                int version) {
        return fenced(REGISTER, List.of(RedisKeys.FENCING_TOKEN, RedisKeys.REGISTRY_SUBJECTS,
                        RedisKeys.REGISTRY_SCHEMAS, RedisKeys.REGISTRY_FINGERPRINTS, RedisKeys.REGISTRY_NEXT_ID,
                        RedisKeys.REGISTRY_VERSION),
                List.of(read.versions().subject(), read.raw(), fingerprint, json.writeValueAsString(schema),
                        id == null ? "" : id.toString(), Integer.toString(version)))
                .map(answer -> answer == -2 ? new Registration(Outcome.CHANGED, -1)
                        : answer == -3 ? new Registration(Outcome.ID_CONFLICT, -1)
                        : new Registration(Outcome.WRITTEN, answer.intValue()));
    }

    /** Replaces {@code read}'s versions with {@code versions} (none: removes the subject), if it is still as read. */
    Mono<Outcome> replace(StoredSubject read, List<SubjectVersion> versions) {
        String written = versions.isEmpty() ? "" : json.writeValueAsString(new Document(versions));
        return fenced(SUBJECT, List.of(RedisKeys.FENCING_TOKEN, RedisKeys.REGISTRY_SUBJECTS,
                        RedisKeys.REGISTRY_VERSION, RedisKeys.REGISTRY_CONFIG, RedisKeys.REGISTRY_MODE),
                List.of(read.versions().subject(), read.raw(), written))
                .map(answer -> answer == -2 ? Outcome.CHANGED : Outcome.WRITTEN);
    }

    /** Sets {@code subject}'s level (null: the registry's; null level: removes it); answers the one before, if any. */
    Mono<String> setCompatibility(String subject, CompatibilityLevel level) {
        return setting(RedisKeys.REGISTRY_CONFIG, subject, level == null ? null : level.name());
    }

    /** Sets {@code subject}'s mode (null: the registry's; null mode: removes it); answers the one before, if any. */
    Mono<String> setMode(String subject, RegistryMode mode) {
        return setting(RedisKeys.REGISTRY_MODE, subject, mode == null ? null : mode.name());
    }

    private Mono<String> setting(String hash, String subject, String value) {
        return Mono.defer(() -> redis.execute(SETTING, List.of(RedisKeys.FENCING_TOKEN, hash,
                        RedisKeys.REGISTRY_VERSION),
                        List.of(token(), subject == null ? REGISTRY : subject, value == null ? "" : value)).next())
                .flatMap(answer -> answer.startsWith("F")
                        ? Mono.error(ErrorCode.FENCED_COORDINATOR.exception("Another coordinator holds the lease"))
                        : answer.length() == 1 ? Mono.empty() : Mono.just(answer.substring(1)));
    }

    private Mono<Long> fenced(RedisScript<Long> script, List<String> keys, List<String> change) {
        return Mono.defer(() -> {
            List<String> args = new ArrayList<>();
            args.add(token());
            args.addAll(change);
            return redis.execute(script, keys, args).next();
        }).flatMap(answer -> answer == -1
                ? Mono.error(ErrorCode.FENCED_COORDINATOR.exception("Another coordinator holds the lease"))
                : Mono.just(answer));
    }

    private String token() {
        LeaseStatus status = lease.status();
        if (!status.active()) {
            throw ErrorCode.NOT_ACTIVE_COORDINATOR.exception("This coordinator is not the active one");
        }
        return Long.toString(status.self().fencingToken());
    }

    private Mono<Map<String, String>> settings(String hash) {
        return redis.<String, String>opsForHash().entries(hash).collectMap(Map.Entry::getKey, Map.Entry::getValue);
    }

    private StoredSubject parse(String subject, String raw) {
        Document document = json.readValue(raw, Document.class);
        return new StoredSubject(raw, new SubjectVersions(subject, document.versions()));
    }
}

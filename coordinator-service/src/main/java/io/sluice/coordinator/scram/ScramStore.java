package io.sluice.coordinator.scram;

import io.sluice.coordinator.lease.CoordinatorLease;
import io.sluice.coordinator.lease.LeaseStatus;
import io.sluice.coordinator.store.RedisKeys;
import io.sluice.coordinator.store.VersionedHash;
import io.sluice.internal.SluiceJson;
import io.sluice.internal.scram.ScramChange;
import io.sluice.internal.scram.ScramCredential;
import io.sluice.internal.scram.ScramCredentialId;
import io.sluice.internal.scram.ScramSnapshot;
import io.sluice.protocol.ErrorCode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The cluster's SCRAM credentials in Redis (layout in {@link RedisKeys}): one hash field per user and mechanism, and a
 * version bumped by every change. A change is one Lua script that checks the active coordinator's fencing token first,
 * as ACL and metadata writes do, and refuses the whole change when a credential it deletes does not exist
 * (UNKNOWN_CREDENTIAL), so that nothing of a refused change is written. Reads go to Redis every time (the set is small
 * and gateways and partition services poll it, see docs/security.md).
 */
@Component
class ScramStore {

    private static final RedisScript<Long> SCRAM_WRITE =
            RedisScript.of(new ClassPathResource("redis/scram-write.lua"), Long.class);
    private static final Comparator<ScramCredential> ORDER = Comparator.comparing(c -> c.id().key());

    private final ReactiveStringRedisTemplate redis;
    private final CoordinatorLease lease;
    private final JsonMapper json = SluiceJson.mapper();

    ScramStore(ReactiveStringRedisTemplate redis, CoordinatorLease lease) {
        this.redis = redis;
        this.lease = lease;
    }

    /** Every credential; the version is read first, so the credentials are at least that new. */
    Mono<ScramSnapshot> snapshot() {
        return VersionedHash.read(redis, RedisKeys.SCRAM_VERSION, RedisKeys.SCRAM_CREDENTIALS,
                ScramCredential.class, ORDER, ScramSnapshot::new);
    }

    /** Applies {@code change} whole, or nothing of it; answers the credentials after it. */
    Mono<ScramSnapshot> alter(ScramChange change) {
        return Mono.defer(() -> {
            ScramChange valid = change.validated();
            LeaseStatus status = lease.status();
            if (!status.active()) {
                return Mono.error(ErrorCode.NOT_ACTIVE_COORDINATOR.exception("This coordinator is not the active one"));
            }
            List<String> args = new ArrayList<>();
            args.add(Long.toString(status.self().fencingToken()));
            args.add(Integer.toString(valid.upsertions().size()));
            for (ScramCredential credential : valid.upsertions()) {
                args.add(credential.id().key());
                args.add(json.writeValueAsString(credential));
            }
            valid.deletions().stream().map(ScramCredentialId::key).forEach(args::add);
            return redis.execute(SCRAM_WRITE, List.of(RedisKeys.FENCING_TOKEN, RedisKeys.SCRAM_CREDENTIALS,
                            RedisKeys.SCRAM_VERSION), args)
                    .next()
                    .flatMap(version -> {
                        if (version == -1) {
                            return Mono.error(ErrorCode.FENCED_COORDINATOR.exception(
                                    "Another coordinator holds the lease"));
                        }
                        if (version == -2) {
                            return Mono.error(ErrorCode.UNKNOWN_CREDENTIAL.exception(
                                    "Attempt to delete a user credential that does not exist"));
                        }
                        return snapshot();
                    });
        });
    }
}

package io.sluice.coordinator.acl;

import io.sluice.coordinator.lease.CoordinatorLease;
import io.sluice.coordinator.lease.LeaseStatus;
import io.sluice.coordinator.store.RedisKeys;
import io.sluice.coordinator.store.VersionedHash;
import io.sluice.internal.SluiceJson;
import io.sluice.internal.acl.AclBinding;
import io.sluice.internal.acl.AclBindingFilter;
import io.sluice.internal.acl.AclSnapshot;
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
 * The cluster's ACLs in Redis (layout in {@link RedisKeys}): one hash field per binding, keyed by the binding itself so
 * that creating one twice stores it once, and a version bumped by every change. Writes are one Lua script that checks
 * the active coordinator's fencing token first, as metadata and group writes do; reads go to Redis every time (the set
 * is small and gateways poll it, see docs/security.md).
 */
@Component
class AclStore {

    private static final RedisScript<Long> ACL_WRITE =
            RedisScript.of(new ClassPathResource("redis/acl-write.lua"), Long.class);
    private static final Comparator<AclBinding> ORDER = Comparator.comparing(AclBinding::key);

    private final ReactiveStringRedisTemplate redis;
    private final CoordinatorLease lease;
    private final JsonMapper json = SluiceJson.mapper();

    AclStore(ReactiveStringRedisTemplate redis, CoordinatorLease lease) {
        this.redis = redis;
        this.lease = lease;
    }

    /** Every ACL; the version is read first, so the bindings are at least that new. */
    Mono<AclSnapshot> snapshot() {
        return VersionedHash.read(redis, RedisKeys.ACL_VERSION, RedisKeys.ACLS, AclBinding.class, ORDER,
                AclSnapshot::new);
    }

    Mono<AclBinding> create(AclBinding acl) {
        AclBinding valid = acl.validated();
        return write(List.of("put", valid.key(), json.writeValueAsString(valid))).thenReturn(valid);
    }

    Mono<List<AclBinding>> delete(AclBindingFilter filter) {
        return snapshot().flatMap(snapshot -> {
            List<AclBinding> matched = snapshot.acls().stream().filter(filter::matches).toList();
            if (matched.isEmpty()) {
                return Mono.just(matched);
            }
            List<String> args = new ArrayList<>();
            args.add("delete");
            matched.forEach(acl -> args.add(acl.key()));
            return write(args).thenReturn(matched);
        });
    }

    private Mono<Long> write(List<String> change) {
        LeaseStatus status = lease.status();
        if (!status.active()) {
            return Mono.error(ErrorCode.NOT_ACTIVE_COORDINATOR.exception("This coordinator is not the active one"));
        }
        List<String> args = new ArrayList<>();
        args.add(Long.toString(status.self().fencingToken()));
        args.addAll(change);
        return redis.execute(ACL_WRITE, List.of(RedisKeys.FENCING_TOKEN, RedisKeys.ACLS, RedisKeys.ACL_VERSION), args)
                .next()
                .flatMap(version -> version < 0
                        ? Mono.error(ErrorCode.FENCED_COORDINATOR.exception("Another coordinator holds the lease"))
                        : Mono.just(version));
    }
}

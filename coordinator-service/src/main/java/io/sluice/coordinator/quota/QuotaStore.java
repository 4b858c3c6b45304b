package io.sluice.coordinator.quota;

import io.sluice.coordinator.lease.CoordinatorLease;
import io.sluice.coordinator.lease.LeaseStatus;
import io.sluice.coordinator.store.RedisKeys;
import io.sluice.coordinator.store.VersionedHash;
import io.sluice.internal.SluiceJson;
import io.sluice.internal.quota.QuotaAlteration;
import io.sluice.internal.quota.QuotaEntity;
import io.sluice.internal.quota.QuotaEntry;
import io.sluice.internal.quota.QuotaSnapshot;
import io.sluice.protocol.ErrorCode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The cluster's client quotas in Redis (layout in {@link RedisKeys}): one hash field per entity, keyed by the entity's
 * JSON, and a version bumped by every change. An alteration changes some keys of an entity and keeps the others, so
 * it is a read, a change and a write that succeeds only if the version read is still the current one (a script that
 * checks the active coordinator's fencing token too); a write that lost the race reads again.
 */
@Component
class QuotaStore {

    private static final RedisScript<Long> QUOTA_WRITE =
            RedisScript.of(new ClassPathResource("redis/quota-write.lua"), Long.class);
    private static final Comparator<QuotaEntry> ORDER = Comparator.comparing(entry -> entry.entity().toString());

    private final ReactiveStringRedisTemplate redis;
    private final CoordinatorLease lease;
    private final JsonMapper json = SluiceJson.mapper();

    QuotaStore(ReactiveStringRedisTemplate redis, CoordinatorLease lease) {
        this.redis = redis;
        this.lease = lease;
    }

    /** Every quota; the version is read first, so the entries are at least that new. */
    Mono<QuotaSnapshot> snapshot() {
        return VersionedHash.read(redis, RedisKeys.QUOTA_VERSION, RedisKeys.QUOTAS, QuotaEntry.class, ORDER,
                QuotaSnapshot::new);
    }

    Mono<QuotaSnapshot> alter(List<QuotaAlteration> alterations) {
        alterations.forEach(QuotaAlteration::validated);
        return VersionedHash.retryingRaces(snapshot().flatMap(read -> write(read, alterations)), "The client quotas")
                .then(snapshot());
    }

    private Mono<Long> write(QuotaSnapshot read, List<QuotaAlteration> alterations) {
        LeaseStatus status = lease.status();
        if (!status.active()) {
            return Mono.error(ErrorCode.NOT_ACTIVE_COORDINATOR.exception("This coordinator is not the active one"));
        }
        Map<QuotaEntity, Map<String, Double>> rates = new HashMap<>();
        read.entries().forEach(entry -> rates.put(entry.entity(), entry.rates()));
        alterations.forEach(alteration -> alteration.applyTo(rates));
        List<String> args = new ArrayList<>();
        args.add(Long.toString(status.self().fencingToken()));
        args.add(Long.toString(read.version()));
        new LinkedHashSet<>(alterations.stream().map(QuotaAlteration::entity).toList()).forEach(entity -> {
            Map<String, Double> after = rates.get(entity);
            args.add(json.writeValueAsString(entity));
            args.add(after == null ? "" : json.writeValueAsString(new QuotaEntry(entity, after)));
        });
        return VersionedHash.write(redis, QUOTA_WRITE, List.of(RedisKeys.FENCING_TOKEN, RedisKeys.QUOTAS,
                RedisKeys.QUOTA_VERSION), args);
    }
}

package io.sluice.coordinator.brokerconfig;

import io.sluice.coordinator.lease.CoordinatorLease;
import io.sluice.coordinator.lease.LeaseStatus;
import io.sluice.coordinator.store.RedisKeys;
import io.sluice.coordinator.store.VersionedHash;
import io.sluice.internal.brokerconfig.BrokerConfigChange;
import io.sluice.internal.brokerconfig.BrokerConfigSnapshot;
import io.sluice.protocol.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The cluster-wide broker configs in Redis (layout in {@link RedisKeys}): one hash, config name → canonical value,
 * only the configs set, beside a version that every change bumps. A change sets some configs and keeps the others, so
 * it is a read, a change and a write of the whole hash that succeeds only if the version read is still the current
 * one (a script that checks the active coordinator's fencing token too); a write that lost the race reads again.
 * Every read goes to Redis: gateways read the configs when they use them (a topic's creation, a describe), rarely.
 */
@Component
class BrokerConfigStore {

    private static final RedisScript<Long> CONFIG_WRITE =
            RedisScript.of(new ClassPathResource("redis/broker-config-write.lua"), Long.class);

    private final ReactiveStringRedisTemplate redis;
    private final CoordinatorLease lease;

    BrokerConfigStore(ReactiveStringRedisTemplate redis, CoordinatorLease lease) {
        this.redis = redis;
        this.lease = lease;
    }

    /** The configs set; the version is read first, so the values are at least that new. */
    Mono<BrokerConfigSnapshot> snapshot() {
        return redis.opsForValue().get(RedisKeys.BROKER_CONFIG_VERSION).map(Long::parseLong).defaultIfEmpty(0L)
                .flatMap(version -> redis.<String, String>opsForHash().entries(RedisKeys.BROKER_CONFIGS)
                        .collectMap(Map.Entry::getKey, Map.Entry::getValue, TreeMap::new)
                        .map(values -> BrokerConfigSnapshot.of(version, values)));
    }

    /**
     * Applies {@code change} (validated against the configs read, all or nothing); answers the configs after it, or
     * with validate-only what they would be, nothing written.
     */
    Mono<BrokerConfigSnapshot> alter(BrokerConfigChange change) {
        return VersionedHash.retryingRaces(snapshot().flatMap(read -> {
            SortedMap<String, String> after = change.applyTo(read.values());
            if (change.validateOnly()) {
                return Mono.just(new BrokerConfigSnapshot(read.version(), after));
            }
            return write(read.version(), after).map(version -> new BrokerConfigSnapshot(version, after));
        }), "The broker configs");
    }

    private Mono<Long> write(long versionRead, SortedMap<String, String> values) {
        LeaseStatus status = lease.status();
        if (!status.active()) {
            return Mono.error(ErrorCode.NOT_ACTIVE_COORDINATOR.exception("This coordinator is not the active one"));
        }
        List<String> args = new ArrayList<>();
        args.add(Long.toString(status.self().fencingToken()));
        args.add(Long.toString(versionRead));
        values.forEach((name, value) -> {
            args.add(name);
            args.add(value);
        });
        return VersionedHash.write(redis, CONFIG_WRITE, List.of(RedisKeys.FENCING_TOKEN, RedisKeys.BROKER_CONFIGS,
                RedisKeys.BROKER_CONFIG_VERSION), args);
    }
}

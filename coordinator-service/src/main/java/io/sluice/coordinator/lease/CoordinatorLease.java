package io.sluice.coordinator.lease;

import io.sluice.coordinator.CoordinatorProperties;
import io.sluice.coordinator.store.RedisKeys;
import io.sluice.internal.metadata.CoordinatorInfo;
import io.sluice.protocol.ErrorCode;
import java.time.Duration;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The active-coordinator lease: a Redis key set with {@code SET NX PX} and renewed by its holder, plus a fencing
 * token that grows every time the lease changes hands and accompanies every metadata write (checked in Redis).
 *
 * <p>The holder steps down as soon as a renewal finds the lease or the token taken, and also when it has not
 * renewed successfully for a whole ttl (Redis unreachable): by then a standby may hold the lease, so continuing
 * would risk two writers. Standbys try to take the lease on every tick and otherwise track who holds it so they
 * can redirect callers.
 *
 * <p>The lease this instance holds ends, as far as it may assume, a ttl after it <em>sent</em> the acquisition or
 * renewal that last succeeded: Redis starts the ttl when it runs the script, which is after the send and before the
 * answer, so counting from the answer (which a slow link delays by any amount) would outlive the key in Redis, and a
 * standby could take the lease while this instance still acts as active. From that moment {@link #status()} says
 * standby, even while the round that will step down formally is still waiting on a Redis that does not answer.
 *
 * <p>{@link #tick()} is driven by one caller at a time (the coordinator's timer); {@link #status()} may be read from
 * any thread. The lease knows nothing of the metadata it guards: it reports each round's {@link Transition}, and the
 * caller loads or drops the metadata.
 */
@Component
public class CoordinatorLease {

    private static final Logger LOG = LoggerFactory.getLogger(CoordinatorLease.class);
    private static final RedisScript<Long> ACQUIRE = RedisScript.of(new ClassPathResource("redis/lease-acquire.lua"), Long.class);
    private static final RedisScript<Long> RENEW = RedisScript.of(new ClassPathResource("redis/lease-renew.lua"), Long.class);
    private static final RedisScript<Long> RELEASE = RedisScript.of(new ClassPathResource("redis/lease-release.lua"), Long.class);

    private final ReactiveStringRedisTemplate redis;
    private final CoordinatorProperties properties;
    private final Clock clock;
    private volatile LeaseStatus status;
    /** When the lease may expire in Redis at the earliest: a ttl after the last successful round was sent. */
    private volatile Instant leaseEnd = Instant.MIN;
    /** Whether the last acquisition round failed (its failure was logged; the next ones are not, until one works). */
    private volatile boolean acquireFailing;

    CoordinatorLease(ReactiveStringRedisTemplate redis, CoordinatorProperties properties, Clock clock) {
        this.redis = redis;
        this.properties = properties;
        this.clock = clock;
        this.status = LeaseStatus.standby(null);
    }

    /** This instance's view of the lease: never active once the lease may have expired in Redis. */
    public LeaseStatus status() {
        LeaseStatus current = status;
        if (current.active() && !clock.instant().isBefore(leaseEnd)) {
            return LeaseStatus.standby(null);
        }
        return current;
    }

    /**
     * The fencing token to write under.
     *
     * @throws io.sluice.protocol.SluiceException NOT_ACTIVE_COORDINATOR when this instance is not (or may no longer be)
     *                                            the active one
     */
    public long fencingToken() {
        LeaseStatus current = status();
        if (!current.active()) {
            throw ErrorCode.NOT_ACTIVE_COORDINATOR.exception("This coordinator is not the active one");
        }
        return current.self().fencingToken();
    }

    public String instanceId() {
        return properties.instanceId();
    }

    /**
     * One round: renew if active, else try to acquire and learn who is active. Emits the transition, if any, so
     * the caller can load or drop the in-memory metadata before the next round.
     */
    public Mono<Transition> tick() {
        return status.active() ? renew() : acquire();
    }

    private Mono<Transition> renew() {
        long ttl = properties.lease().ttl().toMillis();
        long token = status.self().fencingToken();
        Instant attempt = clock.instant();
        return redis.execute(RENEW, List.of(RedisKeys.LEASE, RedisKeys.FENCING_TOKEN),
                        List.of(properties.instanceId(), Long.toString(ttl), Long.toString(token)))
                .single()
                // A command that hangs must not hold the round (and every round after it) up: once the lease may
                // have expired it is a failure like any other, and the round steps down.
                .timeout(untilLeaseEnd(attempt))
                .map(renewed -> {
                    if (renewed == 1) {
                        leaseEnd = attempt.plus(properties.lease().ttl());
                        return Transition.NONE;
                    }
                    LOG.warn("Lost the coordinator lease (token {}): another coordinator took over; stepping down", token);
                    return stepDown();
                })
                .onErrorResume(e -> {
                    if (!clock.instant().isBefore(leaseEnd)) {
                        LOG.warn("Could not renew the coordinator lease for {}: stepping down ({})",
                                properties.lease().ttl(), e.toString());
                        return Mono.just(stepDown());
                    }
                    return Mono.just(Transition.NONE);
                });
    }

    /** From {@code now} to the end of the lease held, at least a millisecond and at most a ttl. */
    private Duration untilLeaseEnd(Instant now) {
        Duration left = Duration.between(now, leaseEnd);
        Duration ttl = properties.lease().ttl();
        return left.compareTo(Duration.ofMillis(1)) < 0 ? Duration.ofMillis(1) : left.compareTo(ttl) > 0 ? ttl : left;
    }

    private Mono<Transition> acquire() {
        long ttl = properties.lease().ttl().toMillis();
        Instant attempt = clock.instant();
        return redis.execute(ACQUIRE, List.of(RedisKeys.LEASE, RedisKeys.FENCING_TOKEN, RedisKeys.ACTIVE),
                        List.of(properties.instanceId(), Long.toString(ttl), properties.advertisedUrl().toString()))
                .single()
                .flatMap(token -> {
                    if (token > 0) {
                        leaseEnd = attempt.plus(properties.lease().ttl());
                        CoordinatorInfo self = new CoordinatorInfo(properties.instanceId(),
                                properties.advertisedUrl().toString(), token);
                        status = LeaseStatus.active(self);
                        LOG.info("Became the active coordinator with fencing token {}", token);
                        return Mono.just(Transition.ACTIVATED);
                    }
                    return readActive().map(active -> {
                        status = LeaseStatus.standby(active);
                        return Transition.NONE;
                    });
                })
                .timeout(properties.lease().ttl())
                .doOnSuccess(transition -> {
                    if (acquireFailing) {
                        acquireFailing = false;
                        LOG.info("Lease rounds work again");
                    }
                })
                .onErrorResume(e -> {
                    if (!acquireFailing) {
                        acquireFailing = true;
                        LOG.warn("A lease round failed; trying again every {} ({})",
                                properties.lease().renewInterval(), e.toString());
                    }
                    return Mono.just(Transition.NONE);
                });
    }

    private Mono<CoordinatorInfo> readActive() {
        return redis.<String, String>opsForHash().entries(RedisKeys.ACTIVE)
                .collectMap(Map.Entry::getKey, Map.Entry::getValue)
                .map(fields -> fields.containsKey("url")
                        ? new CoordinatorInfo(fields.get("instance_id"), fields.get("url"),
                                Long.parseLong(fields.getOrDefault("fencing_token", "0")))
                        : null);
    }

    /** Gives the lease up (orderly shutdown) so a standby need not wait for it to expire. */
    public Mono<Void> release() {
        if (!status.active()) {
            return Mono.empty();
        }
        stepDown();
        return redis.execute(RELEASE, List.of(RedisKeys.LEASE), List.of(properties.instanceId()))
                .then()
                .onErrorResume(e -> Mono.empty());
    }

    /** Called when a write came back fenced: someone else holds the lease now. */
    public Transition fenced() {
        return status.active() ? stepDown() : Transition.NONE;
    }

    private Transition stepDown() {
        status = LeaseStatus.standby(null);
        return Transition.DEACTIVATED;
    }

    public enum Transition { NONE, ACTIVATED, DEACTIVATED }
}

package io.sluice.coordinator.share;

import io.sluice.coordinator.group.ClassicGroups;
import io.sluice.coordinator.group.GroupManager;
import io.sluice.coordinator.group.ShareGroupIds;
import io.sluice.coordinator.groupconfig.GroupConfigs;
import io.sluice.coordinator.lease.CoordinatorLease;
import io.sluice.coordinator.metadata.MetadataManager;
import io.sluice.internal.group.GroupIds;
import io.sluice.internal.metadata.MetadataView;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.internal.share.ShareGroupMembers;
import io.sluice.internal.share.ShareHeartbeatRequest;
import io.sluice.internal.share.ShareHeartbeatResponse;
import io.sluice.protocol.ErrorCode;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Share group membership on the active coordinator ({@link ShareMembers}' rules): heartbeats, and a sweep every
 * {@link #SWEEP} that expires silent members. A departed member's held records are released at once
 * ({@link ShareGroupService#releaseHeldBy}, in the share-partitions' command sequence) before the heartbeat that made
 * it leave is answered; a release after an expiry runs in the sweep.
 *
 * <p>Group ids are one namespace, as in Kafka: a join to an id that a consumer group has (members of either protocol,
 * or committed offsets) is UNKNOWN_GROUP (Kafka's GROUP_ID_NOT_FOUND, "not a share group").
 *
 * <p>Members are in memory only (see {@link ShareMembers} for why). They belong to one term of the lease: a heartbeat
 * or sweep under another fencing token than the members were made under starts from no member, so a coordinator that
 * lost the lease and took it again does not answer from members the other one may have changed meanwhile.
 *
 * <p>Thread-safe: the members are changed under this object's lock, never across a Redis call.
 */
@Component
class ShareMembership implements SmartLifecycle, ShareGroupIds {

    private static final Logger LOG = LoggerFactory.getLogger(ShareMembership.class);

    /** How often silent members are looked for. */
    static final Duration SWEEP = Duration.ofSeconds(1);

    private final ShareMembers members = new ShareMembers();
    private final ShareGroupService shares;
    private final GroupConfigs configs;
    private final MetadataManager metadata;
    private final CoordinatorLease lease;
    private final Clock clock;
    private final GroupManager consumerGroups;
    private final ClassicGroups classicGroups;
    private final Scheduler timer = Schedulers.newSingle("share-membership", true);
    private long term = -1;
    private Disposable sweeps;

    ShareMembership(ShareGroupService shares, GroupConfigs configs, MetadataManager metadata,
                    CoordinatorLease lease, Clock clock, GroupManager consumerGroups, ClassicGroups classicGroups) {
        this.shares = shares;
        this.configs = configs;
        this.consumerGroups = consumerGroups;
        this.classicGroups = classicGroups;
        this.metadata = metadata;
        this.lease = lease;
        this.clock = clock;
    }

    /** A heartbeat under the group's session timeout and heartbeat interval ({@link GroupConfigs}). */
    Mono<ShareHeartbeatResponse> heartbeat(ShareHeartbeatRequest request) {
        // An invalid group id is refused by the rules, with the heartbeat's other faults; its timeouts do not matter.
        return Mono.defer(() -> GroupIds.isValid(request.groupId())
                        ? configs.config(request.groupId()).map(ShareGroupConfig::of)
                        : Mono.just(ShareGroupConfig.of("", Map.of(), configs.properties())))
                .flatMap(config -> heartbeat(request, new ShareMembers.Timeouts(config.sessionTimeout().toMillis(),
                        config.heartbeatInterval().toMillis())));
    }

    private Mono<ShareHeartbeatResponse> heartbeat(ShareHeartbeatRequest request, ShareMembers.Timeouts timeouts) {
        return Mono.defer(() -> {
            if (!metadata.isReady()) {
                return Mono.error(ErrorCode.NOT_ACTIVE_COORDINATOR.exception("The coordinator has not loaded the"
                        + " metadata yet"));
            }
            if (request.memberEpoch() == ShareHeartbeatRequest.JOIN && request.groupId() != null
                    && (consumerGroups.hasGroup(request.groupId()) || classicGroups.hasMembers(request.groupId()))) {
                // As Kafka: one namespace of group ids; a consumer group's id is no share group's.
                return Mono.error(ErrorCode.UNKNOWN_GROUP.exception("Group " + request.groupId()
                        + " is not a share group: it is a consumer group"));
            }
            MetadataView view = metadata.view();
            ShareMembers.Outcome outcome;
            synchronized (this) {
                inTerm(lease.fencingToken());
                outcome = members.heartbeat(request, topic -> view.topic(topic)
                        .map(TopicMetadata::partitions).map(List::size).orElse(null), clock.millis(), timeouts);
            }
            return release(outcome.departures()).thenReturn(outcome.response());
        });
    }

    /** The group's members now, for describing it. */
    Mono<ShareGroupMembers> describe(String groupId) {
        return Mono.fromCallable(() -> {
            GroupIds.validate(groupId);
            synchronized (this) {
                inTerm(lease.fencingToken());
                return members.describe(groupId);
            }
        });
    }

    /** A share group's id: one with members now, or with share-partitions stored (HTTP workers make those). */
    @Override
    public Mono<Boolean> isShareGroup(String groupId) {
        return describe(groupId).flatMap(group -> group.members().isEmpty() ? shares.exists(groupId)
                : Mono.just(true));
    }

    /** The ids of the share groups with members now, in id order: with or without share-partitions stored. */
    Mono<List<String>> groupsWithMembers() {
        return Mono.fromCallable(() -> {
            synchronized (this) {
                inTerm(lease.fencingToken());
                return members.groupIds();
            }
        });
    }

    /**
     * Refuses an id that a consumer group has (members of either protocol, or committed offsets) with UNKNOWN_GROUP
     * (Kafka's GROUP_ID_NOT_FOUND, "not a share group"): one namespace of group ids.
     */
    Mono<Void> requireNotConsumerGroup(String groupId) {
        return Mono.fromRunnable(() -> {
            if (groupId != null && (consumerGroups.hasGroup(groupId) || classicGroups.hasMembers(groupId))) {
                throw ErrorCode.UNKNOWN_GROUP.exception("Group " + groupId + " is not a share group: it is a"
                        + " consumer group");
            }
        });
    }

    private void inTerm(long token) {
        if (token != term) {
            members.clear();
            term = token;
        }
    }

    private Mono<Void> sweep() {
        if (!lease.status().active()) {
            synchronized (this) {
                members.clear();
                term = -1;
            }
            return Mono.empty();
        }
        List<ShareMembers.Departure> departures;
        synchronized (this) {
            inTerm(lease.fencingToken());
            departures = members.expire(clock.millis());
        }
        departures.forEach(d -> LOG.info("Member {} of share group {} sent no heartbeat within its session timeout"
                + " (share.session.timeout.ms): it is removed and its records are released", d.memberId(),
                d.groupId()));
        return release(departures);
    }

    private Mono<Void> release(List<ShareMembers.Departure> departures) {
        return Flux.fromIterable(departures)
                .concatMap(d -> shares.releaseHeldBy(d.groupId(), d.memberId())
                        .onErrorResume(e -> {
                            // The locks still end at their deadlines: the records come back then.
                            LOG.warn("Could not release the records of member {} of share group {} ({}): they are"
                                    + " delivered again when their locks expire", d.memberId(), d.groupId(),
                                    e.toString());
                            return Mono.just(0);
                        }))
                .then();
    }

    @Override
    public synchronized void start() {
        sweeps = Flux.interval(SWEEP, SWEEP, timer)
                .onBackpressureDrop()
                .concatMap(tick -> Mono.defer(this::sweep).onErrorResume(e -> {
                    LOG.warn("Share group member sweep failed: {}", e.toString());
                    return Mono.empty();
                }), 1)
                .subscribe();
    }

    @Override
    public synchronized void stop() {
        if (sweeps != null) {
            sweeps.dispose();
            sweeps = null;
        }
        timer.dispose();
    }

    @Override
    public synchronized boolean isRunning() {
        return sweeps != null;
    }
}

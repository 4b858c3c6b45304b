package io.sluice.coordinator.failover;

import io.sluice.coordinator.CoordinatorProperties;
import io.sluice.coordinator.balance.Balancer;
import io.sluice.coordinator.group.ClassicGroups;
import io.sluice.coordinator.group.GroupManager;
import io.sluice.coordinator.lease.CoordinatorLease;
import io.sluice.coordinator.metadata.MetadataManager;
import io.sluice.coordinator.node.NodeService;
import io.sluice.coordinator.partition.PartitionStateService;
import io.sluice.coordinator.reassign.ReassignmentService;
import io.sluice.coordinator.txn.TransactionManager;
import io.sluice.protocol.ErrorCode;
import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The coordinator's clockwork, started with the application and stopped before it: lease rounds (and the load or
 * drop of metadata and consumer groups they imply), session expiry of silent nodes and group members, periodic
 * preferred-leader election, the periodic (and on-activation) round that advances partition moves, and the
 * balancer's rounds. Each loop
 * runs one round at a time on a single timer thread; the work itself is non-blocking.
 *
 * <p>It sits above the lease, the metadata, the groups and the node and partition services because it drives all of
 * them; none
 * of them knows it exists (the lease only says which {@link CoordinatorLease.Transition} a round made).
 */
@Component
class LeaseKeeper implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(LeaseKeeper.class);

    /**
     * The longest a round may take. Rounds run one at a time, so one that never ended would stop its loop for good
     * (a standby that never takes the lease); Redis commands time out on their own long before this.
     */
    static final Duration ROUND_LIMIT = Duration.ofSeconds(30);

    private final CoordinatorLease lease;
    private final MetadataManager metadata;
    private final NodeService nodes;
    private final PartitionStateService partitions;
    private final GroupManager groups;
    private final ClassicGroups classic;
    private final TransactionManager transactions;
    private final ReassignmentService reassignments;
    private final Balancer balancer;
    private final CoordinatorProperties properties;
    private final Scheduler timer = Schedulers.newSingle("coordinator-timer", true);
    private Disposable.Composite loops;

    LeaseKeeper(CoordinatorLease lease, MetadataManager metadata, NodeService nodes, PartitionStateService partitions,
                GroupManager groups, ClassicGroups classic, TransactionManager transactions,
                ReassignmentService reassignments, Balancer balancer, CoordinatorProperties properties) {
        this.reassignments = reassignments;
        this.balancer = balancer;
        this.lease = lease;
        this.metadata = metadata;
        this.nodes = nodes;
        this.partitions = partitions;
        this.groups = groups;
        this.properties = properties;
        this.classic = classic;
        this.transactions = transactions;
    }

    @Override
    public synchronized void start() {
        loops = Disposables.composite();
        loops.add(every(properties.lease().renewInterval(), this::leaseRound));
        loops.add(every(properties.election().livenessCheckInterval(), nodes::expireSessions));
        // Moves advance behind every change that lets them; this round (and the one on activation) takes the steps
        // whose trigger was lost, e.g. with a coordinator that failed between an ISR change and the step it allowed.
        loops.add(every(properties.election().livenessCheckInterval(), reassignments::advance));
        // The balancer plans every interval, and at once when a node joins or a move ends (its watch notices).
        loops.add(every(properties.balancer().interval(), balancer::round));
        loops.add(every(properties.election().livenessCheckInterval(), balancer::watch));
        loops.add(every(properties.groups().sessionCheckInterval(), groups::sweep));
        loops.add(every(properties.groups().sessionCheckInterval(), () -> Mono.fromRunnable(classic::sweep)));
        loops.add(every(properties.transactions().abortCheckInterval(), transactions::abortExpired));
        loops.add(every(properties.transactions().idExpirationCheckInterval(), transactions::removeExpiredIds));
        Duration preferred = properties.election().preferredLeaderCheckInterval();
        if (!preferred.isZero()) {
            loops.add(every(preferred, () -> metadata.isReady()
                    ? partitions.electPreferredLeaders(null).then() : Mono.empty()));
        }
    }

    private Mono<Void> leaseRound() {
        return lease.tick().flatMap(transition -> switch (transition) {
            // The lease may already have run out if taking it took a whole ttl: then loading fails and gives it up.
            case ACTIVATED -> Mono.fromCallable(() -> lease.status().active() ? lease.status().self() : null)
                    .switchIfEmpty(Mono.error(() -> ErrorCode.NOT_ACTIVE_COORDINATOR.exception(
                            "The lease ran out while it was being taken")))
                    .doOnNext(self -> nodes.restartSessions())
                    .flatMap(metadata::activate)
                    .then(groups.activate())
                    .then(transactions.activate())
                    .timeout(ROUND_LIMIT)
                    .doOnSuccess(v -> reassignments.advanceLater())
                    .onErrorResume(e -> {
                        LOG.error("Could not load metadata, groups and transactions after taking the lease; giving it"
                                + " up", e);
                        deactivate();
                        return lease.release();
                    });
            case DEACTIVATED -> Mono.fromRunnable(this::deactivate);
            case NONE -> Mono.empty();
        });
    }

    private void deactivate() {
        nodes.stopSessions();
        metadata.deactivate();
        groups.deactivate();
        transactions.deactivate();
    }

    private Disposable every(Duration interval, Supplier<Mono<Void>> round) {
        return every(interval, ROUND_LIMIT.multipliedBy(2), timer, round);
    }

    /**
     * Runs {@code round} every {@code interval} on {@code timer}, one at a time: a tick while a round runs is
     * dropped, a failed round is logged, and a round that has not ended after {@code limit} is cancelled as failed.
     */
    static Disposable every(Duration interval, Duration limit, Scheduler timer, Supplier<Mono<Void>> round) {
        return Flux.interval(Duration.ZERO, interval, timer)
                .onBackpressureDrop()
                .concatMap(tick -> round.get().timeout(limit, timer).onErrorResume(e -> {
                    LOG.warn("Coordinator housekeeping round failed: {}", e.toString());
                    return Mono.empty();
                }), 1)
                .subscribe();
    }

    @Override
    public void stop() {
        throw new UnsupportedOperationException("stopped asynchronously through stop(Runnable)");
    }

    /** Stops the loops and gives the lease up, so that a standby takes over at once rather than after the ttl. */
    @Override
    public synchronized void stop(Runnable callback) {
        if (loops != null) {
            loops.dispose();
            loops = null;
        }
        deactivate();
        lease.release()
                .timeout(Duration.ofSeconds(2))
                .onErrorResume(e -> Mono.empty())
                .doFinally(signal -> callback.run())
                .subscribe();
    }

    @Override
    public synchronized boolean isRunning() {
        return loops != null;
    }
}

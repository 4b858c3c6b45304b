package io.sluice.coordinator.balance;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.coordinator.CoordinatorProperties;
import io.sluice.coordinator.balance.MovePlanner.Limits;
import io.sluice.coordinator.balance.MovePlanner.Move;
import io.sluice.coordinator.balance.MovePlanner.Reason;
import io.sluice.coordinator.balance.MovePlanner.Role;
import io.sluice.coordinator.metadata.MetadataManager;
import io.sluice.coordinator.metadata.Mutation;
import io.sluice.coordinator.partition.PartitionChanges;
import io.sluice.coordinator.reassign.ReassignmentService;
import io.sluice.coordinator.store.MetadataChange;
import io.sluice.internal.coordinator.AlterReassignmentsRequest;
import io.sluice.internal.coordinator.ReassignmentProposal;
import io.sluice.internal.metadata.Elections;
import io.sluice.internal.metadata.MetadataView;
import io.sluice.internal.metadata.NodeInfo;
import io.sluice.internal.metadata.NodeStatus;
import io.sluice.internal.metadata.PartitionState;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.TopicPartition;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntPredicate;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The active coordinator's balancer: it plans with the {@link MovePlanner} and starts the moves through the
 * {@link ReassignmentService}, planning in the metadata command sequence on the latest metadata, so a move under way
 * (a user's above all) is never counted twice, and replaced only where it goes to a node being left (see
 * {@link MovePlanner}: a move to a node lost for good could never complete).
 *
 * <p>Nodes being decommissioned are drained always: their leaderships first, at once, then their replicas. With
 * {@code balancer.enabled} (the default) it also recreates the replicas of nodes dead for longer than
 * {@code balancer.repair-after}, spreads replicas over racks, and balances replica counts, bytes (the sizes the nodes
 * report, {@link PartitionSizes}) and preferred leaders. At most {@code balancer.max-concurrent-moves} partitions move
 * at once, moves started by users included.
 *
 * <p>When each node died is stored with its record ({@link NodeInfo#deadSinceMs}), so a coordinator that takes over
 * counts from the death, not from its own start. For a record stored before death times were, the first
 * {@link #watch} of this coordinator that saw the node dead stands in, which can only delay a repair, never hasten
 * it.
 *
 * <p>{@link #round} plans and starts moves; the failover clock calls it every {@code balancer.interval}.
 * {@link #watch} is cheap and runs every liveness check: it notes deaths and runs a round at once when a node joins,
 * a node is decommissioned, a move ends (a slot is free) or a node's repair delay passes. Both are called one at a
 * time from the coordinator's timer thread; the metrics and the death times are thread-safe.
 */
@Component
public class Balancer {

    private static final Logger LOG = LoggerFactory.getLogger(Balancer.class);

    private final MetadataManager metadata;
    private final ReassignmentService reassignments;
    private final PartitionSizes sizes;
    private final CoordinatorProperties.Balancer settings;
    private final Clock clock;
    private final Map<Reason, Counter> started = new EnumMap<>(Reason.class);
    private final Map<Integer, Instant> deadSince = new ConcurrentHashMap<>();
    /** What the last {@link #watch} saw; null before the first one of this activation. */
    private volatile Seen seen;

    Balancer(MetadataManager metadata, ReassignmentService reassignments, PartitionSizes sizes,
             CoordinatorProperties properties, Clock clock, MeterRegistry meters) {
        this.metadata = metadata;
        this.reassignments = reassignments;
        this.sizes = sizes;
        this.settings = properties.balancer();
        this.clock = clock;
        for (Reason reason : Reason.values()) {
            started.put(reason, Counter.builder("sluice.coordinator.balancer.moves.started")
                    .description("Partition moves the balancer started, by why: drain (a decommissioned node), repair "
                            + "(a node lost for good), rack, replicas, bytes or leaders (balance)")
                    .tag("reason", reason.name().toLowerCase(Locale.ROOT))
                    .register(meters));
        }
    }

    /**
     * Hands the leaderships of nodes being decommissioned to other replicas, asks the live nodes how large their
     * replicas are (when balancing), then plans and starts what the planner proposes now; nothing while this
     * coordinator is not active.
     */
    public Mono<Void> round() {
        // Deferred: a caller that chains a round after a change (a decommission's mark) must have the round see it.
        return Mono.defer(() -> {
            if (!metadata.isReady()) {
                return Mono.empty();
            }
            AtomicReference<List<Move>> planned = new AtomicReference<>(List.of());
            Mono<?> sized = settings.enabled() ? sizes.refresh(metadata.view()) : Mono.empty();
            return handOffLeaderships().then(sized).then(Mono.defer(() -> reassignments.startMoves(view -> {
                List<Move> moves = plan(view);
                planned.set(moves);
                return moves.stream().map(m -> new ReassignmentService.PlannedMove(new AlterReassignmentsRequest.Target(
                        m.partition().topic(), m.partition().partition(), m.to()), m.redirect())).toList();
            }).doOnNext(targets -> counted(targets, planned.get())).then()));
        });
    }

    /**
     * A node being decommissioned leads nothing another replica can lead: each partition it leads moves, under a new
     * leader epoch, to the first other in-sync replica that is alive and not being decommissioned itself ({@link
     * Elections#handOff}), at once rather than when its replica is moved off; it stays in the ISR and follows. Where
     * no such replica is in sync it keeps leading, and a later round tries again. Preferred-leader elections give it
     * nothing back ({@link io.sluice.coordinator.partition.PartitionStateService}).
     */
    private Mono<Void> handOffLeaderships() {
        if (!leadsWhileDecommissioning(metadata.view())) {
            return Mono.empty();
        }
        return metadata.<Void>submit(view -> {
            IntPredicate mayTake = id -> view.node(id)
                    .map(node -> node.status() == NodeStatus.ALIVE && !node.decommissioning()).orElse(false);
            Set<Integer> leaving = ids(view, NodeInfo::decommissioning);
            MetadataChange change = PartitionChanges.forEachPartition(view, List.of(), (topic, state) ->
                    leaving.contains(state.leader()) ? Elections.handOff(state, state.leader(), mayTake) : state);
            if (!change.isEmpty()) {
                LOG.info("Balancer: leaderships of nodes being decommissioned {} handed to other in-sync replicas in"
                        + " topics {}", leaving, change.topics().stream().map(w -> w.topic().name()).toList());
            }
            return change.isEmpty() ? Mutation.none(null) : Mutation.of(change, null);
        });
    }

    private static boolean leadsWhileDecommissioning(MetadataView view) {
        Set<Integer> leaving = ids(view, NodeInfo::decommissioning);
        return !leaving.isEmpty() && view.metadata().topics().stream()
                .flatMap(topic -> topic.partitions().stream())
                .anyMatch(state -> leaving.contains(state.leader()));
    }

    /**
     * Notes which nodes are dead since when, and runs a {@link #round} when something happened that a round should
     * answer at once rather than at the next interval.
     */
    public Mono<Void> watch() {
        if (!metadata.isReady()) {
            deadSince.clear();
            seen = null;
            return Mono.empty();
        }
        MetadataView view = metadata.view();
        Instant now = clock.instant();
        for (NodeInfo node : view.metadata().nodes()) {
            if (node.status() == NodeStatus.DEAD) {
                deadSince.putIfAbsent(node.id(), now);
            } else {
                deadSince.remove(node.id());
            }
        }
        Seen previous = seen;
        seen = new Seen(ids(view, NodeInfo::acceptsReplicas), ids(view, NodeInfo::decommissioning),
                lost(view, now), moving(view));
        boolean roundNow = previous == null
                || !previous.accepting().containsAll(seen.accepting())
                || !previous.draining().containsAll(seen.draining())
                || !previous.lost().containsAll(seen.lost())
                || seen.moving() < previous.moving();
        return roundNow ? round() : Mono.empty();
    }

    /** The moves the planner proposes for {@code view} now, with the partitions' sizes last heard. */
    List<Move> plan(MetadataView view) {
        Instant now = clock.instant();
        Map<TopicPartition, Long> sized = sizes.current(view);
        Set<Integer> lost = lost(view, now);
        List<MovePlanner.Node> nodes = new ArrayList<>();
        for (NodeInfo node : view.metadata().nodes()) {
            Role role = node.decommissioning() ? Role.DRAIN
                    : node.status() == NodeStatus.ALIVE ? Role.TARGET
                    : lost.contains(node.id()) ? Role.LOST
                    : Role.HOLD;
            nodes.add(new MovePlanner.Node(node.id(), node.rack(), role));
        }
        List<MovePlanner.Partition> partitions = new ArrayList<>();
        for (TopicMetadata topic : view.metadata().topics()) {
            for (PartitionState state : topic.partitions()) {
                TopicPartition id = new TopicPartition(topic.name(), state.partition());
                partitions.add(new MovePlanner.Partition(id, state.targetReplicas(), state.isr(), state.hasLeader(),
                        state.isReassigning(), sized.getOrDefault(id, 0L)));
            }
        }
        Limits limits = new Limits(settings.maxConcurrentMoves(), settings.replicaTolerance(),
                settings.leaderTolerance(), settings.enabled(), settings.byteTolerance(),
                settings.minByteSpread().toBytes());
        return MovePlanner.plan(nodes, partitions, limits);
    }

    /**
     * The planner's proposal for the partitions of {@code request}'s topics on its nodes (Kafka's {@code --generate},
     * {@link MovePlanner#propose}), with the sizes the nodes report now and the balancer's tolerances; nothing moves.
     * The nodes named are the targets and every other node is emptied of those topics' replicas. Only the topics
     * named are weighed, as Kafka's tool weighs them. A moving partition is planned from where its move goes.
     */
    public Mono<ReassignmentProposal> propose(ReassignmentProposal.Request request) {
        return Mono.defer(() -> {
            checked(metadata.view(), request);
            return sizes.refresh(metadata.view()).then(Mono.fromSupplier(() -> proposal(metadata.view(), request)));
        });
    }

    private ReassignmentProposal proposal(MetadataView view, ReassignmentProposal.Request request) {
        Set<Integer> targets = checked(view, request);
        Map<TopicPartition, Long> sized = sizes.current(view);
        List<MovePlanner.Node> nodes = view.metadata().nodes().stream().map(node -> new MovePlanner.Node(node.id(),
                node.rack(), targets.contains(node.id()) ? Role.TARGET : Role.DRAIN)).toList();
        List<MovePlanner.Partition> partitions = new ArrayList<>();
        for (String name : new LinkedHashSet<>(request.topics())) {
            TopicMetadata topic = view.topic(name).orElseThrow();
            for (PartitionState state : topic.partitions()) {
                TopicPartition id = new TopicPartition(name, state.partition());
                partitions.add(new MovePlanner.Partition(id, state.targetReplicas(), state.targetReplicas(), true,
                        false, sized.getOrDefault(id, 0L)));
            }
        }
        Limits limits = new Limits(Integer.MAX_VALUE, settings.replicaTolerance(), settings.leaderTolerance(), true,
                settings.byteTolerance(), settings.minByteSpread().toBytes());
        Map<TopicPartition, List<Integer>> proposed = MovePlanner.propose(nodes, partitions, limits);
        return new ReassignmentProposal(partitions.stream().map(p -> new ReassignmentProposal.Partition(
                p.id().topic(), p.id().partition(), p.replicas(), proposed.get(p.id()))).toList());
    }

    /**
     * The target node ids of a proposal that can be made: at least one topic and one node, every topic existing,
     * every node registered, alive and not being decommissioned, and as many nodes as a partition has replicas.
     */
    private static Set<Integer> checked(MetadataView view, ReassignmentProposal.Request request) {
        if (request.topics() == null || request.topics().isEmpty() || request.nodes() == null
                || request.nodes().isEmpty() || request.topics().contains(null) || request.nodes().contains(null)) {
            throw ErrorCode.INVALID_REQUEST.exception("A proposal needs \"topics\" and \"nodes\", neither empty");
        }
        Set<Integer> targets = new LinkedHashSet<>(request.nodes());
        for (int id : targets) {
            NodeInfo node = view.node(id).orElseThrow(() ->
                    ErrorCode.UNKNOWN_NODE.exception("Node " + id + " is not registered"));
            if (!node.acceptsReplicas()) {
                String why = node.decommissioning() ? "being decommissioned"
                        : node.status().name().toLowerCase(Locale.ROOT);
                throw ErrorCode.INVALID_REPLICA_ASSIGNMENT.exception("Node " + id + " cannot take replicas: it is "
                        + why);
            }
        }
        for (String name : request.topics()) {
            TopicMetadata topic = view.topic(name).orElseThrow(() ->
                    ErrorCode.UNKNOWN_TOPIC.exception("Topic '" + name + "' does not exist"));
            int replicas = topic.partitions().stream().mapToInt(p -> p.targetReplicas().size()).max().orElse(0);
            if (replicas > targets.size()) {
                throw ErrorCode.INVALID_REPLICATION_FACTOR.exception("Topic '" + name + "' has " + replicas
                        + " replicas per partition: " + targets.size() + " node(s) cannot hold them");
            }
        }
        return targets;
    }

    /** Nodes dead for longer than the repair delay, as far as this coordinator has seen; none when disabled. */
    private Set<Integer> lost(MetadataView view, Instant now) {
        Set<Integer> lost = new HashSet<>();
        if (!settings.enabled()) {
            return lost;
        }
        for (NodeInfo node : view.metadata().nodes()) {
            Instant since = node.deadSinceMs() != null ? Instant.ofEpochMilli(node.deadSinceMs())
                    : deadSince.get(node.id());
            if (node.status() == NodeStatus.DEAD && since != null
                    && !since.plus(settings.repairAfter()).isAfter(now)) {
                lost.add(node.id());
            }
        }
        return lost;
    }

    private void counted(List<AlterReassignmentsRequest.Target> targets, List<Move> planned) {
        for (AlterReassignmentsRequest.Target target : targets) {
            TopicPartition partition = new TopicPartition(target.topic(), target.partition());
            planned.stream().filter(m -> m.partition().equals(partition)).findFirst().ifPresent(move -> {
                started.get(move.reason()).increment();
                LOG.info("Balancer: {} {} from {} to {} ({})", move.redirect() ? "redirecting the move of" : "moving",
                        partition, move.from(), move.to(), move.reason().name().toLowerCase(Locale.ROOT));
            });
        }
    }

    private static Set<Integer> ids(MetadataView view, Predicate<NodeInfo> which) {
        Set<Integer> ids = new HashSet<>();
        view.metadata().nodes().stream().filter(which).forEach(node -> ids.add(node.id()));
        return ids;
    }

    private static int moving(MetadataView view) {
        return (int) view.metadata().topics().stream()
                .flatMap(topic -> topic.partitions().stream())
                .filter(PartitionState::isReassigning)
                .count();
    }

    private record Seen(Set<Integer> accepting, Set<Integer> draining, Set<Integer> lost, int moving) {
    }
}

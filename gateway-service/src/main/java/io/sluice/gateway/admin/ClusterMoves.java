package io.sluice.gateway.admin;

import io.sluice.gateway.admin.AdminRequests.MoveRequest;
import io.sluice.gateway.admin.AdminRequests.PartitionMove;
import io.sluice.gateway.admin.AdminRequests.ProposalRequest;
import io.sluice.gateway.admin.CatchUpRates.AddingReplica;
import io.sluice.gateway.admin.MoveViews.CatchUp;
import io.sluice.gateway.admin.MoveViews.DecommissionList;
import io.sluice.gateway.admin.MoveViews.DecommissionView;
import io.sluice.gateway.admin.MoveViews.MoveOutcome;
import io.sluice.gateway.admin.MoveViews.MoveOutcomes;
import io.sluice.gateway.admin.MoveViews.MoveThrottleView;
import io.sluice.gateway.admin.MoveViews.Proposal;
import io.sluice.gateway.admin.MoveViews.ProposedPartition;
import io.sluice.gateway.admin.MoveViews.ReassignmentList;
import io.sluice.gateway.admin.MoveViews.ReassignmentView;
import io.sluice.gateway.cluster.ClusterView;
import io.sluice.internal.coordinator.AlterReassignmentsRequest;
import io.sluice.internal.coordinator.CoordinatorApi;
import io.sluice.internal.coordinator.ReassignmentListing;
import io.sluice.internal.coordinator.ReassignmentProposal;
import io.sluice.internal.metadata.MetadataView;
import io.sluice.internal.metadata.NodeInfo;
import io.sluice.internal.metadata.PartitionState;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.internal.partition.NodeStats;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.TopicNames;
import io.sluice.protocol.TopicPartition;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Changing the cluster's shape, fronting the coordinator: partition moves (KIP-455) with how far each adding replica
 * has come, and node decommissioning. A move request is checked whole before anything is sent — the partitions
 * exist, each target names registered nodes once — so that a bad request changes nothing; what only the coordinator
 * can decide (a cancel with nothing moving, a change that would drop the last in-sync replicas) it answers per
 * partition. Progress compares each adding replica with its leader in the nodes' {@link NodeStats}: each node
 * involved is asked once per listing, all at once, and one that does not answer in time leaves its numbers unknown.
 */
@Service
class ClusterMoves {

    private final CoordinatorApi coordinator;
    private final ClusterView cluster;
    private final ClusterOverview overview;
    private final CatchUpRates rates;

    @Autowired
    ClusterMoves(CoordinatorApi coordinator, ClusterView cluster, ClusterOverview overview) {
        this(coordinator, cluster, overview, Clock.systemUTC());
    }

    ClusterMoves(CoordinatorApi coordinator, ClusterView cluster, ClusterOverview overview, Clock clock) {
        this.coordinator = coordinator;
        this.cluster = cluster;
        this.overview = overview;
        this.rates = new CatchUpRates(clock);
    }

    /** The moves under way, by topic and partition, each adding replica with its progress. */
    Mono<ReassignmentList> reassignments() {
        return coordinator.listReassignments().flatMap(listing -> {
            MetadataView view = cluster.current();
            List<ReassignmentListing.Ongoing> moves = listing.partitions().stream()
                    .sorted(Comparator.comparing(ReassignmentListing.Ongoing::topic)
                            .thenComparingInt(ReassignmentListing.Ongoing::partition))
                    .toList();
            Set<Integer> involved = new HashSet<>();
            for (ReassignmentListing.Ongoing move : moves) {
                leader(view, move).ifPresent(involved::add);
                involved.addAll(move.addingReplicas());
            }
            return overview.nodeStats(node -> involved.contains(node.id()))
                    .map(stats -> new ReassignmentList(views(view, moves, stats)));
        });
    }

    private List<ReassignmentView> views(MetadataView view, List<ReassignmentListing.Ongoing> moves,
                                         Map<Integer, NodeStats> stats) {
        Map<Integer, Map<TopicPartition, NodeStats.Replica>> replicas = new HashMap<>();
        stats.forEach((nodeId, node) -> replicas.put(nodeId, node.replicas().stream().collect(Collectors.toMap(
                r -> new TopicPartition(r.topic(), r.partition()), r -> r, (a, b) -> a))));
        Set<AddingReplica> adding = new HashSet<>();
        List<ReassignmentView> views = new ArrayList<>();
        for (ReassignmentListing.Ongoing move : moves) {
            TopicPartition tp = new TopicPartition(move.topic(), move.partition());
            Integer leader = leader(view, move).orElse(null);
            NodeStats.Replica leading = leader == null || !replicas.containsKey(leader) ? null
                    : replicas.get(leader).get(tp);
            List<CatchUp> progress = new ArrayList<>();
            for (int nodeId : move.addingReplicas()) {
                AddingReplica replica = new AddingReplica(tp, nodeId);
                adding.add(replica);
                progress.add(catchUp(replica, leading, replicas.get(nodeId)));
            }
            views.add(new ReassignmentView(move.topic(), move.partition(), move.replicas(), move.addingReplicas(),
                    move.removingReplicas(), leader, progress));
        }
        rates.retainOnly(adding);
        return views;
    }

    /**
     * One adding replica against its leader's replica; {@code onNode} is what its node holds (null: the node did not
     * answer), where a replica not created yet counts as empty.
     */
    private CatchUp catchUp(AddingReplica replica, NodeStats.Replica leading,
                            Map<TopicPartition, NodeStats.Replica> onNode) {
        if (onNode == null) {
            return new CatchUp(replica.nodeId(), null, null, null, null, null);
        }
        NodeStats.Replica copy = onNode.get(replica.partition());
        long size = copy == null ? 0 : copy.sizeBytes();
        long logEnd = copy == null ? 0 : copy.logEndOffset();
        Double rate = rates.sample(replica, size);
        if (leading == null) {
            return new CatchUp(replica.nodeId(), size, null, null, rate, null);
        }
        long bytesToGo = Math.max(0, leading.sizeBytes() - size);
        long offsetsToGo = Math.max(0, leading.logEndOffset() - logEnd);
        Long eta = rate == null || rate <= 0 ? null : (long) Math.ceil(bytesToGo / rate);
        return new CatchUp(replica.nodeId(), size, bytesToGo, offsetsToGo, rate, eta);
    }

    private static Optional<Integer> leader(MetadataView view, ReassignmentListing.Ongoing move) {
        return view.partition(new TopicPartition(move.topic(), move.partition()))
                .filter(PartitionState::hasLeader).map(PartitionState::leader);
    }

    /**
     * Where the coordinator's move planner would put the partitions of the topics asked for on the nodes named (Kafka's
     * {@code --generate}); nothing moves. A request without topics or nodes, or with a null among them, is
     * INVALID_REQUEST and a malformed topic name INVALID_TOPIC_NAME here; the coordinator refuses the rest (an unknown
     * topic or node, a node that cannot take replicas, fewer nodes than replicas).
     */
    Mono<Proposal> propose(ProposalRequest request) {
        return Mono.defer(() -> {
            if (request == null || request.topics() == null || request.topics().isEmpty() || request.nodes() == null
                    || request.nodes().isEmpty() || request.topics().contains(null) || request.nodes().contains(null)) {
                throw ErrorCode.INVALID_REQUEST.exception("\"topics\" (topic names) and \"nodes\" (node ids) are "
                        + "required, neither empty");
            }
            request.topics().forEach(TopicNames::validate);
            return coordinator.proposeReassignment(new ReassignmentProposal.Request(request.topics(), request.nodes()));
        }).map(proposal -> new Proposal(proposal.partitions().stream().map(p -> new ProposedPartition(p.topic(),
                p.partition(), p.current(), p.proposed())).toList()));
    }

    /**
     * Starts, replaces or cancels the moves asked, once the whole request is valid: INVALID_REQUEST (no partitions,
     * a partition without topic or number, or named twice), UNKNOWN_TOPIC, UNKNOWN_PARTITION, INVALID_REPLICA_ASSIGNMENT
     * (an empty target or a node named twice) or UNKNOWN_NODE, and then nothing is asked of the coordinator.
     */
    Mono<MoveOutcomes> move(MoveRequest request) {
        return Mono.defer(() -> {
            List<PartitionMove> moves = wellFormed(request);
            Set<String> topics = new LinkedHashSet<>();
            moves.forEach(move -> topics.add(move.topic()));
            Mono<Map<String, TopicMetadata>> known = Flux.fromIterable(topics)
                    .concatMap(coordinator::describeTopic)
                    .collectMap(TopicMetadata::name);
            return Mono.zip(known, coordinator.nodes()).flatMap(found -> {
                Set<Integer> nodes = found.getT2().stream().map(NodeInfo::id).collect(Collectors.toSet());
                List<AlterReassignmentsRequest.Target> targets = new ArrayList<>();
                for (PartitionMove move : moves) {
                    TopicMetadata topic = found.getT1().get(move.topic());
                    if (move.partition() >= topic.partitions().size()) {
                        throw ErrorCode.UNKNOWN_PARTITION.exception("Topic '" + move.topic() + "' has no partition "
                                + move.partition() + " (it has " + topic.partitions().size() + ")");
                    }
                    if (move.replicas() != null) {
                        for (int node : move.replicas()) {
                            if (!nodes.contains(node)) {
                                throw ErrorCode.UNKNOWN_NODE.exception("Node " + node + " (a replica of "
                                        + move.topic() + "-" + move.partition() + ") is not registered");
                            }
                        }
                    }
                    targets.add(new AlterReassignmentsRequest.Target(move.topic(), move.partition(), move.replicas()));
                }
                return coordinator.alterReassignments(new AlterReassignmentsRequest(targets));
            });
        }).map(answer -> new MoveOutcomes(answer.partitions().stream().map(MoveOutcome::of).toList()));
    }

    /** The request's partitions, each with a valid topic name, a partition number and a target that can be one. */
    private static List<PartitionMove> wellFormed(MoveRequest request) {
        if (request == null || request.partitions() == null || request.partitions().isEmpty()) {
            throw ErrorCode.INVALID_REQUEST.exception("partitions (a non-empty list of {\"topic\", \"partition\", "
                    + "\"replicas\"}) is required");
        }
        Set<TopicPartition> seen = new HashSet<>();
        for (PartitionMove move : request.partitions()) {
            if (move == null || move.topic() == null || move.partition() == null) {
                throw ErrorCode.INVALID_REQUEST.exception("Every partition needs a \"topic\" and a \"partition\"");
            }
            TopicNames.validate(move.topic());
            if (move.partition() < 0) {
                throw ErrorCode.UNKNOWN_PARTITION.exception("Partition " + move.partition() + " of '" + move.topic()
                        + "' does not exist");
            }
            String name = move.topic() + "-" + move.partition();
            if (!seen.add(new TopicPartition(move.topic(), move.partition()))) {
                throw ErrorCode.INVALID_REQUEST.exception("Partition " + name + " is named twice");
            }
            if (move.replicas() == null) {
                continue;
            }
            if (move.replicas().isEmpty()) {
                throw ErrorCode.INVALID_REPLICA_ASSIGNMENT.exception("The replicas of " + name + " are empty: give "
                        + "at least one node, or null to cancel its move");
            }
            Set<Integer> nodes = new HashSet<>();
            for (Integer node : move.replicas()) {
                if (node == null) {
                    throw ErrorCode.INVALID_REPLICA_ASSIGNMENT.exception("The replicas of " + name + " include null");
                }
                if (!nodes.add(node)) {
                    throw ErrorCode.INVALID_REPLICA_ASSIGNMENT.exception("The replicas of " + name + " name node "
                            + node + " twice");
                }
            }
        }
        return request.partitions();
    }

    /** Cancels the move of one partition: NO_REASSIGNMENT_IN_PROGRESS when it is not moving. */
    Mono<Void> cancel(String topic, int partition) {
        return move(new MoveRequest(List.of(new PartitionMove(topic, partition, null)))).flatMap(outcomes -> {
            MoveOutcome outcome = outcomes.partitions().getFirst();
            return outcome.ok() ? Mono.<Void>empty() : Mono.error(outcome.errorCode().exception(outcome.detail()));
        });
    }

    /** Decommissions the node and answers how far its draining has come (UNKNOWN_NODE when not registered). */
    Mono<DecommissionView> decommission(int nodeId) {
        return coordinator.decommission(nodeId).map(DecommissionView::of);
    }

    Mono<Void> cancelDecommission(int nodeId) {
        return coordinator.cancelDecommission(nodeId);
    }

    /**
     * Sets the node's move throttle ({@code request} null: back to the node's configured rate); a rate below 1 is
     * INVALID_REQUEST, an unknown node UNKNOWN_NODE, and neither changes anything.
     */
    Mono<MoveThrottleView> throttle(int nodeId, AdminRequests.MoveThrottle request) {
        if (request != null && (request.bytesPerSecond() == null || request.bytesPerSecond() < 1)) {
            return Mono.error(ErrorCode.INVALID_REQUEST.exception("bytes_per_second must be a whole number of at "
                    + "least 1, was " + request.bytesPerSecond()));
        }
        return coordinator.setMoveThrottle(nodeId, request == null ? null : request.bytesPerSecond())
                .map(node -> new MoveThrottleView(node.id(), node.moveThrottle()));
    }

    Mono<DecommissionList> decommissions() {
        return coordinator.decommissions().map(listing -> new DecommissionList(listing.nodes().stream()
                .map(DecommissionView::of).sorted(Comparator.comparingInt(DecommissionView::nodeId)).toList()));
    }
}

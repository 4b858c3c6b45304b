package io.sluice.coordinator.partition;

import io.sluice.internal.metadata.Elections;
import io.sluice.coordinator.metadata.MetadataManager;
import io.sluice.coordinator.metadata.Mutation;
import io.sluice.coordinator.reassign.ReassignmentService;
import io.sluice.coordinator.store.MetadataChange;
import io.sluice.internal.coordinator.AlterPartitionRequest;
import io.sluice.internal.coordinator.ElectLeadersRequest;
import io.sluice.internal.coordinator.ElectLeadersResponse;
import io.sluice.internal.coordinator.ElectionResult;
import io.sluice.internal.metadata.MetadataView;
import io.sluice.internal.metadata.NodeInfo;
import io.sluice.internal.metadata.NodeStatus;
import io.sluice.internal.metadata.PartitionState;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.TopicPartition;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntPredicate;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/** ISR changes requested by leaders, and preferred-leader elections. */
@Service
public class PartitionStateService {

    private final MetadataManager metadata;
    private final ReassignmentService reassignments;

    PartitionStateService(MetadataManager metadata, ReassignmentService reassignments) {
        this.metadata = metadata;
        this.reassignments = reassignments;
    }

    /**
     * Applies a leader's ISR change if it comes from the current leader at the current leader epoch and partition
     * epoch; otherwise refuses with a typed error and changes nothing. Replicas added to the ISR must be alive and
     * still run the process whose fetch qualified them (the request's incarnations), or it is INELIGIBLE_REPLICA. A
     * change the stored state already shows (the leader's retry of a change whose answer it lost) is answered with
     * that state, so a leader never stays unsure whether its change was made.
     *
     * <p>The answer is the state the ISR change made, never a later step of a partition move: an expansion that lets a
     * move go on is followed, in the command sequence, by the move's next step ({@link ReassignmentService#advance}),
     * which the leader learns from the metadata like any other change.
     */
    Mono<PartitionState> alterPartition(String topicName, int partition, AlterPartitionRequest request) {
        return metadata.submit(view -> {
            TopicMetadata topic = view.topic(topicName).orElseThrow(() ->
                    ErrorCode.UNKNOWN_TOPIC.exception("Topic '" + topicName + "' does not exist"));
            if (partition < 0 || partition >= topic.partitions().size()) {
                throw ErrorCode.UNKNOWN_PARTITION.exception("Topic '" + topicName + "' has no partition " + partition);
            }
            PartitionState state = topic.partition(partition);
            String where = topicName + "-" + partition;
            if (request.leaderEpoch() < state.leaderEpoch()) {
                throw ErrorCode.FENCED_LEADER_EPOCH.exception("Leader epoch " + request.leaderEpoch() + " of " + where
                        + " is stale; current is " + state.leaderEpoch());
            }
            if (request.leaderEpoch() > state.leaderEpoch()) {
                throw ErrorCode.UNKNOWN_LEADER_EPOCH.exception("Leader epoch " + request.leaderEpoch() + " of " + where
                        + " is newer than the coordinator's " + state.leaderEpoch());
            }
            if (request.leaderId() != state.leader()) {
                throw ErrorCode.NOT_LEADER.exception("Node " + request.leaderId() + " does not lead " + where
                        + "; node " + state.leader() + " does");
            }
            if (request.partitionEpoch() < state.partitionEpoch() && request.isr() != null
                    && new HashSet<>(request.isr()).equals(new HashSet<>(state.isr()))) {
                // A repeat of a change already made (its first answer was lost, or it was retried on another
                // coordinator after this one wrote it): the leader learns the state it asked for, nothing is written.
                return Mutation.none(state);
            }
            if (request.partitionEpoch() != state.partitionEpoch()) {
                throw ErrorCode.STALE_PARTITION_EPOCH.exception("Partition epoch " + request.partitionEpoch() + " of "
                        + where + " is stale; current is " + state.partitionEpoch());
            }
            List<Integer> isr = validIsr(view, state, request, where);
            PartitionState updated = state.withIsr(isr);
            MetadataChange change = MetadataChange.ofTopic(MetadataChange.TopicWrite.update(
                    topic.withPartition(updated), Map.of(partition, state.partitionEpoch())));
            return Mutation.of(change, updated);
        }).doOnSuccess(updated -> {
            if (updated != null && updated.isReassigning()) {
                reassignments.advanceLater();
            }
        });
    }

    /**
     * Moves leadership back to preferred replicas (of one topic, or all when {@code topicName} is null) and answers
     * how many partitions changed leader.
     */
    public Mono<ElectionResult> electPreferredLeaders(String topicName) {
        return metadata.submit(view -> {
            if (topicName != null && view.topic(topicName).isEmpty()) {
                throw ErrorCode.UNKNOWN_TOPIC.exception("Topic '" + topicName + "' does not exist");
            }
            IntPredicate eligible = mayLeadByPreference(view);
            int[] moved = {0};
            MetadataChange change = PartitionChanges.forEachPartition(view, List.of(), (topic, state) -> {
                if (topicName != null && !topic.name().equals(topicName)) {
                    return state;
                }
                PartitionState next = Elections.preferredLeader(state, eligible);
                if (next != state) {
                    moved[0]++;
                }
                return next;
            });
            return Mutation.of(change, new ElectionResult(moved[0]));
        }).doOnSuccess(result -> reassignments.advanceLater());
    }

    /**
     * Elections an operator asks for (Kafka's ElectLeaders): of the partitions named, or of all when none are, each
     * decided on the current metadata in one command — PREFERRED moves leadership to the preferred replica when it is
     * alive, in sync and not being decommissioned, UNCLEAN gives a leaderless partition a leader
     * ({@link Elections#uncleanLeader}). Every partition named is answered; of all partitions, only those whose leader
     * changed.
     */
    Mono<ElectLeadersResponse> electLeaders(ElectLeadersRequest request) {
        return metadata.submit(view -> {
            IntPredicate eligible = id -> view.node(id).map(n -> n.status() == NodeStatus.ALIVE).orElse(false);
            IntPredicate preferable = mayLeadByPreference(view);
            Set<TopicPartition> asked = request.partitions() == null ? null : new LinkedHashSet<>(request.partitions());
            Map<TopicPartition, ElectLeadersResponse.Outcome> outcomes = new LinkedHashMap<>();
            if (asked != null) {
                asked.forEach(tp -> outcomes.put(tp, ElectLeadersResponse.Outcome.UNKNOWN_PARTITION));
            }
            MetadataChange change = PartitionChanges.forEachPartition(view, List.of(), (topic, state) -> {
                TopicPartition tp = new TopicPartition(topic.name(), state.partition());
                if (asked != null && !asked.contains(tp)) {
                    return state;
                }
                PartitionState next = request.type() == ElectLeadersRequest.Type.PREFERRED
                        ? Elections.preferredLeader(state, preferable) : Elections.uncleanLeader(state, eligible);
                ElectLeadersResponse.Outcome outcome = next != state ? ElectLeadersResponse.Outcome.ELECTED
                        : request.type() == ElectLeadersRequest.Type.PREFERRED
                        ? state.leader() == state.preferredLeader() ? ElectLeadersResponse.Outcome.NOT_NEEDED
                                : ElectLeadersResponse.Outcome.PREFERRED_NOT_AVAILABLE
                        : state.hasLeader() ? ElectLeadersResponse.Outcome.NOT_NEEDED
                                : ElectLeadersResponse.Outcome.NO_ELIGIBLE_LEADER;
                if (asked != null || outcome == ElectLeadersResponse.Outcome.ELECTED) {
                    outcomes.put(tp, outcome);
                }
                return next;
            });
            List<ElectLeadersResponse.Result> results = new ArrayList<>();
            outcomes.forEach((tp, outcome) -> results.add(new ElectLeadersResponse.Result(tp.topic(), tp.partition(),
                    outcome)));
            return Mutation.of(change, new ElectLeadersResponse(results));
        }).doOnSuccess(result -> reassignments.advanceLater());
    }

    /**
     * Who a preferred-leader election may give leadership to: a live node not being decommissioned (the balancer hands
     * a decommissioning node's leaderships away; an election must not give them back).
     */
    private static IntPredicate mayLeadByPreference(MetadataView view) {
        return id -> view.node(id).map(n -> n.status() == NodeStatus.ALIVE && !n.decommissioning()).orElse(false);
    }

    private static List<Integer> validIsr(MetadataView view, PartitionState state, AlterPartitionRequest request,
                                          String where) {
        List<Integer> isr = request.isr();
        if (isr == null || isr.isEmpty() || !isr.contains(state.leader())) {
            throw ErrorCode.INVALID_REQUEST.exception("The ISR of " + where + " must contain its leader " + state.leader());
        }
        if (new HashSet<>(isr).size() != isr.size() || !state.replicas().containsAll(isr)) {
            throw ErrorCode.INVALID_REQUEST.exception("The ISR " + isr + " of " + where
                    + " must be distinct members of the replicas " + state.replicas());
        }
        for (int replica : isr) {
            if (state.isr().contains(replica)) {
                continue;
            }
            NodeInfo node = view.node(replica).filter(NodeInfo::isAlive).orElseThrow(() ->
                    ErrorCode.INELIGIBLE_REPLICA.exception("Replica " + replica + " cannot join the ISR of " + where
                            + ": it is not alive"));
            // KIP-903: the fetch that qualified the replica must come from the process the node runs now. One that
            // restarted since may have come back with less of the log (unflushed data lost with the power).
            String qualified = request.joinerIncarnations().get(replica);
            if (qualified == null || !qualified.equals(node.incarnation())) {
                throw ErrorCode.INELIGIBLE_REPLICA.exception("Replica " + replica + " cannot join the ISR of " + where
                        + ": " + (qualified == null ? "the request does not name the process whose fetch qualified it"
                        : "the fetch that qualified it came from incarnation " + qualified + ", and node " + replica
                        + " now runs " + node.incarnation()));
            }
        }
        // Keep replica order, so that elections read the ISR the same way everywhere.
        return state.replicas().stream().filter(isr::contains).toList();
    }
}

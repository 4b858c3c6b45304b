package io.sluice.coordinator.reassign;

import io.sluice.coordinator.metadata.MetadataManager;
import io.sluice.coordinator.metadata.Mutation;
import io.sluice.coordinator.store.MetadataChange;
import io.sluice.coordinator.store.MetadataStore;
import io.sluice.internal.coordinator.AlterReassignmentsRequest;
import io.sluice.internal.coordinator.AlterReassignmentsResponse;
import io.sluice.internal.coordinator.ReassignmentListing;
import io.sluice.internal.metadata.MetadataView;
import io.sluice.internal.metadata.NodeInfo;
import io.sluice.internal.metadata.NodeStatus;
import io.sluice.internal.metadata.PartitionState;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.protocol.ErrorCode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.IntPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Partition moves (KIP-455) in the coordinator's metadata command sequence, decided by {@link ReassignmentRules}.
 *
 * <p>A move's whole state is in its {@link PartitionState} ({@code addingReplicas}, {@code removingReplicas}), stored
 * with the rest of the metadata under the fencing token: a coordinator that takes over finds every move where the
 * last one left it. Moves advance by {@link #advance}, a command that takes the next step of every partition being
 * moved. It is queued right behind every change that can let a move progress — an ISR change from a leader, a node
 * dying, returning or shutting down, a move started — and run on activation and periodically, so a move whose trigger
 * was lost with a failed coordinator still completes.
 */
@Service
public class ReassignmentService {

    private static final Logger LOG = LoggerFactory.getLogger(ReassignmentService.class);

    private final MetadataManager metadata;

    ReassignmentService(MetadataManager metadata) {
        this.metadata = metadata;
    }

    /**
     * Starts, replaces or cancels the moves of the request in one metadata change, each partition decided on its own
     * (a refused one changes nothing and does not stop the others), then lets them advance.
     */
    Mono<AlterReassignmentsResponse> alter(AlterReassignmentsRequest request) {
        if (request.partitions().isEmpty()) {
            return Mono.error(ErrorCode.INVALID_REQUEST.exception("partitions must name at least one partition"));
        }
        return metadata.submit(view -> decide(view, request))
                .flatMap(response -> advance().onErrorResume(e -> Mono.empty()).thenReturn(response));
    }

    /**
     * A move {@link #startMoves} is to start; {@code redirect} when it replaces the move under way (only then is a
     * moving partition's move replaced, and only then is it started).
     */
    public record PlannedMove(AlterReassignmentsRequest.Target target, boolean redirect) {
    }

    /**
     * Starts the moves {@code plan} proposes, planned in the command sequence on the latest metadata so that no other
     * change comes between the plan and its start. A move under way — a user's above all — is replaced only by a
     * planned redirect; every other planned move starts only on a partition that is not moving. Answers the partitions
     * started (each refused one is logged and left as it was), then lets them advance.
     */
    public Mono<List<AlterReassignmentsRequest.Target>> startMoves(Function<MetadataView, List<PlannedMove>> plan) {
        return metadata.submit(view -> {
            List<AlterReassignmentsRequest.Target> targets = plan.apply(view).stream()
                    .filter(planned -> view.topic(planned.target().topic())
                            .filter(t -> planned.target().partition() >= 0
                                    && planned.target().partition() < t.partitions().size())
                            .map(t -> t.partition(planned.target().partition()).isReassigning() == planned.redirect())
                            .orElse(false))
                    .map(PlannedMove::target)
                    .toList();
            if (targets.isEmpty()) {
                return Mutation.none(List.<AlterReassignmentsRequest.Target>of());
            }
            Mutation<AlterReassignmentsResponse> decided = decide(view, new AlterReassignmentsRequest(targets));
            List<AlterReassignmentsRequest.Target> started = new ArrayList<>();
            for (int i = 0; i < targets.size(); i++) {
                AlterReassignmentsResponse.Result result = decided.result().partitions().get(i);
                if (result.errorCode() == null) {
                    started.add(targets.get(i));
                } else {
                    LOG.warn("A planned move of {}-{} to {} was refused: {}", result.topic(), result.partition(),
                            targets.get(i).replicas(), result.message());
                }
            }
            return Mutation.of(decided.change(), List.copyOf(started));
        }).flatMap(started -> advance().onErrorResume(e -> Mono.empty()).thenReturn(started));
    }

    /** The partitions being moved now, as this coordinator's metadata has them. */
    ReassignmentListing list() {
        List<ReassignmentListing.Ongoing> ongoing = new ArrayList<>();
        for (TopicMetadata topic : metadata.view().metadata().topics()) {
            for (PartitionState state : topic.partitions()) {
                if (state.isReassigning()) {
                    ongoing.add(new ReassignmentListing.Ongoing(topic.name(), state.partition(), state.replicas(),
                            state.addingReplicas(), state.removingReplicas()));
                }
            }
        }
        return new ReassignmentListing(ongoing);
    }

    /**
     * Takes every step moves can take now, each as its own metadata change (a leadership move, then the completion),
     * until none can. Nothing to do (or not active) completes at once without writing.
     */
    public Mono<Void> advance() {
        if (!metadata.isReady() || !anyMoving(metadata.view())) {
            return Mono.empty();
        }
        return metadata.submit(ReassignmentService::step)
                .flatMap(stepped -> stepped ? advance() : Mono.<Void>empty())
                .then();
    }

    /**
     * Queues {@link #advance} in the command sequence behind whatever was just submitted, without waiting for it: the
     * caller's answer does not wait on moves. A failure is logged; the periodic round tries again.
     */
    public void advanceLater() {
        advance().subscribe(null, e -> LOG.warn("Could not advance partition moves: {}; the next round tries again",
                e.toString()));
    }

    private static boolean anyMoving(MetadataView view) {
        for (TopicMetadata topic : view.metadata().topics()) {
            for (PartitionState state : topic.partitions()) {
                if (state.isReassigning()) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Mutation<AlterReassignmentsResponse> decide(MetadataView view, AlterReassignmentsRequest request) {
        IntPredicate registered = id -> view.node(id).isPresent();
        IntPredicate eligible = eligible(view);
        Map<String, TopicMetadata> changed = new LinkedHashMap<>();
        List<AlterReassignmentsResponse.Result> results = new ArrayList<>();
        for (AlterReassignmentsRequest.Target target : request.partitions()) {
            String where = target.topic() + "-" + target.partition();
            TopicMetadata topic = target.topic() == null ? null
                    : changed.getOrDefault(target.topic(), view.topic(target.topic()).orElse(null));
            if (topic == null) {
                results.add(refused(target, ErrorCode.UNKNOWN_TOPIC, "Topic '" + target.topic() + "' does not exist"));
                continue;
            }
            if (target.partition() < 0 || target.partition() >= topic.partitions().size()) {
                results.add(refused(target, ErrorCode.UNKNOWN_PARTITION, "Topic '" + target.topic()
                        + "' has no partition " + target.partition()));
                continue;
            }
            PartitionState state = topic.partition(target.partition());
            ReassignmentRules.Decision decision = target.replicas() == null
                    ? ReassignmentRules.cancel(state, eligible)
                    : ReassignmentRules.start(state, target.replicas(), registered, eligible);
            if (!decision.isAccepted()) {
                results.add(refused(target, decision.error(), decision.message()));
                continue;
            }
            if (decision.state() != state) {
                LOG.info("{} of {}: replicas {} (adding {}, removing {}) become {} (adding {}, removing {})",
                        target.replicas() == null ? "Cancelling the move" : "Moving to " + target.replicas(), where,
                        state.replicas(), state.addingReplicas(), state.removingReplicas(), decision.state().replicas(),
                        decision.state().addingReplicas(), decision.state().removingReplicas());
                changed.put(topic.name(), topic.withPartition(decision.state()));
            }
            results.add(new AlterReassignmentsResponse.Result(target.topic(), target.partition(), null, null));
        }
        return Mutation.of(writes(view, changed.values()), new AlterReassignmentsResponse(results));
    }

    /** One step of every move that can take one; answers whether any did. */
    private static Mutation<Boolean> step(MetadataView view) {
        IntPredicate eligible = eligible(view);
        List<TopicMetadata> changed = new ArrayList<>();
        for (TopicMetadata topic : view.metadata().topics()) {
            List<PartitionState> states = new ArrayList<>(topic.partitions().size());
            boolean topicChanged = false;
            for (PartitionState state : topic.partitions()) {
                PartitionState next = ReassignmentRules.advance(state, eligible);
                if (next != state) {
                    topicChanged = true;
                    LOG.info("Move of {}-{}: {}", topic.name(), state.partition(), next.isReassigning()
                            ? "leadership moves from node " + state.leader() + " to node " + next.leader()
                            + ", which the move keeps"
                            : "complete, replicas " + next.replicas() + " (were " + state.replicas() + ")");
                }
                states.add(next);
            }
            if (topicChanged) {
                changed.add(topic.withPartitions(states));
            }
        }
        return changed.isEmpty() ? Mutation.none(false) : Mutation.of(writes(view, changed), true);
    }

    private static MetadataChange writes(MetadataView view, Collection<TopicMetadata> topics) {
        List<MetadataChange.TopicWrite> writes = new ArrayList<>();
        for (TopicMetadata topic : topics) {
            TopicMetadata before = view.topic(topic.name()).orElseThrow();
            writes.add(MetadataChange.TopicWrite.update(withSettledReplicationFactor(topic),
                    MetadataStore.partitionEpochs(before)));
        }
        return new MetadataChange(List.of(), writes, List.of());
    }

    /**
     * A topic whose partitions all hold the same number of replicas, none of them moving, has that replication factor:
     * once moves have changed every partition's count, the topic's follows (what describing it shows, and what its new
     * partitions are placed with). While any partition moves, or the counts differ, it keeps the one it had.
     */
    static TopicMetadata withSettledReplicationFactor(TopicMetadata topic) {
        if (topic.partitions().isEmpty() || topic.partitions().stream().anyMatch(PartitionState::isReassigning)) {
            return topic;
        }
        int count = topic.partition(0).replicas().size();
        boolean uniform = topic.partitions().stream().allMatch(state -> state.replicas().size() == count);
        return uniform && count != topic.replicationFactor() ? topic.withReplicationFactor(count) : topic;
    }

    private static AlterReassignmentsResponse.Result refused(AlterReassignmentsRequest.Target target, ErrorCode error,
                                                            String message) {
        return new AlterReassignmentsResponse.Result(target.topic(), target.partition(), error, message);
    }

    /** Nodes that may lead: alive and not shutting down. */
    private static IntPredicate eligible(MetadataView view) {
        return id -> view.node(id).map(NodeInfo::status).orElse(null) == NodeStatus.ALIVE;
    }
}

package io.sluice.coordinator.node;

import io.sluice.coordinator.CoordinatorProperties;
import io.sluice.internal.metadata.Elections;
import io.sluice.coordinator.metadata.MetadataManager;
import io.sluice.coordinator.metadata.Mutation;
import io.sluice.coordinator.partition.PartitionChanges;
import io.sluice.coordinator.reassign.ReassignmentService;
import io.sluice.coordinator.store.MetadataChange;
import io.sluice.internal.coordinator.OfflineReplicasRequest;
import io.sluice.internal.coordinator.RegisterRequest;
import io.sluice.internal.coordinator.RegisterResponse;
import io.sluice.internal.coordinator.ShutdownResponse;
import io.sluice.internal.metadata.MetadataView;
import io.sluice.internal.metadata.NodeInfo;
import io.sluice.internal.metadata.NodeStatus;
import io.sluice.internal.metadata.PartitionState;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.TopicPartition;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.IntPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Node membership: registration, heartbeats, session expiry and controlled shutdown, each with the leader
 * elections it implies (see {@link Elections}). Each change is followed, in the command sequence, by the next steps
 * of partition moves it may have let go on ({@link ReassignmentService#advance}).
 */
@Service
public class NodeService {

    private static final Logger LOG = LoggerFactory.getLogger(NodeService.class);

    private final MetadataManager metadata;
    private final NodeLiveness liveness;
    private final CoordinatorProperties properties;
    private final NodeProbe probe;
    private final ReassignmentService reassignments;
    private final Clock clock;
    /** Nodes being probed after an unreachable report: one probe per node at a time, however many peers report. */
    private final Set<Integer> probing = ConcurrentHashMap.newKeySet();

    NodeService(MetadataManager metadata, NodeLiveness liveness, CoordinatorProperties properties, NodeProbe probe,
                ReassignmentService reassignments, Clock clock) {
        this.metadata = metadata;
        this.clock = clock;
        this.reassignments = reassignments;
        this.liveness = liveness;
        this.properties = properties;
        this.probe = probe;
    }

    /** Whether {@code address} is {@code host:port}, the host 1 to 255 characters, the port 1 to 65535. */
    private static boolean validHostPort(String address) {
        int colon = address.lastIndexOf(':');
        if (colon < 1 || colon > 255) {
            return false;
        }
        try {
            int port = Integer.parseInt(address.substring(colon + 1));
            return port >= 1 && port <= 65535;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** The registered nodes, dead ones included, as the current metadata has them. */
    List<NodeInfo> list() {
        return metadata.view().metadata().nodes();
    }

    /**
     * Registers a node. The same process registering again (same incarnation and URL) changes nothing. A new
     * incarnation of a node the coordinator still counts alive is a restart it did not see: the old incarnation is
     * fenced as if it had died — it leaves every ISR it is not the last member of, and its leaderships move under a
     * new leader epoch (a clean election only: the node is back) — before the new one is admitted. Its log may have
     * lost an unflushed tail; it rejoins ISRs only by catching up, and leads again only where it is the last in-sync
     * replica (then under a bumped epoch, so followers truncate to it with KIP-279 rather than trusting old offsets).
     */
    Mono<RegisterResponse> register(RegisterRequest request) {
        if (request.nodeId() < 0) {
            return Mono.error(ErrorCode.INVALID_REQUEST.exception("node_id must be >= 0, was " + request.nodeId()));
        }
        if (request.url() == null || !(request.url().startsWith("http://") || request.url().startsWith("https://"))) {
            return Mono.error(ErrorCode.INVALID_REQUEST.exception("url must be an http(s) URL, was " + request.url()));
        }
        if (request.incarnation() == null || request.incarnation().isBlank()) {
            return Mono.error(ErrorCode.INVALID_REQUEST.exception("incarnation is required: an id the process draws "
                    + "once when it starts"));
        }
        if (request.kafkaAddress() != null && !validHostPort(request.kafkaAddress())) {
            return Mono.error(ErrorCode.INVALID_REQUEST.exception("kafka_address must be host:port with a port of 1 "
                    + "to 65535, was " + request.kafkaAddress()));
        }
        return metadata.submit(view -> {
            NodeInfo existing = view.node(request.nodeId()).orElse(null);
            if (existing != null && !existing.url().equals(request.url()) && existing.status() != NodeStatus.DEAD) {
                throw ErrorCode.DUPLICATE_NODE.exception("Node " + request.nodeId() + " is registered and alive at "
                        + existing.url() + "; refusing a second registration from " + request.url());
            }
            // A decommissioning node stays so when it restarts, and keeps its move throttle: only an operator
            // changes either.
            NodeInfo node = new NodeInfo(request.nodeId(), request.url(), request.rack(), NodeStatus.ALIVE,
                    request.incarnation(), existing != null && existing.decommissioning(), null,
                    existing == null ? null : existing.moveThrottle(), request.kafkaAddress());
            liveness.heartbeat(node.id());
            MetadataChange change;
            if (existing != null && existing.equals(node)) {
                change = null;
            } else if (existing != null && existing.status() != NodeStatus.DEAD
                    && !request.incarnation().equals(existing.incarnation())) {
                LOG.warn("Node {} restarted (incarnation {} replaces {}) before its session expired: fencing the old "
                        + "incarnation", node.id(), node.incarnation(), existing.incarnation());
                IntPredicate withoutIt = eligible(view, node.withStatus(NodeStatus.DEAD));
                IntPredicate withIt = eligible(view, node);
                change = withElections(view, node, (state, unclean) -> Elections.onNodeReturn(
                        Elections.onNodeDeath(state, node.id(), withoutIt, false), node.id(), withIt, unclean), true);
            } else {
                change = withElections(view, node, (state, unclean) -> Elections.onNodeReturn(state, node.id(),
                        eligible(view, node), unclean), true);
            }
            return Mutation.of(change, new RegisterResponse(node.id(), properties.heartbeatInterval().toMillis(),
                    properties.sessionTimeout().toMillis()));
        }).doOnSuccess(response -> reassignments.advanceLater());
    }

    /** Records a heartbeat; a node that had been declared dead comes back to life (and may lead again). */
    Mono<Void> heartbeat(int nodeId) {
        MetadataView view = metadata.view();
        NodeInfo node = view.node(nodeId).orElse(null);
        if (node == null) {
            return Mono.error(ErrorCode.UNKNOWN_NODE.exception("Node " + nodeId + " is not registered; register first"));
        }
        liveness.heartbeat(nodeId);
        if (node.status() != NodeStatus.DEAD) {
            return Mono.empty();
        }
        return metadata.<Void>submit(current -> {
            NodeInfo now = current.node(nodeId).orElseThrow();
            if (now.status() != NodeStatus.DEAD) {
                return Mutation.none(null);
            }
            NodeInfo alive = now.withStatus(NodeStatus.ALIVE);
            LOG.info("Node {} is alive again", nodeId);
            return Mutation.of(withElections(current, alive,
                    (state, unclean) -> Elections.onNodeReturn(state, nodeId, eligible(current, alive), unclean), true), null);
        }).doOnSuccess(v -> reassignments.advanceLater());
    }

    /**
     * Controlled shutdown: the node stops being eligible to lead, its leaderships move where an in-sync replica can
     * take them, and it leaves ISRs. Answers how many partitions it still leads (those had no other in-sync replica).
     */
    Mono<ShutdownResponse> shutdown(int nodeId) {
        return metadata.submit(view -> {
            NodeInfo node = view.node(nodeId).orElseThrow(() ->
                    ErrorCode.UNKNOWN_NODE.exception("Node " + nodeId + " is not registered"));
            NodeInfo stopping = node.withStatus(NodeStatus.SHUTTING_DOWN);
            IntPredicate eligible = eligible(view, stopping);
            MetadataChange change = withElections(view, stopping,
                    (state, unclean) -> Elections.onControlledShutdown(state, nodeId, eligible), false);
            MetadataView after = new MetadataView(view.metadata().apply(change.toDelta(view.version() + 1)));
            long stillLeading = after.metadata().topics().stream()
                    .flatMap(t -> t.partitions().stream())
                    .filter(p -> p.leader() == nodeId)
                    .count();
            LOG.info("Node {} is shutting down; it still leads {} partitions", nodeId, stillLeading);
            return Mutation.of(change, new ShutdownResponse(nodeId, (int) stillLeading));
        }).doOnSuccess(response -> reassignments.advanceLater());
    }

    /**
     * Replicas of a live node whose logs went offline (Kafka's failed log directory): each leaves the ISR (unless it
     * is the last member) and, where it led, leadership moves by clean election to another in-sync replica under a
     * new epoch — or the partition has no leader, if there is none: an offline log cannot serve, and only a restart
     * of the node (a new incarnation, its logs reopened and recovered) makes it eligible again there. Replicas of
     * topics since deleted are ignored.
     */
    Mono<Void> offlineReplicas(int nodeId, OfflineReplicasRequest request) {
        if (request.replicas() == null || request.replicas().isEmpty()) {
            return Mono.error(ErrorCode.INVALID_REQUEST.exception("replicas must name at least one partition"));
        }
        return metadata.<Void>submit(view -> {
            NodeInfo node = view.node(nodeId).orElseThrow(() ->
                    ErrorCode.UNKNOWN_NODE.exception("Node " + nodeId + " is not registered"));
            Set<TopicPartition> offline = new HashSet<>();
            request.replicas().forEach(r -> offline.add(new TopicPartition(r.topic(), r.partition())));
            IntPredicate others = id -> id != nodeId && eligible(view, node).test(id);
            LOG.warn("Node {} reports offline logs for {}: moving their leaderships", nodeId, offline);
            MetadataChange change = PartitionChanges.forEachPartition(view, List.of(), (topic, state) ->
                    offline.contains(new TopicPartition(topic.name(), state.partition()))
                            ? Elections.onNodeDeath(state, nodeId, others, false) : state);
            return Mutation.of(change, null);
        }).doOnSuccess(v -> reassignments.advanceLater());
    }

    /**
     * A peer could not reach {@code nodeId}. The coordinator probes it; if its address refuses connections the process
     * is gone, and the node is declared dead now — its leaderships move — rather than after the session timeout. A
     * report about a node already dead, or one that answers, changes nothing; so does a probe that outlived the node's
     * incarnation (it registered again meanwhile).
     */
    Mono<Void> reportUnreachable(int nodeId) {
        NodeInfo node = metadata.view().node(nodeId).orElse(null);
        if (node == null) {
            return Mono.error(ErrorCode.UNKNOWN_NODE.exception("Node " + nodeId + " is not registered"));
        }
        if (node.status() == NodeStatus.DEAD || !probing.add(nodeId)) {
            return Mono.empty();
        }
        return probe.refusesConnections(node.url())
                .flatMap(refused -> !refused ? Mono.<Void>empty() : metadata.<Void>submit(view -> {
                    NodeInfo now = view.node(nodeId).orElse(null);
                    if (now == null || now.status() == NodeStatus.DEAD
                            || !Objects.equals(now.incarnation(), node.incarnation())) {
                        return Mutation.none(null);
                    }
                    LOG.warn("Node {} refuses connections at {}: declaring it dead without waiting for its session "
                            + "to expire", nodeId, now.url());
                    return deathOf(view, now, clock.millis());
                }).doOnSuccess(v -> reassignments.advanceLater()))
                .doFinally(signal -> probing.remove(nodeId));
    }

    /** Declares dead every node whose session expired, electing new leaders for what it led. */
    public Mono<Void> expireSessions() {
        if (!metadata.isReady()) {
            return Mono.empty();
        }
        List<Integer> candidates = metadata.view().metadata().nodes().stream()
                .filter(n -> n.status() != NodeStatus.DEAD)
                .map(NodeInfo::id)
                .toList();
        return Flux.fromIterable(liveness.expired(candidates, properties.sessionTimeout()))
                .concatMap(this::declareDead)
                .then();
    }

    private Mono<Void> declareDead(int nodeId) {
        return metadata.<Void>submit(view -> {
            NodeInfo node = view.node(nodeId).orElse(null);
            if (node == null || node.status() == NodeStatus.DEAD
                    || liveness.expired(List.of(nodeId), properties.sessionTimeout()).isEmpty()) {
                return Mutation.none(null);
            }
            LOG.warn("Node {} missed heartbeats for {}: declaring it dead", nodeId, properties.sessionTimeout());
            return deathOf(view, node, clock.millis());
        }).doOnSuccess(v -> reassignments.advanceLater()).onErrorResume(e -> {
            // Not swallowed: the node stays a candidate, and the next session check tries again.
            LOG.warn("Could not declare node {} dead: {}; trying again at the next check", nodeId, e.toString());
            return Mono.empty();
        });
    }

    /** {@code node} dead since {@code nowMs}, with the elections that implies. */
    private static Mutation<Void> deathOf(MetadataView view, NodeInfo node, long nowMs) {
        NodeInfo dead = node.deadSince(nowMs);
        IntPredicate eligible = eligible(view, dead);
        return Mutation.of(withElections(view, dead, (state, unclean) -> Elections.onNodeDeath(state, node.id(), eligible,
                unclean), true), null);
    }

    /**
     * Starts every node's session afresh: called before this coordinator loads its metadata to become active, so
     * that no session check sees the metadata before the sessions began.
     */
    public void restartSessions() {
        liveness.restartSessions();
    }

    /** Stops session expiry: called when this coordinator stops being active. */
    public void stopSessions() {
        liveness.stopSessions();
    }

    /**
     * The node change plus, for every partition, {@code election} applied; it is told to fall back to an unclean
     * election where {@code allowUnclean} and the topic allows it. Unchanged partitions are left out.
     */
    private static MetadataChange withElections(MetadataView view, NodeInfo node,
                                                BiFunction<PartitionState, Boolean, PartitionState> election,
                                                boolean allowUnclean) {
        return PartitionChanges.forEachPartition(view, List.of(node), (topic, state) ->
                election.apply(state, allowUnclean && PartitionChanges.uncleanAllowed(topic)));
    }

    /** Nodes that may lead: alive and not shutting down, judged with {@code changed} in place of its old record. */
    static IntPredicate eligible(MetadataView view, NodeInfo changed) {
        return id -> {
            NodeInfo node = id == changed.id() ? changed : view.node(id).orElse(null);
            return node != null && node.status() == NodeStatus.ALIVE;
        };
    }
}

package io.sluice.partition.simulation;

import io.sluice.internal.coordinator.AlterPartitionRequest;
import io.sluice.internal.metadata.ClusterMetadata;
import io.sluice.internal.metadata.Elections;
import io.sluice.internal.metadata.NodeInfo;
import io.sluice.internal.metadata.NodeStatus;
import io.sluice.internal.metadata.PartitionState;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.protocol.ErrorCode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntPredicate;
import java.util.function.UnaryOperator;

/**
 * The coordinator as the replicas meet it, in memory: one always-active instance whose writes never fail (its own
 * failover and Redis are the multi-process chaos test's business). It keeps the rules the partition side relies on —
 * sessions that expire, a new incarnation of a live node fenced as a death, clean elections ({@link Elections}, the
 * coordinator's own rules), and AlterPartition accepted only from the current leader at the current leader and
 * partition epochs, with joining replicas alive and a repeat of a change already made answered with the stored state.
 */
final class SimulatedCoordinator {

    static final long SESSION_TIMEOUT_MS = 1_500;

    private final Simulation sim;
    private final Map<Integer, Member> members = new TreeMap<>();
    private TopicMetadata topic;
    private long version = 1;

    SimulatedCoordinator(Simulation sim, TopicMetadata topic) {
        this.sim = sim;
        this.topic = topic;
    }

    ClusterMetadata metadata() {
        List<NodeInfo> nodes = members.values().stream().map(Member::info).toList();
        return new ClusterMetadata(version, null, nodes, List.of(topic));
    }

    TopicMetadata topic() {
        return topic;
    }

    /** A process of {@code node} registers; a new incarnation while the old one still counts alive fences the old. */
    void register(int node, String url, String incarnation) {
        Member existing = members.get(node);
        if (existing != null && existing.alive() && !existing.incarnation().equals(incarnation)) {
            declareDead(node);
        }
        if (existing != null && existing.alive() && existing.incarnation().equals(incarnation)) {
            existing.lastHeartbeatMs = sim.nowMs();
            return;
        }
        members.put(node, new Member(node, url, incarnation, true, sim.nowMs()));
        IntPredicate eligible = this::alive;
        change(state -> Elections.onNodeReturn(state, node, eligible, false));
    }

    /** A heartbeat; a node declared dead comes back (its process did not restart: same incarnation). */
    void heartbeat(int node) {
        Member member = members.get(node);
        if (member == null) {
            throw ErrorCode.UNKNOWN_NODE.exception("Node " + node + " is not registered");
        }
        member.lastHeartbeatMs = sim.nowMs();
        if (!member.alive()) {
            member.status = NodeStatus.ALIVE;
            IntPredicate eligible = this::alive;
            change(state -> Elections.onNodeReturn(state, node, eligible, false));
        }
    }

    /** Declares dead every live node silent for longer than the session timeout. */
    void expireSessions() {
        for (Member member : List.copyOf(members.values())) {
            if (member.alive() && sim.nowMs() - member.lastHeartbeatMs > SESSION_TIMEOUT_MS) {
                declareDead(member.id);
            }
        }
    }

    /** A follower could not connect to {@code node}: if nothing listens there, it is dead now (the probe). */
    void reportUnreachable(int node, boolean listening) {
        Member member = members.get(node);
        if (member != null && member.alive() && !listening) {
            declareDead(node);
        }
    }

    private void declareDead(int node) {
        members.get(node).status = NodeStatus.DEAD;
        IntPredicate eligible = this::alive;
        change(state -> Elections.onNodeDeath(state, node, eligible, false));
    }

    PartitionState alterPartition(int partition, AlterPartitionRequest request) {
        PartitionState state = topic.partition(partition);
        if (request.leaderEpoch() < state.leaderEpoch()) {
            throw ErrorCode.FENCED_LEADER_EPOCH.exception("stale leader epoch " + request.leaderEpoch());
        }
        if (request.leaderEpoch() > state.leaderEpoch()) {
            throw ErrorCode.UNKNOWN_LEADER_EPOCH.exception("unknown leader epoch " + request.leaderEpoch());
        }
        if (request.leaderId() != state.leader()) {
            throw ErrorCode.NOT_LEADER.exception("node " + request.leaderId() + " does not lead");
        }
        if (request.partitionEpoch() < state.partitionEpoch()
                && new HashSet<>(request.isr()).equals(new HashSet<>(state.isr()))) {
            return state;
        }
        if (request.partitionEpoch() != state.partitionEpoch()) {
            throw ErrorCode.STALE_PARTITION_EPOCH.exception("stale partition epoch " + request.partitionEpoch());
        }
        if (!request.isr().contains(state.leader()) || !state.replicas().containsAll(request.isr())) {
            throw ErrorCode.INVALID_REQUEST.exception("bad ISR " + request.isr());
        }
        for (int replica : request.isr()) {
            if (!state.isr().contains(replica) && !alive(replica)) {
                throw ErrorCode.INELIGIBLE_REPLICA.exception("replica " + replica + " is not alive");
            }
            if (!state.isr().contains(replica)
                    && !members.get(replica).incarnation.equals(request.joinerIncarnations().get(replica))) {
                throw ErrorCode.INELIGIBLE_REPLICA.exception("replica " + replica + " was qualified by incarnation "
                        + request.joinerIncarnations().get(replica) + ", not the one it runs");
            }
        }
        PartitionState updated = state.withIsr(state.replicas().stream().filter(request.isr()::contains).toList());
        topic = topic.withPartition(updated);
        version++;
        return updated;
    }

    boolean alive(int node) {
        Member member = members.get(node);
        return member != null && member.alive();
    }

    private void change(UnaryOperator<PartitionState> election) {
        List<PartitionState> states = new ArrayList<>();
        for (PartitionState state : topic.partitions()) {
            states.add(election.apply(state));
        }
        topic = topic.withPartitions(states);
        version++;
    }

    private static final class Member {
        final int id;
        final String url;
        final String incarnation;
        NodeStatus status;
        long lastHeartbeatMs;

        Member(int id, String url, String incarnation, boolean alive, long lastHeartbeatMs) {
            this.id = id;
            this.url = url;
            this.incarnation = incarnation;
            this.status = alive ? NodeStatus.ALIVE : NodeStatus.DEAD;
            this.lastHeartbeatMs = lastHeartbeatMs;
        }

        boolean alive() {
            return status == NodeStatus.ALIVE;
        }

        String incarnation() {
            return incarnation;
        }

        NodeInfo info() {
            return new NodeInfo(id, url, null, status, incarnation);
        }
    }
}

package io.sluice.coordinator.cluster;

import io.sluice.internal.metadata.NodeInfo;
import io.sluice.protocol.ErrorCode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Chooses replicas for new partitions, the way Kafka's assignment does, adapted to balance with what is already
 * placed:
 * <ol>
 *   <li>Nodes are ordered so that consecutive ones sit in different racks (racks interleaved; without racks, by
 *       id). Any {@code rf} consecutive nodes of that ring then span {@code min(rf, racks)} racks.</li>
 *   <li>Partition {@code i}'s leader is ring position {@code start + i}; its followers are the next nodes on the
 *       ring, spaced by a shift that grows every full turn so that follower sets vary between turns.</li>
 *   <li>{@code start} is the node that leads the fewest partitions cluster-wide, so leaders stay balanced across
 *       topics, not just within one.</li>
 * </ol>
 * Pure function of its inputs; deterministic.
 */
public final class ReplicaPlacer {

    private ReplicaPlacer() {
    }

    /**
     * @param liveNodes      the nodes that may receive replicas
     * @param leaderCounts   partitions each node currently leads (missing = 0)
     * @param firstPartition the id of the first new partition (0 for a new topic)
     * @param count          how many partitions to place
     * @param rf             replicas per partition
     * @return one replica list per new partition, preferred leader first
     */
    public static List<List<Integer>> place(List<NodeInfo> liveNodes, Map<Integer, Integer> leaderCounts,
                                            int firstPartition, int count, int rf) {
        if (rf < 1 || rf > liveNodes.size()) {
            throw ErrorCode.INVALID_REPLICATION_FACTOR.exception("Replication factor " + rf + " needs at least " + rf
                    + " live nodes; " + liveNodes.size() + " are alive");
        }
        List<Integer> ring = rackAlternatingOrder(liveNodes);
        Map<Integer, String> rackOf = new HashMap<>();
        liveNodes.forEach(node -> rackOf.put(node.id(), Objects.requireNonNullElse(node.rack(), "")));
        int rackCount = (int) rackOf.values().stream().distinct().count();
        int n = ring.size();
        int start = 0;
        for (int i = 1; i < n; i++) {
            if (leaderCounts.getOrDefault(ring.get(i), 0) < leaderCounts.getOrDefault(ring.get(start), 0)) {
                start = i;
            }
        }
        List<List<Integer>> assignment = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int position = start + i;
            int leaderIndex = position % n;
            // Vary the distance to followers per turn of the ring (1..n-1), as Kafka's replica shift does.
            int shift = n == 1 ? 0 : 1 + ((firstPartition + i) / n) % (n - 1);
            List<Integer> replicas = new ArrayList<>(rf);
            replicas.add(ring.get(leaderIndex));
            for (int r = 1; r < rf; r++) {
                replicas.add(nextReplica(ring, (leaderIndex + shift + r - 1) % n, replicas, rackOf, rackCount));
            }
            assignment.add(List.copyOf(replicas));
        }
        return assignment;
    }

    /**
     * The first node on the ring from {@code from} that is not yet a replica, preferring one in a rack the
     * partition does not use yet while such racks remain.
     */
    private static int nextReplica(List<Integer> ring, int from, List<Integer> chosen, Map<Integer, String> rackOf,
                                   int rackCount) {
        Set<String> usedRacks = new HashSet<>();
        chosen.forEach(node -> usedRacks.add(rackOf.get(node)));
        boolean wantNewRack = usedRacks.size() < rackCount;
        int fallback = -1;
        for (int step = 0; step < ring.size(); step++) {
            int node = ring.get((from + step) % ring.size());
            if (chosen.contains(node)) {
                continue;
            }
            if (!wantNewRack || !usedRacks.contains(rackOf.get(node))) {
                return node;
            }
            if (fallback < 0) {
                fallback = node;
            }
        }
        return fallback;
    }

    /** Node ids ordered rack by rack in turn: r1n1, r2n1, r3n1, r1n2, … (just by id when no racks are set). */
    static List<Integer> rackAlternatingOrder(List<NodeInfo> nodes) {
        Map<String, List<Integer>> byRack = new LinkedHashMap<>();
        nodes.stream()
                .sorted(Comparator.comparing((NodeInfo node) -> Objects.requireNonNullElse(node.rack(), ""))
                        .thenComparingInt(NodeInfo::id))
                .forEach(node -> byRack.computeIfAbsent(Objects.requireNonNullElse(node.rack(), ""), r -> new ArrayList<>())
                        .add(node.id()));
        List<Integer> order = new ArrayList<>(nodes.size());
        for (int round = 0; order.size() < nodes.size(); round++) {
            for (List<Integer> rack : byRack.values()) {
                if (round < rack.size()) {
                    order.add(rack.get(round));
                }
            }
        }
        return order;
    }
}

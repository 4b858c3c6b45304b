package io.sluice.coordinator.balance;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.coordinator.balance.MovePlanner.Limits;
import io.sluice.coordinator.balance.MovePlanner.Move;
import io.sluice.coordinator.balance.MovePlanner.Node;
import io.sluice.coordinator.balance.MovePlanner.Partition;
import io.sluice.coordinator.balance.MovePlanner.Reason;
import io.sluice.coordinator.balance.MovePlanner.Role;
import io.sluice.protocol.TopicPartition;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * The move planner over generated clusters: nodes in zero to four racks, some alive, some down for a while, some
 * being decommissioned, some gone for good; topics of any replication factor whose replicas sit anywhere, some
 * partitions already moving or without a leader. Every plan is valid (distinct live target nodes, bounded, nothing
 * moving touched but a move to a lost node redirected) and minimal (a move changes only what its rule asks for); plans are deterministic; and plans applied
 * one after another stop, leaving nothing on nodes being left where it could move, racks spread, and replica counts
 * and preferred leaders within tolerance (or, where racks forbid it, where no single move narrows the spread).
 *
 * <p>A cluster is built from a seed (jqwik prints it with a failure, and replays a failed one first on the next run).
 */
class MovePlannerProperties {

    /** A generated cluster and the limits to plan it with. */
    record Cluster(long seed, List<Node> nodes, List<Partition> partitions, Limits limits) {

        Set<Integer> ids(Role role) {
            Set<Integer> ids = new HashSet<>();
            nodes.stream().filter(n -> n.role() == role).forEach(n -> ids.add(n.id()));
            return ids;
        }

        String rack(int id) {
            return nodes.stream().filter(n -> n.id() == id).findFirst().map(n -> Objects.requireNonNullElse(n.rack(),
                    "")).orElse("");
        }

        int targetRacks() {
            return (int) ids(Role.TARGET).stream().map(this::rack).distinct().count();
        }

        Cluster with(List<Partition> newPartitions) {
            return new Cluster(seed, nodes, newPartitions, limits);
        }

        @Override
        public String toString() {
            return "Cluster[seed=" + seed + ", nodes=" + nodes + ", limits=" + limits + ", partitions="
                    + partitions.size() + "]";
        }
    }

    @Property(tries = 300)
    void everyPlanIsValidBoundedAndMinimal(@ForAll("clusters") Cluster cluster) {
        List<Move> moves = MovePlanner.plan(cluster.nodes(), cluster.partitions(), cluster.limits());

        Map<TopicPartition, Partition> byId = new HashMap<>();
        cluster.partitions().forEach(p -> byId.put(p.id(), p));
        long moving = cluster.partitions().stream().filter(Partition::moving).count();
        assertThat(moves.stream().filter(move -> !move.redirect())).as("moves, with %s moving already", moving)
                .hasSizeLessThanOrEqualTo((int) Math.max(0, cluster.limits().maxConcurrentMoves() - moving));
        assertThat(moves.stream().map(Move::partition).distinct().count()).isEqualTo(moves.size());
        Set<Integer> targets = cluster.ids(Role.TARGET);
        Set<Integer> leaving = new HashSet<>(cluster.ids(Role.DRAIN));
        leaving.addAll(cluster.ids(Role.LOST));
        for (Move move : moves) {
            Partition partition = byId.get(move.partition());
            assertThat(partition.moving()).as("%s is moving already", move).isEqualTo(move.redirect());
            if (move.redirect()) {
                assertThat(move.from()).as("%s redirects a move to a lost node", move)
                        .containsAnyElementsOf(cluster.ids(Role.LOST));
            }
            assertThat(partition.hasLeader()).as("%s has no leader", move).isTrue();
            assertThat(move.from()).isEqualTo(partition.replicas());
            assertThat(move.to()).as("%s", move).doesNotHaveDuplicates().hasSameSizeAs(move.from());
            List<Integer> added = new ArrayList<>(move.to());
            added.removeAll(move.from());
            List<Integer> removed = new ArrayList<>(move.from());
            removed.removeAll(move.to());
            assertThat(targets).as("%s adds only live nodes that are not decommissioning", move).containsAll(added);
            switch (move.reason()) {
                case DRAIN, REPAIR -> assertThat(leaving).as("%s removes only replicas that must leave", move)
                        .containsAll(removed).isNotEmpty();
                case RACK, REPLICAS, BYTES -> {
                    assertThat(removed).as("%s moves one replica", move).hasSize(1);
                    assertThat(racks(cluster, move.to())).as("%s keeps its rack spread", move)
                            .isGreaterThanOrEqualTo(racks(cluster, move.from()) + (move.reason() == Reason.RACK ? 1 : 0));
                }
                case LEADERS -> {
                    assertThat(removed).as("%s only reorders", move).isEmpty();
                    assertThat(partition.isr()).as("%s prefers an in-sync replica", move).contains(move.to().getFirst());
                }
            }
            if (move.reason() != Reason.LEADERS && !move.from().contains(move.to().getFirst())) {
                assertThat(move.to().stream().filter(move.from()::contains).filter(targets::contains))
                        .as("%s prefers a new, empty replica though a replica that stays may lead", move).isEmpty();
            }
        }
        moves.forEach(m -> Statistics.label("reason").collect(m.reason()));
    }

    @Property(tries = 200)
    void thePlanDependsOnTheClusterNotOnTheOrderItIsListedIn(@ForAll("clusters") Cluster cluster) {
        List<Node> nodes = new ArrayList<>(cluster.nodes());
        List<Partition> partitions = new ArrayList<>(cluster.partitions());
        Random random = new Random(cluster.seed());
        Collections.shuffle(nodes, random);
        Collections.shuffle(partitions, random);

        assertThat(MovePlanner.plan(nodes, partitions, cluster.limits()))
                .isEqualTo(MovePlanner.plan(cluster.nodes(), cluster.partitions(), cluster.limits()));
    }

    @Property(tries = 200)
    void plansAppliedOneAfterAnotherConvergeToABalancedRackAwareAssignment(@ForAll("clusters") Cluster generated) {
        // Moves are applied as soon as planned, so nothing stays moving.
        Cluster cluster = generated.with(generated.partitions().stream()
                .map(p -> new Partition(p.id(), p.replicas(), p.isr(), p.hasLeader(), false, p.sizeBytes())).toList());
        Limits limits = new Limits(Math.max(1, cluster.limits().maxConcurrentMoves()),
                cluster.limits().replicaTolerance(), cluster.limits().leaderTolerance(), true,
                cluster.limits().byteTolerance(), cluster.limits().minByteSpread());

        Cluster converged = converge(cluster, limits);

        assertThat(MovePlanner.plan(converged.nodes(), converged.partitions(), limits)).isEmpty();
        Set<Integer> targets = cluster.ids(Role.TARGET);
        for (Partition partition : converged.partitions()) {
            assertThat(partition.replicas()).doesNotHaveDuplicates()
                    .hasSameSizeAs(byId(cluster).get(partition.id()).replicas());
            if (!partition.hasLeader()) {
                assertThat(partition.replicas()).isEqualTo(byId(cluster).get(partition.id()).replicas());
                continue;
            }
            boolean leftBehind = partition.replicas().stream()
                    .anyMatch(r -> cluster.ids(Role.DRAIN).contains(r) || cluster.ids(Role.LOST).contains(r));
            if (leftBehind) {
                assertThat(partition.replicas()).as("%s keeps a replica on a node being left only when every live "
                        + "node holds one", partition).containsAll(targets);
            }
            if (targets.containsAll(partition.replicas())) {
                assertThat(racks(cluster, partition.replicas())).as("%s spans as many racks as it can", partition)
                        .isGreaterThanOrEqualTo(Math.min(partition.replicas().size(), cluster.targetRacks()));
            }
        }
        Map<Integer, Integer> replicas = load(converged, false);
        Map<Integer, Integer> leaders = load(converged, true);
        boolean constrained = cluster.targetRacks() > 1 || converged.partitions().stream()
                .anyMatch(p -> !p.hasLeader());
        if (!constrained) {
            assertThat(spread(replicas)).as("replica counts %s", replicas)
                    .isLessThanOrEqualTo(limits.replicaTolerance());
        } else if (spread(replicas) > limits.replicaTolerance()) {
            assertThat(anyReplicaMoveNarrows(converged, replicas)).as("a replica move that narrows %s", replicas)
                    .isFalse();
        }
        if (spread(leaders) > limits.leaderTolerance()) {
            assertThat(anyLeaderMoveNarrows(converged, leaders)).as("a leadership move that narrows %s", leaders)
                    .isFalse();
        }
        Map<Integer, Long> bytes = bytes(converged);
        boolean bytesBalanced = byteSpread(bytes) <= allowance(bytes, limits);
        if (!bytesBalanced) {
            assertThat(anyByteTransferNarrows(converged, replicas, bytes, limits))
                    .as("a replica or swap that narrows the bytes %s", bytes).isFalse();
        }
        Statistics.label("bytes within tolerance").collect(bytesBalanced);
        Statistics.label("replica counts within tolerance").collect(spread(replicas) <= limits.replicaTolerance());
        Statistics.label("leaders within tolerance").collect(spread(leaders) <= limits.leaderTolerance());
    }

    @Property(tries = 200)
    void whenANodeJoinsABalancedClusterEveryReplicaThatMovesGoesToIt(@ForAll("clusters") Cluster generated) {
        List<Node> nodes = generated.nodes().stream().map(n -> new Node(n.id(), null, Role.TARGET)).toList();
        Cluster cluster = generated.with(generated.partitions().stream()
                .map(p -> new Partition(p.id(), p.replicas(), p.isr(), true, false, p.sizeBytes())).toList());
        cluster = new Cluster(cluster.seed(), nodes, cluster.partitions(), Limits.unbounded());
        Cluster balanced = converge(cluster, Limits.unbounded());
        int joined = nodes.size() + 1;
        List<Node> grown = new ArrayList<>(nodes);
        grown.add(new Node(joined, null, Role.TARGET));

        List<Move> moves = MovePlanner.plan(grown, balanced.partitions(), Limits.unbounded());

        for (Move move : moves.stream().filter(m -> m.reason() == Reason.REPLICAS).toList()) {
            List<Integer> added = new ArrayList<>(move.to());
            added.removeAll(move.from());
            assertThat(added).as("%s", move).containsExactly(joined);
        }
        Statistics.label("replicas moved to the new node").collect(moves.stream()
                .filter(m -> m.reason() == Reason.REPLICAS).count() > 0);
    }

    @Property(tries = 300)
    void bytesMoveOnlyWhereTheyNarrowTheBytesAndKeepReplicaCountsInTolerance(@ForAll("clusters") Cluster cluster) {
        List<Move> moves = MovePlanner.plan(cluster.nodes(), cluster.partitions(), cluster.limits());
        List<Move> bytesMoves = moves.stream().filter(m -> m.reason() == Reason.BYTES).toList();
        // Byte moves come after those that move replicas for other reasons, and leadership moves move no bytes.
        Cluster before = apply(cluster, moves.stream().filter(m -> m.reason() != Reason.BYTES).toList());
        Cluster after = apply(before, bytesMoves);

        Map<Integer, Long> bytesBefore = bytes(before);
        if (!bytesMoves.isEmpty()) {
            assertThat(byteSpread(bytesBefore)).as("bytes %s", bytesBefore)
                    .isGreaterThan(allowance(bytesBefore, cluster.limits()));
            assertThat(sumOfSquares(bytes(after))).as("bytes %s, then %s", bytesBefore, bytes(after))
                    .isLessThan(sumOfSquares(bytesBefore));
            if (spread(load(before, false)) <= cluster.limits().replicaTolerance()) {
                assertThat(spread(load(after, false))).as("replica counts %s, then %s", load(before, false),
                        load(after, false)).isLessThanOrEqualTo(cluster.limits().replicaTolerance());
            } else {
                assertThat(load(after, false)).as("replica counts, out of tolerance: only swaps")
                        .isEqualTo(load(before, false));
            }
        }
        Statistics.label("bytes moved").collect(!bytesMoves.isEmpty());
    }

    @Provide
    Arbitrary<Cluster> clusters() {
        return Arbitraries.longs().map(MovePlannerProperties::cluster);
    }

    /** A cluster drawn from {@code seed}. */
    static Cluster cluster(long seed) {
        Random random = new Random(seed);
        int nodeCount = 1 + random.nextInt(8);
        int rackCount = random.nextInt(5);
        List<Node> nodes = new ArrayList<>();
        for (int id = 1; id <= nodeCount; id++) {
            String rack = rackCount == 0 ? null : "rack-" + random.nextInt(rackCount);
            int draw = random.nextInt(10);
            Role role = id == 1 || draw < 6 ? Role.TARGET : draw < 7 ? Role.HOLD : draw < 8 ? Role.DRAIN : Role.LOST;
            nodes.add(new Node(id, rack, role));
        }
        List<Integer> ids = new ArrayList<>(nodes.stream().map(Node::id).toList());
        List<Partition> partitions = new ArrayList<>();
        int topics = 1 + random.nextInt(3);
        for (int t = 0; t < topics; t++) {
            int count = 1 + random.nextInt(10);
            int rf = 1 + random.nextInt(Math.min(3, nodeCount));
            for (int p = 0; p < count; p++) {
                Collections.shuffle(ids, random);
                List<Integer> replicas = List.copyOf(ids.subList(0, rf));
                List<Integer> isr = replicas.stream().filter(r -> random.nextInt(4) > 0).toList();
                // Sizes unknown (0) now and then, skewed otherwise: a few large partitions among small ones.
                long size = random.nextInt(5) == 0 ? 0 : random.nextInt(4) == 0 ? 500 + random.nextInt(1500)
                        : random.nextInt(200);
                partitions.add(new Partition(new TopicPartition("topic-" + t, p), replicas,
                        isr.isEmpty() ? replicas.subList(0, 1) : isr, random.nextInt(10) > 0, random.nextInt(10) == 0,
                        size));
            }
        }
        Limits limits = new Limits(random.nextInt(12), 1 + random.nextInt(2), 1 + random.nextInt(2), true,
                0.05 + random.nextInt(10) / 20.0, random.nextBoolean() ? 0 : random.nextInt(500));
        return new Cluster(seed, List.copyOf(nodes), List.copyOf(partitions), limits);
    }

    /** Plans applied at once, one after another, until one proposes nothing. */
    static Cluster converge(Cluster cluster, Limits limits) {
        Map<TopicPartition, Partition> current = new TreeMap<>(byId(cluster));
        for (int round = 0; round < 5_000; round++) {
            List<Move> moves = MovePlanner.plan(cluster.nodes(), List.copyOf(current.values()), limits);
            if (moves.isEmpty()) {
                return cluster.with(List.copyOf(current.values()));
            }
            for (Move move : moves) {
                Partition before = current.get(move.partition());
                current.put(move.partition(), new Partition(before.id(), move.to(), move.to(), before.hasLeader(),
                        false, before.sizeBytes()));
            }
        }
        throw new AssertionError("plans did not converge for " + cluster);
    }

    private static Map<TopicPartition, Partition> byId(Cluster cluster) {
        Map<TopicPartition, Partition> byId = new HashMap<>();
        cluster.partitions().forEach(p -> byId.put(p.id(), p));
        return byId;
    }

    private static int racks(Cluster cluster, List<Integer> replicas) {
        return (int) replicas.stream().map(cluster::rack).distinct().count();
    }

    /** Replicas (or preferred leaderships) per target node. */
    private static Map<Integer, Integer> load(Cluster cluster, boolean leaders) {
        Map<Integer, Integer> load = new TreeMap<>();
        cluster.ids(Role.TARGET).forEach(id -> load.put(id, 0));
        for (Partition partition : cluster.partitions()) {
            List<Integer> counted = leaders ? partition.replicas().subList(0, 1) : partition.replicas();
            counted.forEach(r -> load.computeIfPresent(r, (id, n) -> n + 1));
        }
        return load;
    }

    private static int spread(Map<Integer, Integer> load) {
        if (load.isEmpty()) {
            return 0;
        }
        return Collections.max(load.values()) - Collections.min(load.values());
    }

    /** Whether some movable partition could move a replica from a node to one holding two fewer, racks kept. */
    private static boolean anyReplicaMoveNarrows(Cluster cluster, Map<Integer, Integer> load) {
        for (int heavy : load.keySet()) {
            for (int light : load.keySet()) {
                if (load.get(heavy) - load.get(light) < 2) {
                    continue;
                }
                for (Partition p : cluster.partitions()) {
                    if (!p.hasLeader() || !p.replicas().contains(heavy) || p.replicas().contains(light)) {
                        continue;
                    }
                    List<Integer> moved = new ArrayList<>(p.replicas());
                    moved.set(moved.indexOf(heavy), light);
                    if (racks(cluster, moved) >= racks(cluster, p.replicas())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** Whether some movable partition led by a node could prefer an in-sync replica on one leading two fewer. */
    private static boolean anyLeaderMoveNarrows(Cluster cluster, Map<Integer, Integer> load) {
        for (Partition p : cluster.partitions()) {
            int heavy = p.replicas().getFirst();
            if (!p.hasLeader() || !load.containsKey(heavy)) {
                continue;
            }
            for (int light : p.isr()) {
                if (load.containsKey(light) && load.get(heavy) - load.get(light) >= 2) {
                    return true;
                }
            }
        }
        return false;
    }

    /** {@code moves} applied to {@code cluster}, as planned. */
    private static Cluster apply(Cluster cluster, List<Move> moves) {
        Map<TopicPartition, Partition> current = new TreeMap<>(byId(cluster));
        for (Move move : moves) {
            Partition p = current.get(move.partition());
            current.put(p.id(), new Partition(p.id(), move.to(), p.isr(), p.hasLeader(), p.moving(), p.sizeBytes()));
        }
        return cluster.with(List.copyOf(current.values()));
    }

    /** Bytes per target node: the sizes of the partitions it holds a replica of. */
    private static Map<Integer, Long> bytes(Cluster cluster) {
        Map<Integer, Long> bytes = new TreeMap<>();
        cluster.ids(Role.TARGET).forEach(id -> bytes.put(id, 0L));
        for (Partition partition : cluster.partitions()) {
            partition.replicas().forEach(r -> bytes.computeIfPresent(r, (id, n) -> n + partition.sizeBytes()));
        }
        return bytes;
    }

    private static long byteSpread(Map<Integer, Long> bytes) {
        return bytes.isEmpty() ? 0 : Collections.max(bytes.values()) - Collections.min(bytes.values());
    }

    private static long allowance(Map<Integer, Long> bytes, Limits limits) {
        double mean = bytes.values().stream().mapToLong(Long::longValue).average().orElse(0);
        return Math.max(limits.minByteSpread(), (long) (limits.byteTolerance() * mean));
    }

    private static double sumOfSquares(Map<Integer, Long> bytes) {
        return bytes.values().stream().mapToDouble(b -> (double) b * b).sum();
    }

    /**
     * Whether bytes could still move from a node to one holding more than the allowance fewer, fewer than the gap
     * and racks kept: one replica where replica counts stay within tolerance, or a larger replica swapped for a
     * smaller one (where a plan may start two moves).
     */
    private static boolean anyByteTransferNarrows(Cluster cluster, Map<Integer, Integer> counts,
                                                  Map<Integer, Long> bytes, Limits limits) {
        long allowance = allowance(bytes, limits);
        for (int heavy : bytes.keySet()) {
            for (int light : bytes.keySet()) {
                long gap = bytes.get(heavy) - bytes.get(light);
                if (gap <= allowance) {
                    continue;
                }
                List<Partition> leaving = new ArrayList<>();
                List<Partition> coming = new ArrayList<>();
                for (Partition p : cluster.partitions()) {
                    if (!p.hasLeader() || p.sizeBytes() == 0) {
                        continue;
                    }
                    if (p.replicas().contains(heavy) && !p.replicas().contains(light)
                            && keepsRacks(cluster, p.replicas(), heavy, light)) {
                        leaving.add(p);
                    } else if (p.replicas().contains(light) && !p.replicas().contains(heavy)
                            && keepsRacks(cluster, p.replicas(), light, heavy)) {
                        coming.add(p);
                    }
                }
                Map<Integer, Integer> after = new HashMap<>(counts);
                after.merge(heavy, -1, Integer::sum);
                after.merge(light, 1, Integer::sum);
                boolean oneMoveAllowed = spread(after) <= limits.replicaTolerance();
                for (Partition out : leaving) {
                    if (oneMoveAllowed && out.sizeBytes() < gap) {
                        return true;
                    }
                    // A swap is two moves at once: it needs two of the moves a plan may start.
                    for (Partition in : limits.maxConcurrentMoves() >= 2 ? coming : List.<Partition>of()) {
                        long net = out.sizeBytes() - in.sizeBytes();
                        if (net > 0 && net < gap) {
                            return true;
                        }
                    }
                }
            }
        }
        return false;
    }

    private static boolean keepsRacks(Cluster cluster, List<Integer> replicas, int from, int to) {
        List<Integer> moved = new ArrayList<>(replicas);
        moved.set(moved.indexOf(from), to);
        return racks(cluster, moved) >= racks(cluster, replicas);
    }
}

package io.sluice.coordinator.balance;

import io.sluice.protocol.TopicPartition;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Where replicas should go: the one planner behind the automatic balancer, node decommissioning, the repair of
 * partitions that lost a node for good, and a proposed assignment for a given set of nodes (Kafka's
 * {@code kafka-reassign-partitions --generate}). Pure functions of their inputs: no Spring, no I/O, no clock;
 * deterministic (the same cluster, in any order, gives the same plan).
 *
 * <p>Each node has a {@link Role}. A plan is a list of {@link Move}s, each a partition's current replicas and the
 * ones it should have, taken in this order until {@link Limits#maxConcurrentMoves} (less the partitions already
 * moving) is reached:
 * <ol>
 *   <li><b>Drain and repair</b>: every replica on a {@link Role#DRAIN} or {@link Role#LOST} node is replaced, in its
 *       place in the replica list, by a {@link Role#TARGET} node the partition does not use, preferring a rack the
 *       partition does not use yet, then the node holding the fewest replicas, then the lowest id. A replica with no
 *       possible replacement stays. A partition whose move under way goes to a {@link Role#LOST} node is redirected
 *       first, the same way and whatever the bound (it is moving already): as it is, the move could never complete,
 *       the node never joining the ISR.</li>
 *   <li><b>Racks</b>: a partition whose replicas span fewer racks than it could (its replica count, or the number of
 *       racks among target nodes, whichever is smaller) moves one replica that shares a rack, from a target node, to
 *       the least loaded target node in a rack it does not use.</li>
 *   <li><b>Replica counts</b>: while the most loaded target node holds more than {@link Limits#replicaTolerance}
 *       replicas more than the least loaded one, one replica moves from a most loaded node to a least loaded one that
 *       holds at least two fewer (so every move narrows the spread), on a partition whose rack spread the move does not
 *       narrow; a follower replica is moved in preference to a preferred leader.</li>
 *   <li><b>Bytes</b>: while the target node holding the most bytes holds more than the byte allowance more than the
 *       one holding the fewest (the allowance: {@link Limits#byteTolerance} of the mean bytes per target node, and at
 *       least {@link Limits#minByteSpread}), bytes move from a heaviest node to a lightest one: one replica, where
 *       replica counts stay within their tolerance, or else a swap of a larger replica for a smaller one (two moves,
 *       so only where the plan may start two more); whichever moves nearest half the gap between the two nodes, and
 *       never as much as the gap, so every move narrows it; racks as for replica counts. A partition's bytes are what
 *       its largest replica holds.</li>
 *   <li><b>Preferred leaders</b>: the same for the number of partitions whose first replica is on each target node,
 *       within {@link Limits#leaderTolerance}, by reordering a partition's replicas so that an in-sync replica on a
 *       less loaded node comes first: no data moves; the preferred-leader election then moves the leadership.</li>
 * </ol>
 * In every move, where the preferred leader (the first replica) is replaced, the first replica that stays on a target
 * node is put first instead: a node being drained loses its preferred leaderships with its replicas, and a replica
 * that starts empty is never preferred. A partition moves at most once per plan, and only when one of these rules
 * asks for it: a replica on a target or {@link Role#HOLD} node moves only to narrow a rack or load spread. Partitions
 * that have no leader (a move could not progress: nothing to copy from) are left alone, and so are those moving
 * already but for a redirect; their replicas count where their moves go.
 *
 * <p>Balance is greedy: replica counts reach the tolerance whenever racks allow it (without racks they always do:
 * a node holding two more replicas than another holds some partition the other does not); preferred leaders, and
 * replica counts under rack constraints, stop where no single move of these rules narrows the spread. Plans applied
 * one after another converge: each move lowers, in this order of importance, the replicas on nodes being left, the
 * partitions short of racks, the replica counts' spread, the sum of the squares of the target nodes' bytes (a byte
 * move leaves replica counts within their tolerance, or, a swap, as they were), the spread of preferred leaders.
 */
final class MovePlanner {

    private MovePlanner() {
    }

    /** What the planner may do with a node. */
    enum Role {
        /** Alive and not decommissioning: may receive replicas. */
        TARGET,
        /** Down for less than the repair delay, or shutting down: its replicas stay, it receives nothing. */
        HOLD,
        /** Being decommissioned: every replica leaves it. */
        DRAIN,
        /** Gone for longer than the repair delay: every replica is recreated elsewhere. */
        LOST
    }

    /** Why a partition moves. */
    enum Reason { DRAIN, REPAIR, RACK, REPLICAS, BYTES, LEADERS }

    /** A node as the planner sees it; {@code rack} null when racks are not used. */
    record Node(int id, String rack, Role role) {
    }

    /**
     * A partition as the planner sees it.
     *
     * @param replicas  its replicas, preferred leader first (a moving partition's: where its move goes)
     * @param isr       its in-sync replicas
     * @param hasLeader whether it has a leader now
     * @param moving    whether a move is under way: it counts against the bound and is not planned
     * @param sizeBytes the bytes a replica of it holds (its largest replica's log); 0 when unknown
     */
    record Partition(TopicPartition id, List<Integer> replicas, List<Integer> isr, boolean hasLeader,
                     boolean moving, long sizeBytes) {

        Partition {
            replicas = List.copyOf(replicas);
            isr = List.copyOf(isr);
            if (sizeBytes < 0) {
                throw new IllegalArgumentException("size must be >= 0: " + sizeBytes);
            }
        }

        /** A partition of unknown size. */
        Partition(TopicPartition id, List<Integer> replicas, List<Integer> isr, boolean hasLeader, boolean moving) {
            this(id, replicas, isr, hasLeader, moving, 0);
        }
    }

    /**
     * @param maxConcurrentMoves the most partitions moving at once, those already moving included
     * @param replicaTolerance   how many more replicas than another a target node may hold (at least 1)
     * @param leaderTolerance    how many more preferred leaderships than another a target node may hold (at least 1)
     * @param balance            whether to fix racks and balance; without it only {@link Role#DRAIN} and
     *                           {@link Role#LOST} nodes are emptied
     * @param byteTolerance      how many more bytes than another a target node may hold, as a fraction of the mean
     *                           bytes per target node (more than 0)
     * @param minByteSpread      how many more bytes than another a target node may hold in any case: below it,
     *                           moving data is not worth its cost
     */
    record Limits(int maxConcurrentMoves, int replicaTolerance, int leaderTolerance, boolean balance,
                  double byteTolerance, long minByteSpread) {

        /** The default byte tolerance: 10 % of the mean. */
        static final double BYTE_TOLERANCE = 0.1;

        Limits {
            if (maxConcurrentMoves < 0 || replicaTolerance < 1 || leaderTolerance < 1 || !(byteTolerance > 0)
                    || minByteSpread < 0) {
                throw new IllegalArgumentException("moves and the minimum byte spread must be >= 0, tolerances >= 1 "
                        + "and the byte tolerance > 0: " + maxConcurrentMoves + ", " + replicaTolerance + ", "
                        + leaderTolerance + ", " + byteTolerance + ", " + minByteSpread);
            }
        }

        /** Bytes balanced within the default tolerance, whatever the spread. */
        Limits(int maxConcurrentMoves, int replicaTolerance, int leaderTolerance, boolean balance) {
            this(maxConcurrentMoves, replicaTolerance, leaderTolerance, balance, BYTE_TOLERANCE, 0);
        }

        /** No bound on moves, tolerances of one, everything planned. */
        static Limits unbounded() {
            return new Limits(Integer.MAX_VALUE, 1, 1, true);
        }

        Limits withMaxConcurrentMoves(int moves) {
            return new Limits(moves, replicaTolerance, leaderTolerance, balance, byteTolerance, minByteSpread);
        }
    }

    /**
     * One partition's move: from its current replicas to {@code to}; {@code redirect} when the partition is moving
     * already and this replaces where its move goes (from is that target).
     */
    record Move(TopicPartition partition, List<Integer> from, List<Integer> to, Reason reason, boolean redirect) {

        Move {
            from = List.copyOf(from);
            to = List.copyOf(to);
        }

        /** A move of a partition that is not moving yet. */
        Move(TopicPartition partition, List<Integer> from, List<Integer> to, Reason reason) {
            this(partition, from, to, reason, false);
        }
    }

    /** The moves to start now, in the order above. */
    static List<Move> plan(List<Node> nodes, List<Partition> partitions, Limits limits) {
        return new Round(nodes, partitions, limits).plan();
    }

    /**
     * Where every partition would end if plans were applied until one proposes nothing, with no bound on moves:
     * a proposed assignment for these nodes (those not {@link Role#TARGET} emptied when they are {@link Role#DRAIN}),
     * as Kafka's {@code --generate} answers for a broker list. Partitions that could not move keep their replicas.
     */
    static Map<TopicPartition, List<Integer>> propose(List<Node> nodes, List<Partition> partitions, Limits limits) {
        Limits unbounded = limits.withMaxConcurrentMoves(Integer.MAX_VALUE);
        Map<TopicPartition, Partition> current = new TreeMap<>();
        partitions.forEach(p -> current.put(p.id(), p));
        // Each plan lowers a bounded measure (see the class comment); the cap only guards against a bug looping.
        for (int round = 0; round < 10_000; round++) {
            List<Move> moves = plan(nodes, List.copyOf(current.values()), unbounded);
            if (moves.isEmpty()) {
                break;
            }
            for (Move move : moves) {
                Partition before = current.get(move.partition());
                current.put(move.partition(), new Partition(before.id(), move.to(), move.to(), before.hasLeader(),
                        before.moving(), before.sizeBytes()));
            }
        }
        Map<TopicPartition, List<Integer>> proposal = new LinkedHashMap<>();
        current.values().forEach(p -> proposal.put(p.id(), p.replicas()));
        return proposal;
    }

    /** One plan's working state: the assignment as the moves planned so far leave it, and the loads it gives. */
    private static final class Round {

        private final Map<Integer, Node> nodes = new HashMap<>();
        /** Target node ids, ascending. */
        private final List<Integer> targets;
        private final int targetRacks;
        private final List<Partition> partitions;
        private final Map<TopicPartition, List<Integer>> assignment = new HashMap<>();
        private final Map<Integer, Integer> replicaLoad = new HashMap<>();
        private final Map<Integer, Integer> leaderLoad = new HashMap<>();
        private final Map<Integer, Long> byteLoad = new HashMap<>();
        private final Set<TopicPartition> planned = new HashSet<>();
        private final List<Move> moves = new ArrayList<>();
        private final Limits limits;
        private int budget;

        Round(List<Node> nodeList, List<Partition> partitionList, Limits limits) {
            nodeList.forEach(node -> nodes.put(node.id(), node));
            this.targets = nodeList.stream().filter(n -> n.role() == Role.TARGET).map(Node::id).sorted().toList();
            this.targetRacks = (int) targets.stream().map(this::rack).distinct().count();
            this.partitions = partitionList.stream().sorted(Comparator.comparing(Partition::id)).toList();
            this.limits = limits;
            targets.forEach(id -> {
                replicaLoad.put(id, 0);
                leaderLoad.put(id, 0);
                byteLoad.put(id, 0L);
            });
            long moving = 0;
            for (Partition partition : partitions) {
                assignment.put(partition.id(), partition.replicas());
                count(partition, partition.replicas(), 1);
                moving += partition.moving() ? 1 : 0;
            }
            this.budget = (int) Math.max(0, limits.maxConcurrentMoves() - moving);
        }

        List<Move> plan() {
            drainAndRepair();
            if (limits.balance()) {
                spreadRacks();
                balanceReplicas();
                balanceBytes();
                balanceLeaders();
            }
            return List.copyOf(moves);
        }

        private void drainAndRepair() {
            // First the moves under way to a lost node, which could never complete (the node never joins the ISR).
            // Redirecting a move takes no slot: the partition is moving already.
            for (Partition partition : partitions) {
                if (partition.moving() && partition.hasLeader()
                        && assignment.get(partition.id()).stream().anyMatch(r -> role(r) == Role.LOST)) {
                    replaceLeaving(partition);
                }
            }
            for (Partition partition : partitions) {
                if (budget == 0) {
                    return;
                }
                if (movable(partition)) {
                    replaceLeaving(partition);
                }
            }
        }

        /** Moves {@code partition}'s replicas on nodes being left, each to its place, where a replacement exists. */
        private void replaceLeaving(Partition partition) {
            List<Integer> replicas = assignment.get(partition.id());
            if (replicas.stream().noneMatch(this::mustLeave)) {
                return;
            }
            List<Integer> replaced = new ArrayList<>(replicas);
            for (int i = 0; i < replaced.size(); i++) {
                if (mustLeave(replaced.get(i))) {
                    Set<String> used = new HashSet<>();
                    replaced.stream().filter(r -> !mustLeave(r)).forEach(r -> used.add(rack(r)));
                    int replacement = lightestTarget(replaced, used);
                    if (replacement >= 0) {
                        replaced.set(i, replacement);
                    }
                }
            }
            if (!replaced.equals(replicas)) {
                boolean drained = replicas.stream().anyMatch(r -> role(r) == Role.DRAIN && !replaced.contains(r));
                move(partition, replaced, drained ? Reason.DRAIN : Reason.REPAIR);
            }
        }

        private void spreadRacks() {
            if (targetRacks < 2) {
                return;
            }
            for (Partition partition : partitions) {
                if (budget == 0) {
                    return;
                }
                List<Integer> replicas = assignment.get(partition.id());
                if (!movable(partition) || racksOf(replicas).size() >= Math.min(replicas.size(), targetRacks)) {
                    continue;
                }
                Map<String, Integer> perRack = new HashMap<>();
                replicas.forEach(r -> perRack.merge(rack(r), 1, Integer::sum));
                // The last replica (the least preferred) of a shared rack, on a node the planner may move it from.
                for (int i = replicas.size() - 1; i >= 0; i--) {
                    int victim = replicas.get(i);
                    if (perRack.get(rack(victim)) > 1 && role(victim) == Role.TARGET) {
                        int replacement = lightestTarget(replicas, racksOf(replicas), true);
                        if (replacement >= 0) {
                            List<Integer> moved = new ArrayList<>(replicas);
                            moved.set(i, replacement);
                            move(partition, moved, Reason.RACK);
                        }
                        break;
                    }
                }
            }
        }

        private void balanceReplicas() {
            while (budget > 0 && spread(replicaLoad) > limits.replicaTolerance()) {
                if (!moveOneReplica()) {
                    return;
                }
            }
        }

        /** One replica from a most loaded node to a less loaded one, if some partition allows it. */
        private boolean moveOneReplica() {
            for (int heavy : byLoad(replicaLoad, true)) {
                for (int light : byLoad(replicaLoad, false)) {
                    if (replicaLoad.get(heavy) - replicaLoad.get(light) < 2) {
                        break;
                    }
                    Partition chosen = null;
                    for (Partition partition : partitions) {
                        List<Integer> replicas = assignment.get(partition.id());
                        if (!movable(partition) || !replicas.contains(heavy) || replicas.contains(light)
                                || !keepsRackSpread(replicas, heavy, light)) {
                            continue;
                        }
                        if (replicas.getFirst() != heavy) {
                            chosen = partition;
                            break;
                        }
                        if (chosen == null) {
                            chosen = partition;
                        }
                    }
                    if (chosen != null) {
                        List<Integer> moved = new ArrayList<>(assignment.get(chosen.id()));
                        moved.set(moved.indexOf(heavy), light);
                        move(chosen, moved, Reason.REPLICAS);
                        return true;
                    }
                }
            }
            return false;
        }

        private void balanceBytes() {
            while (budget > 0 && byteSpread() > byteAllowance()) {
                if (!moveBytes()) {
                    return;
                }
            }
        }

        /** How many more bytes than another a target node may hold. */
        private long byteAllowance() {
            long total = byteLoad.values().stream().mapToLong(Long::longValue).sum();
            double mean = targets.isEmpty() ? 0 : (double) total / targets.size();
            return Math.max(limits.minByteSpread(), (long) (limits.byteTolerance() * mean));
        }

        private long byteSpread() {
            if (byteLoad.isEmpty()) {
                return 0;
            }
            return Collections.max(byteLoad.values()) - Collections.min(byteLoad.values());
        }

        /**
         * Bytes from a heaviest node to a lightest one, nearest half their gap and less than all of it: one replica
         * where replica counts stay within tolerance, else a larger replica swapped for a smaller one.
         */
        private boolean moveBytes() {
            long allowance = byteAllowance();
            for (int heavy : byBytes(true)) {
                for (int light : byBytes(false)) {
                    long gap = byteLoad.get(heavy) - byteLoad.get(light);
                    if (gap <= allowance) {
                        break;
                    }
                    List<Partition> leaving = new ArrayList<>();
                    List<Partition> coming = new ArrayList<>();
                    for (Partition partition : partitions) {
                        List<Integer> replicas = assignment.get(partition.id());
                        if (!movable(partition) || partition.sizeBytes() == 0) {
                            continue;
                        }
                        if (replicas.contains(heavy) && !replicas.contains(light)
                                && keepsRackSpread(replicas, heavy, light)) {
                            leaving.add(partition);
                        } else if (replicas.contains(light) && !replicas.contains(heavy)
                                && keepsRackSpread(replicas, light, heavy)) {
                            coming.add(partition);
                        }
                    }
                    Transfer best = null;
                    if (countsAllowOneMove(heavy, light)) {
                        for (Partition partition : leaving) {
                            best = Transfer.better(best, new Transfer(partition, null, partition.sizeBytes()), gap);
                        }
                    }
                    if (budget >= 2 && !coming.isEmpty()) {
                        best = Transfer.better(best, bestSwap(leaving, coming, gap), gap);
                    }
                    if (best != null) {
                        moveReplica(best.leaving(), heavy, light);
                        if (best.coming() != null) {
                            moveReplica(best.coming(), light, heavy);
                        }
                        return true;
                    }
                }
            }
            return false;
        }

        /** The swap whose net bytes lie nearest {@code gap / 2}, strictly between 0 and {@code gap}; null if none. */
        private static Transfer bestSwap(List<Partition> leaving, List<Partition> coming, long gap) {
            List<Partition> bySize = coming.stream().sorted(Comparator.comparingLong(Partition::sizeBytes)
                    .thenComparing(Partition::id)).toList();
            Transfer best = null;
            for (Partition out : leaving) {
                // The coming partition whose size is nearest out's size less half the gap, and its neighbours.
                long wanted = out.sizeBytes() - gap / 2;
                int at = insertionPoint(bySize, wanted);
                for (int i = Math.max(0, at - 1); i <= Math.min(bySize.size() - 1, at); i++) {
                    Partition in = bySize.get(i);
                    best = Transfer.better(best, new Transfer(out, in, out.sizeBytes() - in.sizeBytes()), gap);
                }
            }
            return best;
        }

        private static int insertionPoint(List<Partition> bySize, long size) {
            int low = 0;
            int high = bySize.size();
            while (low < high) {
                int mid = (low + high) >>> 1;
                if (bySize.get(mid).sizeBytes() < size) {
                    low = mid + 1;
                } else {
                    high = mid;
                }
            }
            return low;
        }

        /**
         * Whether one replica from {@code heavy} to {@code light} leaves replica counts within their tolerance. Where
         * they are not (racks forbid it), only swaps move bytes: a single move could undo what the replica-count rule
         * did, and the two would take turns for ever.
         */
        private boolean countsAllowOneMove(int heavy, int light) {
            Map<Integer, Integer> after = new HashMap<>(replicaLoad);
            after.merge(heavy, -1, Integer::sum);
            after.merge(light, 1, Integer::sum);
            return spread(after) <= limits.replicaTolerance();
        }

        private void moveReplica(Partition partition, int from, int to) {
            List<Integer> moved = new ArrayList<>(assignment.get(partition.id()));
            moved.set(moved.indexOf(from), to);
            move(partition, moved, Reason.BYTES);
        }

        /** Target node ids by bytes, heaviest first when {@code descending}, ties by id ascending. */
        private List<Integer> byBytes(boolean descending) {
            Comparator<Integer> byBytes = Comparator.comparing(byteLoad::get);
            return targets.stream()
                    .sorted((descending ? byBytes.reversed() : byBytes).thenComparing(Comparator.naturalOrder()))
                    .toList();
        }

        private void balanceLeaders() {
            while (budget > 0 && spread(leaderLoad) > limits.leaderTolerance()) {
                if (!moveOneLeadership()) {
                    return;
                }
            }
        }

        /** One preferred leadership from a most loaded node to an in-sync replica on a less loaded one. */
        private boolean moveOneLeadership() {
            for (int heavy : byLoad(leaderLoad, true)) {
                for (int light : byLoad(leaderLoad, false)) {
                    if (leaderLoad.get(heavy) - leaderLoad.get(light) < 2) {
                        break;
                    }
                    for (Partition partition : partitions) {
                        List<Integer> replicas = assignment.get(partition.id());
                        if (movable(partition) && replicas.getFirst() == heavy && replicas.contains(light)
                                && partition.isr().contains(light)) {
                            List<Integer> reordered = new ArrayList<>(replicas);
                            reordered.remove(Integer.valueOf(light));
                            reordered.addFirst(light);
                            move(partition, reordered, Reason.LEADERS);
                            return true;
                        }
                    }
                }
            }
            return false;
        }

        /**
         * Whether replacing {@code from} by {@code to} leaves the partition on at least as many racks: {@code to}'s
         * rack is new to the others, or {@code from}'s was not its own.
         */
        private boolean keepsRackSpread(List<Integer> replicas, int from, int to) {
            Set<String> others = new HashSet<>();
            replicas.stream().filter(r -> r != from).forEach(r -> others.add(rack(r)));
            return !others.contains(rack(to)) || others.contains(rack(from));
        }

        private boolean movable(Partition partition) {
            return !partition.moving() && partition.hasLeader() && !planned.contains(partition.id());
        }

        /**
         * Records the move of {@code partition} to {@code replaced}. Where the preferred leader was replaced, the first
         * replica that stays on a target node is put first instead: a replica that starts empty is never preferred.
         */
        private void move(Partition partition, List<Integer> replaced, Reason reason) {
            List<Integer> from = assignment.get(partition.id());
            List<Integer> to = new ArrayList<>(replaced);
            if (!from.contains(to.getFirst())) {
                to.stream().filter(r -> from.contains(r) && role(r) == Role.TARGET).findFirst().ifPresent(kept -> {
                    to.remove(kept);
                    to.addFirst(kept);
                });
            }
            count(partition, from, -1);
            count(partition, to, 1);
            assignment.put(partition.id(), List.copyOf(to));
            planned.add(partition.id());
            moves.add(new Move(partition.id(), from, to, reason, partition.moving()));
            if (!partition.moving()) {
                budget--;
            }
        }

        /** Adds {@code delta} replicas of {@code partition} to the loads of the target nodes among {@code replicas}. */
        private void count(Partition partition, List<Integer> replicas, int delta) {
            for (int replica : replicas) {
                replicaLoad.computeIfPresent(replica, (id, load) -> load + delta);
                byteLoad.computeIfPresent(replica, (id, load) -> load + delta * partition.sizeBytes());
            }
            if (!replicas.isEmpty()) {
                leaderLoad.computeIfPresent(replicas.getFirst(), (id, load) -> load + delta);
            }
        }

        private int lightestTarget(List<Integer> exclude, Set<String> usedRacks) {
            return lightestTarget(exclude, usedRacks, false);
        }

        /**
         * The target node not in {@code exclude} in a rack not in {@code usedRacks} if any (only such a node when
         * {@code newRackOnly}), then with the fewest replicas, then the lowest id; -1 if there is none.
         */
        private int lightestTarget(List<Integer> exclude, Set<String> usedRacks, boolean newRackOnly) {
            Comparator<Integer> preference = Comparator.comparing((Integer node) -> usedRacks.contains(rack(node)))
                    .thenComparing(replicaLoad::get)
                    .thenComparing(Comparator.naturalOrder());
            return targets.stream()
                    .filter(node -> !exclude.contains(node))
                    .filter(node -> !newRackOnly || !usedRacks.contains(rack(node)))
                    .min(preference)
                    .orElse(-1);
        }

        /** Target node ids by load, heaviest first when {@code descending}, ties by id ascending. */
        private List<Integer> byLoad(Map<Integer, Integer> load, boolean descending) {
            Comparator<Integer> byLoad = Comparator.comparing(load::get);
            return targets.stream()
                    .sorted((descending ? byLoad.reversed() : byLoad).thenComparing(Comparator.naturalOrder()))
                    .toList();
        }

        private boolean mustLeave(int node) {
            Role role = role(node);
            return role == Role.DRAIN || role == Role.LOST;
        }

        /** A node the planner was not told about is left alone, as one that is down. */
        private Role role(int node) {
            Node known = nodes.get(node);
            return known == null ? Role.HOLD : known.role();
        }

        private String rack(int node) {
            Node known = nodes.get(node);
            return known == null ? "" : Objects.requireNonNullElse(known.rack(), "");
        }

        private Set<String> racksOf(List<Integer> replicas) {
            Set<String> racks = new TreeSet<>();
            replicas.forEach(r -> racks.add(rack(r)));
            return racks;
        }

        /**
         * Bytes that would move from a heavier node to a lighter one: {@code leaving}'s replica, and where
         * {@code coming} is not null, its replica the other way.
         */
        private record Transfer(Partition leaving, Partition coming, long net) {

            /** Whether it narrows a gap of {@code gap}: it moves some bytes, and fewer than the gap. */
            boolean narrows(long gap) {
                return net > 0 && net < gap;
            }

            /** The one of {@code best} and {@code candidate} that narrows {@code gap} nearest its half. */
            static Transfer better(Transfer best, Transfer candidate, long gap) {
                if (candidate == null || !candidate.narrows(gap)) {
                    return best;
                }
                if (best == null) {
                    return candidate;
                }
                long half = gap / 2;
                return Math.abs(candidate.net - half) < Math.abs(best.net - half) ? candidate : best;
            }
        }

        private static int spread(Map<Integer, Integer> load) {
            if (load.isEmpty()) {
                return 0;
            }
            int max = load.values().stream().mapToInt(Integer::intValue).max().orElseThrow();
            int min = load.values().stream().mapToInt(Integer::intValue).min().orElseThrow();
            return max - min;
        }
    }
}

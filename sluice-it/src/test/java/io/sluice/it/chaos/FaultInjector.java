package io.sluice.it.chaos;

import io.sluice.internal.metadata.PartitionState;
import io.sluice.it.ReplicaFiles;
import io.sluice.launcher.LocalCluster;
import io.sluice.testing.PowerLoss;
import io.sluice.testing.SluiceCluster;
import io.sluice.testing.Waits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Injects faults from a seeded {@link Random} until the run's time is up, one at a time: the kinds are dealt in
 * shuffled decks, one of the faults that stop, freeze or kill a process, one of the link partitions
 * ({@link FaultKind#cutsLinks()}) and one of the changes of the cluster's shape ({@link FaultKind#changesShape()}),
 * taking from each in turn (every kind once per deck, so a run of three times the largest deck's size sees each; the
 * short run sees a node added, and about half the other kinds), each with a random target and random waits. The
 * shape changes alternate: a node added to the three, then one of the four decommissioned or lost for good. A fault
 * ends with every process running again; then the cluster is given time to serve again (sometimes until every ISR is
 * full, sometimes not, so that the next fault may hit a node still catching up), and every replica's files are
 * entered into the {@link EpochLedger}.
 *
 * <p>Runs on the test thread, the only one that drives the launcher.
 */
final class FaultInjector {

    /** One injected fault as the report lists it; times in seconds since the run started. */
    record Fault(int number, FaultKind kind, String target, double startSeconds, double seconds, String detail) {

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "#%-3d t+%6.1fs %-35s %-14s %5.1fs  %s", number, startSeconds, kind,
                    target, seconds, detail);
        }
    }

    /** A SIGKILL of a node, with the partitions it led just before: each one's failover is measured from here. */
    record Kill(int fault, int node, long killedNanos, List<Integer> ledPartitions) {
    }

    private static final Duration SERVING_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration FULL_ISR_TIMEOUT = Duration.ofSeconds(30);
    /** How long a decommission may take to move every replica off its node, or a repair to recreate a lost node's. */
    private static final Duration RESHAPE_TIMEOUT = Duration.ofSeconds(120);
    private static final List<String> COORDINATORS = List.of(LocalCluster.COORDINATOR, ChaosCluster.COORDINATOR_B);

    private final ChaosCluster cluster;
    private final String topic;
    private final int partitions;
    private final Random random;
    private final EpochLedger ledger;
    private final long runStart;
    private final Duration session;
    private final List<Fault> faults = new ArrayList<>();
    private final List<Kill> kills = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private final List<FaultKind> processDeck = new ArrayList<>();
    private final List<FaultKind> partitionDeck = new ArrayList<>();
    private final List<FaultKind> removalDeck = new ArrayList<>();
    private int turn;

    FaultInjector(ChaosCluster cluster, String topic, int partitions, long seed, EpochLedger ledger, long runStart) {
        this.cluster = cluster;
        this.topic = topic;
        this.partitions = partitions;
        this.random = new Random(seed);
        this.ledger = ledger;
        this.runStart = runStart;
        this.session = cluster.settings().sessionTimeout();
    }

    /** Injects faults until {@code duration} has passed since this call; a fault in progress is finished. */
    void run(Duration duration) {
        long end = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < end) {
            FaultKind kind = nextKind();
            int number = faults.size() + 1;
            long started = System.nanoTime();
            String target;
            String detail;
            try {
                String[] outcome = inject(number, kind);
                target = outcome[0];
                detail = outcome[1];
            } catch (RuntimeException | AssertionError e) {
                target = "?";
                detail = "FAILED: " + e;
                problems.add("fault #" + number + " " + kind + " could not be carried out: " + e);
                System.out.println("[chaos] fault #" + number + " failed: " + e);
                cluster.restoreProcesses();
            }
            Fault fault = new Fault(number, kind, target, seconds(started - runStart),
                    seconds(System.nanoTime() - started), detail);
            faults.add(fault);
            System.out.println("[chaos] " + fault);
            settle(number, kind);
        }
    }

    private FaultKind nextKind() {
        int deck = turn++ % 3;
        if (deck == 2) {
            // The shape alternates between three nodes and four: a node joins the three, one of the four leaves.
            if (cluster.nodeIds().size() == ChaosCluster.NODES) {
                return FaultKind.ADD_NODE;
            }
            return deal(removalDeck, kind -> kind == FaultKind.DECOMMISSION_NODE
                    || kind == FaultKind.LOSE_NODE_FOR_GOOD);
        }
        return deck == 1 ? deal(partitionDeck, FaultKind::cutsLinks)
                : deal(processDeck, kind -> !kind.cutsLinks() && !kind.changesShape());
    }

    /** The next kind of {@code deck}, shuffled anew from the kinds {@code of} once it is empty. */
    private FaultKind deal(List<FaultKind> deck, Predicate<FaultKind> of) {
        if (deck.isEmpty()) {
            Arrays.stream(FaultKind.values()).filter(of).forEach(deck::add);
            Collections.shuffle(deck, random);
        }
        return deck.removeFirst();
    }

    /** Carries out one fault; returns its target and what happened. */
    private String[] inject(int number, FaultKind kind) {
        return switch (kind) {
            case KILL_QUICK_RESTART, KILL_LATE_RESTART, POWER_LOSS_QUICK_RESTART, POWER_LOSS_LATE_RESTART ->
                    killAndRestart(number, kind);
            case PAUSE_SHORT -> pauseShort();
            case PAUSE_LONG -> pauseLong();
            case CONTROLLED_SHUTDOWN -> controlledShutdown();
            case COORDINATOR_KILL -> coordinatorKill();
            case REDIS_RESTART -> redisRestart();
            case PARTITION_LEADER_FROM_COORDINATORS -> leaderFromCoordinators();
            case PARTITION_LEADER_FROM_FOLLOWERS -> leaderFromFollowers();
            case PARTITION_SPLIT -> split();
            case PARTITION_COORDINATOR_FROM_REDIS -> coordinatorFromRedis();
            case PARTITION_GATEWAY_FROM_COORDINATORS -> gatewayFromCoordinators();
            case ADD_NODE -> addNode();
            case DECOMMISSION_NODE -> decommissionNode();
            case LOSE_NODE_FOR_GOOD -> loseNode(number);
        };
    }

    private String[] killAndRestart(int number, FaultKind kind) {
        int node = randomNode();
        boolean powerLoss = kind == FaultKind.POWER_LOSS_QUICK_RESTART || kind == FaultKind.POWER_LOSS_LATE_RESTART;
        boolean late = kind == FaultKind.KILL_LATE_RESTART || kind == FaultKind.POWER_LOSS_LATE_RESTART;
        List<Integer> led = cluster.ledBy(topic, node);
        DeathWatch watch = DeathWatch.start(cluster, node);
        long killed = System.nanoTime();
        cluster.kill(node);
        kills.add(new Kill(number, node, killed, led));
        StringBuilder detail = new StringBuilder("led ").append(led);
        snapshot(node, "#" + number + " after SIGKILL");
        if (powerLoss) {
            List<PowerLoss.Cut> cuts = cluster.powerLoss(node);
            detail.append("; unflushed tail dropped: ").append(cuts.stream()
                    .filter(cut -> cut.replica().startsWith(topic + "-"))
                    .map(cut -> cut.replica() + " " + cut.logEndBefore() + "->" + cut.logEndAfter())
                    .collect(Collectors.joining(", ")));
            snapshot(node, "#" + number + " after power loss");
        }
        if (late) {
            boolean dead = ChaosCluster.within(session.plusSeconds(10), () -> cluster.isDeadAtCoordinator(node));
            Waits.sleep(Duration.ofMillis(random.nextInt(3000)));
            if (!dead) {
                detail.append("; NOT declared dead within ").append(session.plusSeconds(10).toSeconds()).append(" s");
            }
        }
        Duration startup = cluster.start(node);
        long down = System.nanoTime() - killed;
        detail.append(String.format(Locale.ROOT, "; down %.1f s (start-up %.1f s), declared dead: %s",
                seconds(down), startup.toMillis() / 1000.0, watch.stop() ? "yes" : "no"));
        return new String[] {"node " + node, detail.toString()};
    }

    private String[] pauseShort() {
        int node = randomNode();
        DeathWatch watch = DeathWatch.start(cluster, node);
        long millis = (long) (session.toMillis() * (0.2 + 0.5 * random.nextDouble()));
        cluster.pause(node);
        Waits.sleep(Duration.ofMillis(millis));
        cluster.resume(node);
        return new String[] {"node " + node, String.format(Locale.ROOT, "frozen %.1f s, declared dead: %s",
                millis / 1000.0, watch.stop() ? "yes" : "no")};
    }

    private String[] pauseLong() {
        int node = randomNode();
        List<Integer> led = cluster.ledBy(topic, node);
        long paused = System.nanoTime();
        cluster.pause(node);
        boolean dead = ChaosCluster.within(session.plusSeconds(10), () -> cluster.isDeadAtCoordinator(node));
        Waits.sleep(Duration.ofMillis(random.nextInt(3000)));
        cluster.resume(node);
        return new String[] {"node " + node, String.format(Locale.ROOT, "led %s; frozen %.1f s, declared dead: %s",
                led, seconds(System.nanoTime() - paused), dead ? "yes" : "NO")};
    }

    private String[] controlledShutdown() {
        int node = randomNode();
        List<Integer> led = cluster.ledBy(topic, node);
        long stopping = System.nanoTime();
        cluster.stop(node);
        double stopped = seconds(System.nanoTime() - stopping);
        Waits.sleep(Duration.ofMillis(random.nextInt(4000)));
        Duration startup = cluster.start(node);
        return new String[] {"node " + node, String.format(Locale.ROOT, "led %s; exited %.1f s after SIGTERM, start-up "
                + "%.1f s", led, stopped, startup.toMillis() / 1000.0)};
    }

    private String[] coordinatorKill() {
        String active = cluster.awaitActiveCoordinator(Duration.ofSeconds(30));
        long killed = System.nanoTime();
        cluster.killCoordinator(active);
        String next = cluster.awaitActiveCoordinator(Duration.ofSeconds(30));
        double takeover = seconds(System.nanoTime() - killed);
        Waits.sleep(Duration.ofMillis(random.nextInt(3000)));
        cluster.startCoordinator(active);
        return new String[] {active, String.format(Locale.ROOT, "%s active %.1f s after the SIGKILL; %s restarted",
                next, takeover, active)};
    }

    private String[] redisRestart() {
        long killed = System.nanoTime();
        cluster.killRedis();
        long millis = 500 + random.nextInt(3500);
        Waits.sleep(Duration.ofMillis(millis));
        cluster.restartRedis();
        String active = cluster.awaitActiveCoordinator(Duration.ofSeconds(60));
        return new String[] {"redis-server", String.format(Locale.ROOT, "down %.1f s; %s active %.1f s after the "
                + "SIGKILL", millis / 1000.0, active, seconds(System.nanoTime() - killed))};
    }

    // ------------------------------------------------------------ shape

    private String[] addNode() {
        int node = cluster.freeSlot().orElseThrow(() -> new IllegalStateException("every node id is in use: "
                + cluster.nodeIds()));
        Duration startup = cluster.addNode(node);
        boolean alive = ChaosCluster.within(Duration.ofSeconds(30), () -> cluster.isAliveAtCoordinator(node));
        if (!alive) {
            throw new AssertionError("node " + node + " started but did not register within 30 s");
        }
        boolean taking = ChaosCluster.within(Duration.ofSeconds(20), () -> cluster.holdsReplicas(node));
        return new String[] {"node " + node, String.format(Locale.ROOT, "started on an empty disk in %.1f s; nodes %s;"
                + " replicas moving to it within 20 s: %s", startup.toMillis() / 1000.0, cluster.nodeIds(),
                taking ? "yes" : "no")};
    }

    private String[] decommissionNode() {
        int node = randomNode();
        List<Integer> led = cluster.ledBy(topic, node);
        long started = System.nanoTime();
        cluster.decommission(node);
        if (!ChaosCluster.within(RESHAPE_TIMEOUT, () -> cluster.holdsNoReplica(node))) {
            throw new AssertionError("node " + node + " still holds replicas " + RESHAPE_TIMEOUT.toSeconds()
                    + " s after its decommission began: " + describe());
        }
        double drained = seconds(System.nanoTime() - started);
        cluster.stop(node);
        cluster.retire(node);
        return new String[] {"node " + node, String.format(Locale.ROOT, "led %s; every replica moved off in %.1f s, "
                + "then stopped; nodes %s", led, drained, cluster.nodeIds())};
    }

    private String[] loseNode(int number) {
        int node = randomNode();
        List<Integer> led = cluster.ledBy(topic, node);
        long killed = System.nanoTime();
        cluster.kill(node);
        kills.add(new Kill(number, node, killed, led));
        cluster.wipe(node);
        cluster.retire(node);
        if (!ChaosCluster.within(RESHAPE_TIMEOUT, () -> cluster.holdsNoReplica(node)
                && cluster.isFullyReplicated(topic))) {
            throw new AssertionError("node " + node + "'s replicas were not recreated on " + cluster.nodeIds()
                    + " within " + RESHAPE_TIMEOUT.toSeconds() + " s of its loss: " + describe());
        }
        return new String[] {"node " + node, String.format(Locale.ROOT, "led %s; SIGKILLed, its disk lost; its "
                + "replicas recreated on %s %.1f s after the kill (repair after %d s dead)", led, cluster.nodeIds(),
                seconds(System.nanoTime() - killed), ChaosCluster.REPAIR_AFTER.toSeconds())};
    }

    // ------------------------------------------------------------ partitions

    private String[] leaderFromCoordinators() {
        int node = randomLeader();
        List<Integer> led = cluster.ledBy(topic, node);
        DeathWatch watch = DeathWatch.start(cluster, node);
        String detail = holdPartition(() -> {
            for (String coordinator : COORDINATORS) {
                cluster.links().drop(SluiceCluster.service(node), coordinator);
            }
        });
        return new String[] {"node " + node, String.format(Locale.ROOT, "led %s; %s; declared dead: %s", led, detail,
                watch.stop() ? "yes" : "no")};
    }

    private String[] leaderFromFollowers() {
        int node = randomLeader();
        List<Integer> led = cluster.ledBy(topic, node);
        DeathWatch watch = DeathWatch.start(cluster, node);
        String detail = holdPartition(() -> cluster.links().isolate(SluiceCluster.service(node), othersThan(node)));
        return new String[] {"node " + node, String.format(Locale.ROOT, "led %s; %s; declared dead: %s", led, detail,
                watch.stop() ? "yes" : "no")};
    }

    private String[] split() {
        int node = randomLeader();
        boolean withGateway = random.nextBoolean();
        List<Integer> led = cluster.ledBy(topic, node);
        List<String> minority = new ArrayList<>(List.of(SluiceCluster.service(node)));
        List<String> majority = new ArrayList<>(othersThan(node));
        majority.addAll(COORDINATORS);
        (withGateway ? minority : majority).add(LocalCluster.GATEWAY);
        DeathWatch watch = DeathWatch.start(cluster, node);
        String detail = holdPartition(() -> minority.forEach(side -> cluster.links().isolate(side, majority)));
        return new String[] {"node " + node, String.format(Locale.ROOT, "led %s; %s | %s; %s; declared dead: %s", led,
                minority, majority, detail, watch.stop() ? "yes" : "no")};
    }

    private String[] coordinatorFromRedis() {
        String active = cluster.awaitActiveCoordinator(Duration.ofSeconds(30));
        String other = active.equals(LocalCluster.COORDINATOR) ? ChaosCluster.COORDINATOR_B : LocalCluster.COORDINATOR;
        long dropped = System.nanoTime();
        cluster.links().drop(active, ChaosCluster.REDIS);
        boolean tookOver = ChaosCluster.within(Duration.ofSeconds(30),
                () -> cluster.activeCoordinator().filter(other::equals).isPresent());
        double takeover = seconds(System.nanoTime() - dropped);
        Waits.sleep(Duration.ofMillis(random.nextInt(3000)));
        cluster.links().healAll();
        if (!tookOver) {
            throw new AssertionError(other + " did not take the lease within 30 s of " + active
                    + " losing Redis");
        }
        return new String[] {active, String.format(Locale.ROOT, "%s active %.1f s after the drop; cut %.1f s", other,
                takeover, seconds(System.nanoTime() - dropped))};
    }

    private String[] gatewayFromCoordinators() {
        String detail = holdPartition(() -> {
            for (String coordinator : COORDINATORS) {
                cluster.links().drop(LocalCluster.GATEWAY, coordinator);
            }
        });
        return new String[] {LocalCluster.GATEWAY, detail};
    }

    /**
     * Drops links with {@code partition}, holds them for 0.3–1.5 session timeouts (the coordinator acts on a silent
     * node after one), then heals every link; returns how long they were dropped.
     */
    private String holdPartition(Runnable partition) {
        long millis = (long) (session.toMillis() * (0.3 + 1.2 * random.nextDouble()));
        long dropped = System.nanoTime();
        partition.run();
        Waits.sleep(Duration.ofMillis(millis));
        cluster.links().healAll();
        return String.format(Locale.ROOT, "cut %.1f s", seconds(System.nanoTime() - dropped));
    }

    /** The leader of a random partition of the topic; a random node if the coordinator does not answer. */
    private int randomLeader() {
        int partition = random.nextInt(partitions);
        int fallback = randomNode();
        try {
            PartitionState state = cluster.topic(topic).partition(partition);
            return state.hasLeader() ? state.leader() : fallback;
        } catch (RuntimeException e) {
            return fallback;
        }
    }

    private List<String> othersThan(int node) {
        List<String> others = new ArrayList<>();
        for (int other : cluster.nodeIds()) {
            if (other != node) {
                others.add(SluiceCluster.service(other));
            }
        }
        return others;
    }

    /**
     * Gives the cluster time to serve again before the next fault: every node alive and every partition led (a
     * problem if not within a minute), half the time also every ISR full, then a quiet moment; then every replica's
     * files go into the ledger.
     */
    private void settle(int number, FaultKind kind) {
        if (!ChaosCluster.within(SERVING_TIMEOUT, () -> cluster.isServing(topic))) {
            problems.add("after fault #" + number + " " + kind + " the cluster did not serve again (every node alive, "
                    + "every partition led) within " + SERVING_TIMEOUT.toSeconds() + " s: " + describe());
        }
        if (random.nextBoolean()) {
            ChaosCluster.within(FULL_ISR_TIMEOUT, () -> cluster.isFullyReplicated(topic));
        }
        Waits.sleep(Duration.ofMillis(1000 + random.nextInt(3000)));
        for (int node : cluster.nodeIds()) {
            snapshot(node, "#" + number + " settled");
        }
    }

    String describe() {
        try {
            return "nodes " + cluster.nodes() + ", partitions " + cluster.topic(topic).partitions();
        } catch (RuntimeException e) {
            return "(no coordinator answers: " + e + ")";
        }
    }

    /** Enters one node's replica files into the ledger. */
    void snapshot(int node, String when) {
        String at = String.format(Locale.ROOT, "(t+%.1fs, %s)", seconds(System.nanoTime() - runStart), when);
        for (int partition = 0; partition < partitions; partition++) {
            ledger.observe(partition, node, ReplicaFiles.read(cluster.dataDir(node).resolve(topic + "-" + partition),
                    false).batches(), at);
        }
    }

    /** One of the nodes that make up the cluster now. */
    private int randomNode() {
        List<Integer> nodes = cluster.nodeIds();
        return nodes.get(random.nextInt(nodes.size()));
    }

    List<Fault> faults() {
        return List.copyOf(faults);
    }

    List<Kill> kills() {
        return List.copyOf(kills);
    }

    /** Faults that could not be carried out and times the cluster did not serve again: liveness failures. */
    List<String> problems() {
        return List.copyOf(problems);
    }

    static double seconds(long nanos) {
        return nanos / 1e9;
    }

    /** Watches, from a thread of its own, whether the coordinator counts a node dead while it is down or frozen. */
    private static final class DeathWatch {

        private final Thread thread;
        private volatile boolean running = true;
        private volatile boolean seenDead;

        private DeathWatch(ChaosCluster cluster, int node) {
            this.thread = Thread.ofVirtual().name("death-watch-" + node).start(() -> {
                while (running) {
                    if (cluster.isDeadAtCoordinator(node)) {
                        seenDead = true;
                    }
                    Waits.sleep(Duration.ofMillis(100));
                }
            });
        }

        static DeathWatch start(ChaosCluster cluster, int node) {
            return new DeathWatch(cluster, node);
        }

        /** Stops watching; returns whether the node was ever seen dead. */
        boolean stop() {
            running = false;
            try {
                thread.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return seenDead;
        }
    }
}

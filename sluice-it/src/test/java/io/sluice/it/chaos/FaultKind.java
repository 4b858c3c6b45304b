package io.sluice.it.chaos;

/**
 * The faults a chaos run injects. At most one partition service is ever down, frozen or cut off at a time, and every
 * fault ends with every process running and every link passing again, so with replication factor 3 and
 * {@code min.insync.replicas=2} none of them may lose an acknowledged record: whatever the checker finds is a bug.
 * The shape kinds ({@link #changesShape()}) change which nodes make up the cluster — between its three nodes and
 * four — and end once the cluster has its new shape: a node lost for good or decommissioned holds no replica any more.
 * The balancer is on, so replicas move to a node added while later faults strike.
 *
 * <p>The partition kinds ({@link #cutsLinks()}) drop links between live processes both ways, as a firewall dropping
 * packets would ({@link io.sluice.testing.Links#drop}), for 0.3–1.5 session timeouts (or, for Redis, until the
 * standby took the lease), then heal them: bytes held are delivered.
 */
enum FaultKind {
    /** SIGKILL of a partition service, started again at once: back within the session timeout if it starts fast. */
    KILL_QUICK_RESTART,
    /** SIGKILL, started again only after the coordinator declared it dead (beyond the session timeout). */
    KILL_LATE_RESTART,
    /** SIGSTOP for less than the session timeout, then SIGCONT. */
    PAUSE_SHORT,
    /** SIGSTOP until the coordinator declared the node dead, and a little longer, then SIGCONT. */
    PAUSE_LONG,
    /** SIGTERM (controlled shutdown: leaderships handed over, logs closed cleanly), then a start. */
    CONTROLLED_SHUTDOWN,
    /** SIGKILL, the node's unflushed bytes dropped ({@link io.sluice.testing.PowerLoss}), started again at once. */
    POWER_LOSS_QUICK_RESTART,
    /** The same, started again only after the coordinator declared it dead. */
    POWER_LOSS_LATE_RESTART,
    /** SIGKILL of the active coordinator: the standby takes the lease; the killed one comes back as standby. */
    COORDINATOR_KILL,
    /** SIGKILL of redis-server, started again on its append-only file a moment later. */
    REDIS_RESTART,
    /** A partition leader cut off from both coordinators; clients and the other nodes still reach it. */
    PARTITION_LEADER_FROM_COORDINATORS,
    /** A partition leader cut off from the other two nodes; it and they still reach the coordinators and clients. */
    PARTITION_LEADER_FROM_FOLLOWERS,
    /**
     * The cluster split in two: a partition leader (and, half the time, the gateway) on one side; the other nodes,
     * both coordinators and Redis on the other.
     */
    PARTITION_SPLIT,
    /** The active coordinator cut off from Redis until the standby took the lease, and a little longer. */
    PARTITION_COORDINATOR_FROM_REDIS,
    /** The gateway cut off from both coordinators; it still reaches every node. */
    PARTITION_GATEWAY_FROM_COORDINATORS,
    /** A new node (an empty disk) joins a cluster of three; the balancer moves replicas and leaderships to it. */
    ADD_NODE,
    /** A node of a cluster of four is decommissioned: its replicas move off, then it is stopped and retired. */
    DECOMMISSION_NODE,
    /**
     * A node of a cluster of four is SIGKILLed and its disk lost: it never comes back, and once it has been dead for
     * the repair time its replicas are recreated on the three live nodes.
     */
    LOSE_NODE_FOR_GOOD;

    /** Whether the fault drops links between live processes. */
    boolean cutsLinks() {
        return name().startsWith("PARTITION_");
    }

    /** Whether the fault adds a node to the cluster or takes one out for good. */
    boolean changesShape() {
        return this == ADD_NODE || this == DECOMMISSION_NODE || this == LOSE_NODE_FOR_GOOD;
    }

    /** Whether the fault SIGKILLs a partition service (and so measures failover of the partitions it led). */
    boolean killsNode() {
        return this == KILL_QUICK_RESTART || this == KILL_LATE_RESTART || this == POWER_LOSS_QUICK_RESTART
                || this == POWER_LOSS_LATE_RESTART;
    }
}

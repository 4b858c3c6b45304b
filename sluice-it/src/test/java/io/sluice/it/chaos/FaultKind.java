package io.sluice.it.chaos;

/**
 * The faults a chaos run injects. At most one partition service is ever down or frozen at a time, and every fault
 * ends with every process running again, so with replication factor 3 and {@code min.insync.replicas=2} none of them
 * may lose an acknowledged record: whatever the checker finds is a bug.
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
    REDIS_RESTART;

    /** Whether the fault SIGKILLs a partition service (and so measures failover of the partitions it led). */
    boolean killsNode() {
        return this == KILL_QUICK_RESTART || this == KILL_LATE_RESTART || this == POWER_LOSS_QUICK_RESTART
                || this == POWER_LOSS_LATE_RESTART;
    }
}

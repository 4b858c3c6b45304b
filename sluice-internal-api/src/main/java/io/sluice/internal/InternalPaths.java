package io.sluice.internal;

/**
 * The root every internal path sits under. The paths themselves are in {@code CoordinatorPaths},
 * {@code GroupPaths}, {@code PartitionPaths}, {@code ProducerPaths} and {@code ReplicationPaths}: each path is written once, there, as a constant that a
 * server's mapping uses and as a method that a client fills in.
 */
public final class InternalPaths {

    /** Every internal route starts with this; nothing public does. */
    public static final String PREFIX = "/internal/";

    /**
     * The header every internal call carries the cluster secret in while security is on; partition services and
     * coordinators refuse internal calls without it.
     */
    public static final String CLUSTER_SECRET_HEADER = "Sluice-Cluster-Secret";

    private InternalPaths() {
    }
}

package io.sluice.internal.replication;

/** The replication API's routes on every partition service (follower → leader). */
public final class ReplicationPaths {

    /** {@link ReplicaFetchRequestCodec}'s binary {@link ReplicaFetchRequest}; the answer is the binary fetch body. */
    public static final String REPLICA_FETCH = "/internal/replica-fetch";
    public static final String EPOCH_END_OFFSETS = "/internal/epoch-end-offsets";

    private ReplicationPaths() {
    }
}

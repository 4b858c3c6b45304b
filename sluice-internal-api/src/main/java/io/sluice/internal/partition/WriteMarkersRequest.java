package io.sluice.internal.partition;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Kafka's WriteTxnMarkers as the transaction coordinator sends it to a partition leader: for each marker, write a
 * control batch of the producer's id and epoch that commits or aborts its transaction on each of the named partitions
 * this node leads. The leader answers each partition once the high watermark has passed its marker (as for an acks=all
 * write, min.insync.replicas included), or after {@code timeoutMs} (0: the node's default request timeout) with
 * REQUEST_TIMED_OUT.
 *
 * <p>Writing a marker again is harmless: on a partition where the producer's transaction is already closed, a second
 * marker closes nothing. A sender may therefore repeat a request whose outcome it does not know, as long as the
 * producer cannot have begun its next transaction meanwhile (the transaction coordinator completes the transaction
 * only after every marker is written).
 *
 * <p>The fields are boxed so that one left out of a JSON body is seen as missing, not read as 0 or false (a missing
 * {@code commit} must not abort); the leader refuses such a request whole with INVALID_REQUEST and writes nothing.
 */
public record WriteMarkersRequest(long timeoutMs, List<Marker> markers) {

    public WriteMarkersRequest {
        markers = copyOf(markers);
    }

    /**
     * One transaction's end.
     *
     * @param coordinatorEpoch the epoch of the transaction coordinator that decided the outcome; a partition refuses a
     *                         marker from an older one than it has seen for the producer (TRANSACTION_COORDINATOR_FENCED)
     * @param commit           true to commit, false to abort
     */
    public record Marker(Long producerId, Short producerEpoch, Integer coordinatorEpoch, Boolean commit,
                         List<Partition> partitions) {

        public Marker {
            partitions = copyOf(partitions);
        }
    }

    /**
     * A partition of the transaction, with the leader epoch the sender routed by
     * ({@link PartitionBatches#ANY_EPOCH} when it does not care).
     */
    public record Partition(String topic, Integer partition, Integer leaderEpoch) {
    }

    /** An unmodifiable copy that keeps null elements (for the leader to name them), or null. */
    private static <T> List<T> copyOf(List<T> list) {
        return list == null ? null : Collections.unmodifiableList(new ArrayList<>(list));
    }
}

package io.sluice.internal.partition;

import io.sluice.protocol.ErrorCode;
import java.util.List;

/**
 * The answer to a {@link WriteMarkersRequest}, marker by marker and partition by partition in request order: the
 * offset the marker was written at, or an error code with its message (nothing written: NOT_LEADER,
 * FENCED_LEADER_EPOCH, UNKNOWN_LEADER_EPOCH, NOT_ENOUGH_REPLICAS, INVALID_PRODUCER_EPOCH,
 * TRANSACTION_COORDINATOR_FENCED, UNKNOWN_TOPIC, …; written but not known to be committed: REQUEST_TIMED_OUT,
 * NOT_LEADER_AFTER_APPEND, NOT_ENOUGH_REPLICAS_AFTER_APPEND).
 */
public record WriteMarkersResponse(List<Marker> markers) {

    public WriteMarkersResponse {
        markers = List.copyOf(markers);
    }

    public record Marker(long producerId, List<Partition> partitions) {

        public Marker {
            partitions = List.copyOf(partitions);
        }
    }

    /** @param offset the marker's offset, or null with an error code */
    public record Partition(String topic, int partition, ErrorCode errorCode, String message, Long offset) {
    }
}

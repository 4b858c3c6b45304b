package io.sluice.internal.coordinator;

import io.sluice.protocol.ErrorCode;
import java.util.List;

/**
 * Per partition of an {@link AlterReassignmentsRequest}, in its order: no error code (null) when the move was started,
 * replaced or cancelled, else why not — UNKNOWN_TOPIC, UNKNOWN_PARTITION, INVALID_REPLICA_ASSIGNMENT (an empty target,
 * a node named twice or not registered, or a change that would drop the last in-sync replicas) or
 * NO_REASSIGNMENT_IN_PROGRESS (a cancel with nothing moving).
 */
public record AlterReassignmentsResponse(List<Result> partitions) {

    public AlterReassignmentsResponse {
        partitions = List.copyOf(partitions);
    }

    public record Result(String topic, int partition, ErrorCode errorCode, String message) {
    }
}

package io.sluice.gateway.routing;

import io.sluice.internal.partition.ProduceResponse;
import io.sluice.protocol.SluiceException;

import java.util.List;

/**
 * What became of one partition's batches: the leader's result, or the error that stopped them (with the leader's
 * result when the leader refused them, which may name the records refused).
 */
public record PartitionOutcome(ProduceResponse.PartitionResult result, SluiceException error) {

    static PartitionOutcome failure(SluiceException e) {
        return new PartitionOutcome(null, e);
    }

    /** The records the leader refused, by their position among the batches' records (INVALID_RECORD_SCHEMA). */
    public List<ProduceResponse.RecordError> recordErrors() {
        return result == null ? List.of() : result.recordErrors();
    }
}

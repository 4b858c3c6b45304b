package io.sluice.gateway.routing;

import io.sluice.internal.partition.ProduceResponse;
import io.sluice.protocol.SluiceException;

/** What became of one partition's batches: the leader's result, or the error that stopped them. */
public record PartitionOutcome(ProduceResponse.PartitionResult result, SluiceException error) {

    static PartitionOutcome failure(SluiceException e) {
        return new PartitionOutcome(null, e);
    }
}

package io.sluice.internal.partition;

import io.sluice.internal.metadata.NodeInfo;
import reactor.core.publisher.Mono;

/**
 * The partition leaders' side of transactions as the transaction coordinator calls it: write the markers that end a
 * transaction (Kafka's WriteTxnMarkers). Apart from {@link PartitionDataApi}, which gateways use, so that neither
 * caller sees the other's calls. A failure of the whole call is a {@link io.sluice.protocol.SluiceException} as there
 * (LEADER_NOT_AVAILABLE: nothing was sent; REQUEST_TIMED_OUT: the outcome is unknown); the answer carries each
 * partition's own outcome.
 */
public interface TransactionMarkersApi {

    /**
     * Writes {@code request}'s markers at {@code leader}, answered per partition once each is committed (the request's
     * timeout bounds the wait there). Safe to repeat while the producer's transaction stays closed.
     */
    Mono<WriteMarkersResponse> writeMarkers(NodeInfo leader, WriteMarkersRequest request);
}

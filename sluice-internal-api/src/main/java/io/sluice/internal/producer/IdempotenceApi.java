package io.sluice.internal.producer;

import reactor.core.publisher.Mono;

/**
 * The coordinator's idempotent-producer calls as gateways see them. Every call answers a Mono that fails with a
 * {@link io.sluice.protocol.SluiceException} carrying the coordinator's error code.
 */
public interface IdempotenceApi {

    /** A block of producer ids (Kafka's AllocateProducerIds), unique for the life of the cluster's Redis. */
    Mono<ProducerIdBlock> allocateProducerIds(int count);

    /** Claims an Idempotency-Key for one attempt of a produce request. */
    Mono<IdempotencyClaim> claimIdempotencyKey(IdempotencyClaimRequest request);

    /** Ends the attempt that claimed a key, storing its response or not. */
    Mono<Void> releaseIdempotencyKey(IdempotencyReleaseRequest request);
}

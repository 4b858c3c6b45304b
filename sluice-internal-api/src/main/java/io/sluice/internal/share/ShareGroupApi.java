package io.sluice.internal.share;

import reactor.core.publisher.Mono;

/**
 * Share groups at Sluice's coordinator ({@link SharePaths}). A refused call carries the coordinator's error code
 * (INVALID_REQUEST for a malformed one, which changed nothing); per-record refusals of an acknowledgement are in its
 * answer ({@link ShareError}), not failures.
 */
public interface ShareGroupApi {

    /** Locks records of one share-partition for the member ({@link ShareAcquireRequest}). */
    Mono<ShareAcquireResponse> acquire(ShareAcquireRequest request);

    /** Accepts, releases, rejects or renews records of one share-partition the member holds. */
    Mono<ShareAcknowledgeResponse> acknowledge(ShareAcknowledgeRequest request);

    /** The records of one share-partition the member holds now; changes nothing. */
    Mono<ShareHeldResponse> held(ShareHeldRequest request);
}

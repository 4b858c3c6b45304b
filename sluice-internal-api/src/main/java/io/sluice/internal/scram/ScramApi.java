package io.sluice.internal.scram;

import reactor.core.publisher.Mono;

/**
 * The SCRAM credentials the coordinator stores, as gateways and partition services see them: they read the whole set
 * (it is small) to sign Kafka clients in, and gateways change it for Kafka's AlterUserScramCredentials and the public
 * API. Failures are {@link io.sluice.protocol.SluiceException}s with the coordinator's error code.
 */
public interface ScramApi {

    Mono<ScramSnapshot> scramCredentials();

    /** Applies {@code change} whole; answers the credentials after it. */
    Mono<ScramSnapshot> alterScramCredentials(ScramChange change);
}

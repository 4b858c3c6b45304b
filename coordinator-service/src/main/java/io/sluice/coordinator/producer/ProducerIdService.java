package io.sluice.coordinator.producer;

import io.sluice.coordinator.store.IdempotencyStore;
import io.sluice.internal.producer.IdempotencyClaim;
import io.sluice.internal.producer.IdempotencyClaimRequest;
import io.sluice.internal.producer.IdempotencyReleaseRequest;
import io.sluice.internal.producer.ProducerIdBlock;
import io.sluice.internal.producer.ProducerIdsRequest;
import io.sluice.protocol.ErrorCode;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Idempotent producers' coordinator side: producer id blocks (Kafka's AllocateProducerIds) and the Idempotency-Keys of
 * the gateways' produce requests, checked here and kept by the {@link IdempotencyStore}.
 */
@Service
class ProducerIdService {

    /** As the gateway's limit on the header. */
    static final int MAX_KEY_LENGTH = 255;

    private final IdempotencyStore store;

    ProducerIdService(IdempotencyStore store) {
        this.store = store;
    }

    Mono<ProducerIdBlock> allocate(ProducerIdsRequest request) {
        if (request.count() < 1 || request.count() > ProducerIdsRequest.MAX_COUNT) {
            return Mono.error(ErrorCode.INVALID_REQUEST.exception("count must be 1 to " + ProducerIdsRequest.MAX_COUNT
                    + ", was " + request.count()));
        }
        return store.allocate(request.count());
    }

    Mono<IdempotencyClaim> claim(IdempotencyClaimRequest request) {
        if (request.key() == null || request.key().isEmpty() || request.key().length() > MAX_KEY_LENGTH
                || request.fingerprint() == null || !request.fingerprint().matches("[0-9a-f]{64}")
                || request.token() == null || request.token().isEmpty() || request.assignment() == null
                || request.retentionMs() < 1 || request.lockMs() < 1) {
            return Mono.error(ErrorCode.INVALID_REQUEST.exception("An idempotency claim needs a key of 1 to "
                    + MAX_KEY_LENGTH + " characters, a SHA-256 hex fingerprint, a token, an assignment and positive"
                    + " retention and lock times"));
        }
        return store.claim(request);
    }

    Mono<Void> release(IdempotencyReleaseRequest request) {
        if (request.key() == null || request.token() == null) {
            return Mono.error(ErrorCode.INVALID_REQUEST.exception("A release needs the key and the claim's token"));
        }
        return store.release(request).then();
    }
}

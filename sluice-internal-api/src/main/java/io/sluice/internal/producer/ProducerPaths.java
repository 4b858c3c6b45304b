package io.sluice.internal.producer;

/** The coordinator's internal routes for idempotent producers: producer id blocks and Idempotency-Key claims. */
public final class ProducerPaths {

    /** POST {@link ProducerIdsRequest} → {@link ProducerIdBlock}. */
    public static final String PRODUCER_IDS = "/internal/producer-ids";
    /** POST {@link IdempotencyClaimRequest} → {@link IdempotencyClaim}. */
    public static final String IDEMPOTENCY_CLAIMS = "/internal/idempotency-keys/claims";
    /** POST {@link IdempotencyReleaseRequest} → 204. */
    public static final String IDEMPOTENCY_RELEASES = "/internal/idempotency-keys/releases";

    private ProducerPaths() {
    }
}

package io.sluice.log;

/**
 * A producer's pending transaction verification at one partition (Kafka's VerificationGuard): compared by identity.
 * The producer state keeps one per producer from the moment a leader starts to verify until the producer's
 * transaction opens here or one of its markers is written; an append is verified only if the guard its verification
 * started with is still the one kept.
 */
public final class VerificationGuard {

    private final long producerId;
    private final long createdMs;

    VerificationGuard(long producerId, long createdMs) {
        this.producerId = producerId;
        this.createdMs = createdMs;
    }

    long createdMs() {
        return createdMs;
    }

    @Override
    public String toString() {
        return "VerificationGuard[producer " + producerId + ", since " + createdMs + "]";
    }
}

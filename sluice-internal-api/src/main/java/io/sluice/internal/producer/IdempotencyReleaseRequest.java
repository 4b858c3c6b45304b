package io.sluice.internal.producer;

/**
 * The end of an attempt that holds a key: with a {@code response}, the key answers it to every retry from now on;
 * without one (an outcome not known everywhere), the next retry sends the same batches again. Ignored unless
 * {@code token} still holds the key.
 */
public record IdempotencyReleaseRequest(String key, String token, StoredResponse response) {
}

package io.sluice.internal.client;

import io.sluice.protocol.SluiceException;
import java.util.concurrent.TimeoutException;

/**
 * Which failures of a call are worth the same call again, after a backoff. Never an answer that says the caller's
 * metadata is stale (NOT_LEADER, a fenced or unknown leader epoch, no leader): that caller must refresh its metadata
 * and choose the target again, which is not this layer's business.
 */
enum RetryPolicy {
    /** Only a call that never reached its target (connection refused, no route, pool exhausted). */
    NOT_SENT,
    /** Also calls whose outcome is unknown, and retriable answers: only for calls that change nothing. */
    IDEMPOTENT;

    boolean retries(Throwable failure) {
        if (failure instanceof TransportFailure transport) {
            return !transport.sent() || this == IDEMPOTENT;
        }
        if (this == NOT_SENT) {
            return false;
        }
        if (failure instanceof TimeoutException) {
            return true;
        }
        return failure instanceof SluiceException answer && answer.errorCode().retriable()
                && !answer.errorCode().refreshesMetadata();
    }
}

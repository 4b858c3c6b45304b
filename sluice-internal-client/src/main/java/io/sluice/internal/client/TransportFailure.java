package io.sluice.internal.client;

/**
 * A call that got no answer: the connection could not be made ({@code sent == false}: the target saw nothing), or it
 * broke after the request went out ({@code sent == true}: the target may have acted on it). Only these, and time-outs,
 * count against a target's circuit breaker; answers, errors included, do not.
 */
final class TransportFailure extends RuntimeException {

    private final boolean sent;

    TransportFailure(boolean sent, Throwable cause) {
        super(cause.toString(), cause, false, false);
        this.sent = sent;
    }

    boolean sent() {
        return sent;
    }
}

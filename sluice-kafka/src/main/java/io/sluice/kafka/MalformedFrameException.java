package io.sluice.kafka;

/**
 * A frame that is no request this listener can read: a truncated or garbled header or body, an API key Kafka does not
 * define, a version kafka-clients cannot parse. Kafka's broker closes such a connection without an answer, since the
 * client's framing can no longer be trusted; so does the listener.
 */
public final class MalformedFrameException extends RuntimeException {

    public MalformedFrameException(String message, Throwable cause) {
        super(message, cause);
    }

    public MalformedFrameException(String message) {
        super(message);
    }
}

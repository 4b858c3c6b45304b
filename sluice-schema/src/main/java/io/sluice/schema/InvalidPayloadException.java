package io.sluice.schema;

/**
 * A record value that is not what its schema says: not in Confluent's wire format (short, wrong magic byte, bad
 * message indexes), not decodable as the schema's binary form, or JSON that does not convert to it. The message says
 * what is wrong, for the producer to fix (the gateway answers 422 naming the record).
 */
public final class InvalidPayloadException extends RuntimeException {

    public InvalidPayloadException(String message) {
        super(message);
    }

    public InvalidPayloadException(String message, Throwable cause) {
        super(message, cause);
    }
}

package io.sluice.schema;

/**
 * A schema text that does not parse as its type, or whose references do not resolve; the message says what is wrong
 * and where, for a person to fix (the registry answers Confluent's 42201 with it).
 */
public final class InvalidSchemaException extends RuntimeException {

    public InvalidSchemaException(String message) {
        super(message);
    }

    public InvalidSchemaException(String message, Throwable cause) {
        super(message, cause);
    }
}

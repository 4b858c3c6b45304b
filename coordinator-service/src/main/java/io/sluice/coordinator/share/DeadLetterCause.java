package io.sluice.coordinator.share;

/**
 * Why a share group archived a record, as KIP-1191 names it in the dead-letter record's {@code __dlq.errors.message}
 * header (the texts are Kafka's, so a tool that reads Kafka's dead-letter topics reads Sluice's).
 */
enum DeadLetterCause {

    /** A member acknowledged the record with reject. */
    CLIENT_REJECT("Offset rejected by client."),
    /** The record's lock ended (release, expiry, departure) at the delivery limit. */
    DELIVERY_COUNT_EXCEEDED("Offset delivery count exceeded the threshold.");

    private final String message;

    DeadLetterCause(String message) {
        this.message = message;
    }

    /** The {@code __dlq.errors.message} header's value. */
    String message() {
        return message;
    }
}

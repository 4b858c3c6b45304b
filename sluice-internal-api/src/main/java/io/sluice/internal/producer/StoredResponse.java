package io.sluice.internal.producer;

/** A public produce response as the gateway sent it: status and JSON body, answered again to a retry. */
public record StoredResponse(int status, String body) {
}

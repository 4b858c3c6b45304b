package io.sluice.gateway.produce;

import io.sluice.protocol.ErrorCode;

/**
 * The {@code Idempotency-Key} header of a produce request (the IETF httpapi draft's header): a client-chosen string
 * of 1 to {@value #MAX_LENGTH} visible ASCII characters (spaces allowed inside) naming one logical request.
 */
record IdempotencyKey(String value) {

    static final String HEADER = "Idempotency-Key";
    static final int MAX_LENGTH = 255;

    /**
     * The header's key, or null without the header.
     *
     * @throws io.sluice.protocol.SluiceException INVALID_REQUEST for an empty, too long or non-ASCII key
     */
    static IdempotencyKey parse(String header) {
        if (header == null) {
            return null;
        }
        if (header.isBlank()) {
            throw ErrorCode.INVALID_REQUEST.exception(HEADER + " is empty; it needs 1 to " + MAX_LENGTH
                    + " characters");
        }
        if (header.length() > MAX_LENGTH) {
            throw ErrorCode.INVALID_REQUEST.exception(HEADER + " has " + header.length() + " characters; at most "
                    + MAX_LENGTH + " are accepted");
        }
        for (int i = 0; i < header.length(); i++) {
            char c = header.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                throw ErrorCode.INVALID_REQUEST.exception(HEADER + " may hold visible ASCII characters only; character "
                        + i + " is not one");
            }
        }
        return new IdempotencyKey(header);
    }
}

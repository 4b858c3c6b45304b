package io.sluice.gateway.produce;

import io.sluice.gateway.format.CursorBytes;
import io.sluice.protocol.ErrorCode;

/**
 * An HTTP transaction as its client names it in every call: the transactional id and the producer id and epoch its
 * begin was given. Any gateway serves the next call from it alone; the coordinator checks the producer and epoch on
 * every call (a newer begin of the same transactional id fences this one). Encoding: base64url (no padding) of a version
 * (1), the producer id, the epoch and the transactional id (numbers as unsigned LEB128, the id as a length and UTF-8).
 */
record TransactionToken(String transactionalId, long producerId, short producerEpoch) {

    private static final int VERSION = 1;

    String encode() {
        return new CursorBytes.Writer(16 + transactionalId.length()).varlong(VERSION).varlong(producerId)
                .varlong(producerEpoch).string(transactionalId).text();
    }

    /** @throws io.sluice.protocol.SluiceException INVALID_REQUEST when {@code text} is not a transaction */
    static TransactionToken decode(String text) {
        try {
            CursorBytes.Reader in = new CursorBytes.Reader(text);
            if (in.varlong() != VERSION) {
                throw new IllegalArgumentException("unknown version");
            }
            long producerId = in.varlong();
            long epoch = in.varlong();
            String transactionalId = in.string();
            in.end();
            if (epoch > Short.MAX_VALUE || transactionalId.isEmpty()) {
                throw new IllegalArgumentException("bad values");
            }
            return new TransactionToken(transactionalId, producerId, (short) epoch);
        } catch (IllegalArgumentException e) {
            throw ErrorCode.INVALID_REQUEST.exception("Not a transaction: '" + text + "'");
        }
    }
}

package io.sluice.internal.txn;

import io.sluice.protocol.ErrorCode;
import java.util.List;

/**
 * The checks of a {@link TxnVerifyRequest} that failed, each with why (INVALID_TXN_STATE: the partition is not in an
 * open transaction of that producer; INVALID_PRODUCER_EPOCH: an older epoch than the transaction's); a check not
 * listed is verified.
 */
public record TxnVerifyResponse(List<Failure> failures) {

    /** A check that failed. */
    public record Failure(long producerId, short producerEpoch, String topic, int partition, ErrorCode error,
                          String message) {
    }

    public TxnVerifyResponse {
        failures = failures == null ? List.of() : List.copyOf(failures);
    }
}

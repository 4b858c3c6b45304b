package io.sluice.internal.producer;

import java.util.List;

/**
 * The answer to an {@link IdempotencyClaimRequest} the coordinator granted (a key used with another request is
 * refused with IDEMPOTENCY_KEY_REUSED, a key another attempt holds with IDEMPOTENCY_KEY_IN_USE).
 *
 * @param status        NEW: first use, the caller's assignment was stored; RETRY: used before without a stored
 *                      response, send again exactly so; COMPLETED: answer {@code response}, send nothing
 * @param producerId    the key's producer id: every batch of the request carries it, from sequence 0 per partition
 * @param producerEpoch the key's producer epoch
 * @param assignment    the stored partition of each record
 * @param response      the stored response (COMPLETED only)
 */
public record IdempotencyClaim(Status status, long producerId, short producerEpoch, List<Integer> assignment,
                               StoredResponse response) {

    public enum Status { NEW, RETRY, COMPLETED }
}

package io.sluice.internal.txn;

import java.util.List;

/**
 * A partition leader asks whether transactional batches it is about to append belong to an open transaction (Kafka's
 * KIP-890 part 1, AddPartitionsToTxn with {@code verify_only}): each check names a producer, by id and epoch as its
 * batch carries them, and the partition. The leader has no transactional id (a produce request carries none per
 * batch), so the coordinator finds the transaction by its producer id.
 */
public record TxnVerifyRequest(List<Check> checks) {

    /** One producer's first batch of a transaction at one partition. */
    public record Check(long producerId, short producerEpoch, String topic, int partition) {
    }

    public TxnVerifyRequest {
        checks = checks == null ? List.of() : List.copyOf(checks);
    }
}

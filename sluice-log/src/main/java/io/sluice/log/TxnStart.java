package io.sluice.log;

/**
 * A producer's batch that would open a transaction at this partition, found by {@link PartitionLog#transactionStarts}
 * before the append: the leader asks the transaction coordinator whether that producer's open transaction has added
 * the partition (Kafka's KIP-890 part 1) and hands the answer to the append as {@link TxnVerifications}.
 *
 * @param guard taken when the leader started to ask; a marker of the producer written since withdraws it, and the
 *              append then refuses the batch (the transaction it was verified for may be the one that marker ended)
 */
public record TxnStart(long producerId, short producerEpoch, VerificationGuard guard) {
}

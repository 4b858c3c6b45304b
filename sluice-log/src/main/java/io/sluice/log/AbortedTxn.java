package io.sluice.log;

/**
 * An aborted transaction of one producer on one partition: its records lie between {@code firstOffset} and
 * {@code lastOffset} (the abort marker's offset), interleaved with other producers' records. A read_committed reader
 * receives these with its records and drops that producer's transactional batches in the range (Kafka's
 * FetchResponse aborted_transactions).
 *
 * @param lastStableOffset the partition's first unstable offset once this abort was written (the first offset of a
 *                         transaction still open then, else the marker's offset + 1), as Kafka's aborted transaction
 *                         index keeps it: an aborted transaction whose marker comes later cannot have started below
 *                         it, so a search for the aborted transactions below a bound stops at the first entry whose
 *                         lastStableOffset reaches the bound
 */
public record AbortedTxn(long producerId, long firstOffset, long lastOffset, long lastStableOffset) {
}

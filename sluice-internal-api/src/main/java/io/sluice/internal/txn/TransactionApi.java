package io.sluice.internal.txn;

import java.util.List;
import reactor.core.publisher.Mono;

/**
 * Kafka's transaction coordinator calls at Sluice's coordinator. Failures carry the coordinator's error code
 * (PRODUCER_FENCED, INVALID_PRODUCER_ID_MAPPING, INVALID_TXN_STATE, CONCURRENT_TRANSACTIONS — retriable —,
 * INVALID_TRANSACTION_TIMEOUT, TRANSACTIONAL_ID_NOT_FOUND, UNKNOWN_TOPIC, ...).
 */
public interface TransactionApi {

    Mono<TxnProducer> initProducerId(TxnInitRequest request);

    Mono<Void> addPartitions(TxnPartitionsRequest request);

    /** The sequences of a write into an HTTP transaction (its partitions join the transaction). */
    Mono<TxnSequences> write(TxnWriteRequest request);

    /** That write wrote every record. */
    Mono<Void> confirmWrite(TxnWriteConfirmation request);

    Mono<Void> addOffsets(TxnGroupRequest request);

    Mono<Void> commitOffsets(TxnOffsetCommitRequest request);

    /** The producer id and epoch the producer writes its next transaction with. */
    Mono<TxnProducer> endTxn(TxnEndRequest request);

    /**
     * Whether a leader may append transactional batches that open a transaction at a partition (KIP-890 part 1): only
     * if the producer's open transaction has added that partition.
     */
    Mono<TxnVerifyResponse> verify(TxnVerifyRequest request);

    Mono<TransactionDescription> describeTransaction(String transactionalId);

    Mono<List<TransactionDescription>> transactions();
}

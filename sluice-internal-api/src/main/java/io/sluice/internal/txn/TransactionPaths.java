package io.sluice.internal.txn;

/**
 * The coordinator's internal routes for transactions. Transactional ids travel in the bodies (a transactional id is
 * any string, as Kafka's are, which a path would have to escape).
 */
public final class TransactionPaths {

    /** GET: every transactional id's description. */
    public static final String TRANSACTIONS = "/internal/transactions";
    /** POST {@link TxnDescribeRequest}: one transactional id's description. */
    public static final String DESCRIBE = "/internal/transactions/describe";
    /** POST {@link TxnInitRequest} → {@link TxnProducer}: Kafka's InitProducerId with a transactional id. */
    public static final String INIT_PRODUCER_ID = "/internal/transactions/init-producer-id";
    /** POST {@link TxnPartitionsRequest}: AddPartitionsToTxn. */
    public static final String ADD_PARTITIONS = "/internal/transactions/add-partitions";
    /** POST {@link TxnGroupRequest}: AddOffsetsToTxn. */
    public static final String ADD_OFFSETS = "/internal/transactions/add-offsets";
    /** POST {@link TxnOffsetCommitRequest}: TxnOffsetCommit. */
    public static final String COMMIT_OFFSETS = "/internal/transactions/commit-offsets";
    /** POST {@link TxnWriteRequest} → {@link TxnSequences}: the sequences of a write into an HTTP transaction. */
    public static final String WRITE = "/internal/transactions/write";
    /** POST {@link TxnWriteConfirmation}: that write wrote every record. */
    public static final String CONFIRM_WRITE = "/internal/transactions/confirm-write";
    /** POST {@link TxnEndRequest}: EndTxn. */
    public static final String END = "/internal/transactions/end";
    /** POST {@link TxnVerifyRequest} → {@link TxnVerifyResponse}: a leader checks batches that open a transaction. */
    public static final String VERIFY = "/internal/transactions/verify";

    private TransactionPaths() {
    }
}

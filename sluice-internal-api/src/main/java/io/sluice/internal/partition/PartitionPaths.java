package io.sluice.internal.partition;

/**
 * The partition data API's routes on every partition service (gateway → partition leaders; transaction markers from
 * the transaction coordinator).
 */
public final class PartitionPaths {

    /**
     * {@code ?acks=0|1|all&timeout_ms=N}, body {@value ProduceRequestCodec#CONTENT_TYPE}; the answer is
     * {@link ProduceResponseCodec}'s binary body.
     */
    public static final String PRODUCE = "/internal/produce";
    /** {@link FetchRequestCodec}'s binary {@link FetchRequest}; the answer is {@link FetchResponseCodec}'s binary body. */
    public static final String FETCH = "/internal/fetch";
    public static final String LIST_OFFSETS = "/internal/list-offsets";
    /** POST a {@link DeleteRecordsRequest}; the answer is a {@link DeleteRecordsResponse}. */
    public static final String DELETE_RECORDS = "/internal/delete-records";
    /**
     * POST a {@link WriteMarkersRequest} (transaction coordinator → partition leader); the answer is a
     * {@link WriteMarkersResponse}.
     */
    public static final String WRITE_MARKERS = "/internal/write-txn-markers";
    /** POST a {@link DescribeProducersRequest}; the answer is a {@link DescribeProducersResponse}. */
    public static final String DESCRIBE_PRODUCERS = "/internal/describe-producers";
    /** GET: the node's {@link NodeStats}. */
    public static final String NODE_STATS = "/internal/node-stats";

    private PartitionPaths() {
    }

    public static String produce(String acks, long timeoutMs) {
        return PRODUCE + "?acks=" + acks + "&timeout_ms=" + timeoutMs;
    }
}

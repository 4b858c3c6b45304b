package io.sluice.gateway.history;

/** What a series measures, with its name in the API and its unit. */
public enum Metric {
    /** Records appended to a partition (its high watermark's advance) per second. */
    PRODUCE_RATE("produce_records_per_second", "records/s"),
    /** Records consumed from a partition, as committed offsets advance (summed over groups), per second. */
    CONSUME_RATE("consume_records_per_second", "records/s"),
    /** Bytes on disk: a topic's over every replica, a node's over the replicas it holds. */
    SIZE_BYTES("size_bytes", "bytes"),
    /** Records a group has not consumed in a partition. */
    LAG_RECORDS("lag_records", "records"),
    /** Age of the first record a group has not consumed in a partition. */
    LAG_SECONDS("lag_seconds", "seconds"),
    /** This gateway's produce requests' latency, median over the interval. */
    PRODUCE_LATENCY_P50("produce_latency_p50_seconds", "seconds"),
    PRODUCE_LATENCY_P99("produce_latency_p99_seconds", "seconds"),
    /** This gateway's fetches from partition leaders' latency, median over the interval. */
    FETCH_LATENCY_P50("fetch_latency_p50_seconds", "seconds"),
    FETCH_LATENCY_P99("fetch_latency_p99_seconds", "seconds");

    private final String apiName;
    private final String unit;

    Metric(String apiName, String unit) {
        this.apiName = apiName;
        this.unit = unit;
    }

    public String apiName() {
        return apiName;
    }

    public String unit() {
        return unit;
    }
}

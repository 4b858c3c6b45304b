package io.sluice.gateway.produce;

import io.sluice.protocol.ErrorCode;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.sluice.protocol.SluiceException;

/**
 * The outcome of one produced record: where it landed ({@code partition}, {@code offset}, {@code timestamp}), or why
 * it did not ({@code error_code}, {@code detail}, {@code retriable}: the members a problem has, under the same names).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record RecordResult(Integer partition, Long offset, Long timestamp, ErrorCode errorCode, String detail,
                    Boolean retriable) {

    public static RecordResult written(int partition, long offset, long timestamp) {
        return new RecordResult(partition, offset, timestamp, null, null, null);
    }

    /** acks=0: sent, outcome not awaited. */
    public static RecordResult sent(int partition) {
        return new RecordResult(partition, null, null, null, null, null);
    }

    public static RecordResult failed(Integer partition, SluiceException e) {
        return new RecordResult(partition, null, null, e.errorCode(), e.getMessage(), e.retriable());
    }

    public boolean ok() {
        return errorCode == null;
    }
}

package io.sluice.gateway.share;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.sluice.gateway.consume.ConsumedRecord;
import io.sluice.gateway.format.RecordFormat;
import io.sluice.gateway.format.RenderedValue;
import java.util.List;

/** The answers of the share-group routes. */
final class ShareViews {

    private ShareViews() {
    }

    /** A take's answer: the member (generated when the request named none) and the records locked for it. */
    record Acquisitions(String memberId, List<AcquiredRecord> records) {
    }

    /**
     * A record as readers see it ({@link ConsumedRecord}), locked for the member until {@code lock_expires_at} (epoch
     * milliseconds), to be acknowledged by its {@code acquisition_id}; {@code delivery_count} is 1 the first time.
     */
    @JsonPropertyOrder({"topic", "partition", "offset", "timestamp", "key", "key_format", "key_schema_id", "value",
            "value_format", "value_schema_id", "headers", "acquisition_id", "lock_expires_at", "delivery_count"})
    record AcquiredRecord(String topic, int partition, long offset, long timestamp, RenderedValue key,
                          RecordFormat keyFormat, @JsonInclude(JsonInclude.Include.NON_NULL) Integer keySchemaId,
                          RenderedValue value, RecordFormat valueFormat,
                          @JsonInclude(JsonInclude.Include.NON_NULL) Integer valueSchemaId,
                          List<ConsumedRecord.HeaderView> headers, long acquisitionId, long lockExpiresAt,
                          int deliveryCount) {

        static AcquiredRecord of(ConsumedRecord record, long acquisitionId, long lockExpiresAt, int deliveryCount) {
            return new AcquiredRecord(record.topic(), record.partition(), record.offset(), record.timestamp(),
                    record.key(), record.keyFormat(), record.keySchemaId(), record.value(), record.valueFormat(),
                    record.valueSchemaId(), record.headers(), acquisitionId, lockExpiresAt, deliveryCount);
        }
    }

    /** An acknowledge call's answer: one result per acknowledgement, in the request's order. */
    record Acknowledgements(String memberId, List<ItemResult> results) {
    }

    /**
     * What became of one acknowledgement: refused as a whole ({@code error} set, no records) or per record, each with
     * its own {@code error} (null: done), its state and lock deadline after the call.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"topic", "partition", "acquisition_id", "first_offset", "last_offset", "type", "error",
            "records"})
    record ItemResult(String topic, int partition, Long acquisitionId, Long firstOffset, Long lastOffset, String type,
                      AcknowledgementError error, List<RecordResult> records) {
    }

    @JsonPropertyOrder({"offset", "error", "state", "lock_expires_at"})
    record RecordResult(long offset, AcknowledgementError error, String state, long lockExpiresAt) {
    }
}

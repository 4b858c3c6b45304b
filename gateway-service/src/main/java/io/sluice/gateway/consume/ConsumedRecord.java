package io.sluice.gateway.consume;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.sluice.gateway.format.RecordFormat;
import io.sluice.gateway.format.RenderedValue;
import java.util.List;

/**
 * A record as readers see it: key and value rendered in the requested format, and the format each was actually
 * rendered in ({@code key_format}, {@code value_format}: the requested one, or the fallback the bytes forced — see
 * {@link RecordFormat}); a key or value decoded with a registered schema also names the schema's id
 * ({@code key_schema_id}, {@code value_schema_id}, absent otherwise).
 */
@JsonPropertyOrder({"topic", "partition", "offset", "timestamp", "key", "key_format", "key_schema_id", "value",
        "value_format", "value_schema_id", "headers"})
public record ConsumedRecord(String topic, int partition, long offset, long timestamp, RenderedValue key,
                             RenderedValue value, List<HeaderView> headers) {

    @JsonProperty
    public RecordFormat keyFormat() {
        return key.format();
    }

    @JsonProperty
    public RecordFormat valueFormat() {
        return value.format();
    }

    @JsonProperty
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public Integer keySchemaId() {
        return key.schemaId();
    }

    @JsonProperty
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public Integer valueSchemaId() {
        return value.schemaId();
    }

    /** A header: its value rendered (null when absent) in string or binary. */
    @JsonPropertyOrder({"key", "value", "value_format"})
    public record HeaderView(String key, RenderedValue value) {

        @JsonProperty
    public RecordFormat valueFormat() {
            return value.format();
        }
    }
}

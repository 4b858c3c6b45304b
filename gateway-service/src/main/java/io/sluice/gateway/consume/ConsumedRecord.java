package io.sluice.gateway.consume;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.sluice.gateway.format.RecordFormat;
import io.sluice.gateway.format.RenderedValue;
import java.util.List;

/**
 * A record as readers see it: key and value rendered in the requested format, and the format each was actually
 * rendered in ({@code key_format}, {@code value_format}: the requested one, or the fallback the bytes forced — see
 * {@link RecordFormat}).
 */
@JsonPropertyOrder({"topic", "partition", "offset", "timestamp", "key", "key_format", "value", "value_format", "headers"})
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

    /** A header: its value rendered (null when absent) in string or binary. */
    @JsonPropertyOrder({"key", "value", "value_format"})
    public record HeaderView(String key, RenderedValue value) {

        @JsonProperty
    public RecordFormat valueFormat() {
            return value.format();
        }
    }
}

package io.sluice.gateway.consume;

import io.sluice.gateway.format.RecordFormat;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * A record as readers see it: key and value rendered in the requested format, and the format each was actually
 * rendered in ({@code key_format}, {@code value_format}: the requested one, or the fallback the bytes forced — see
 * {@link RecordFormat}).
 */
public record ConsumedRecord(String topic, int partition, long offset, long timestamp, JsonNode key, RecordFormat keyFormat,
                      JsonNode value, RecordFormat valueFormat, List<HeaderView> headers) {

    /** A header: its value rendered (null when absent) and the format it is rendered in (string or binary). */
    public record HeaderView(String key, JsonNode value, RecordFormat valueFormat) {
    }
}

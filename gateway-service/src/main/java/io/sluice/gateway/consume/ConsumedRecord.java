package io.sluice.gateway.consume;

import java.util.List;
import tools.jackson.databind.JsonNode;

/** A record as readers see it; key and value rendered in the requested format. */
record ConsumedRecord(String topic, int partition, long offset, long timestamp, JsonNode key, JsonNode value,
                             List<HeaderView> headers) {

    /** A header with its value as UTF-8 text (null when absent). */
    public record HeaderView(String key, String value) {
    }
}

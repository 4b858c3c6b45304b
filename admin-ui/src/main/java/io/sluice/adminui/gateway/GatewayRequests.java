package io.sluice.adminui.gateway;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** What the console sends to the gateway: the public API's request bodies and a read's parameters. */
public final class GatewayRequests {

    private GatewayRequests() {
    }

    /** A config entry to set; a null value removes the topic's override. */
    public record ConfigValue(String name, String value) {
    }

    public record NewTopic(String name, int partitionCount, int replicationFactor, List<ConfigValue> configs) {
    }

    public record ConfigUpdate(List<ConfigValue> configs) {
    }

    public record NewPartitionCount(int partitionCount) {
    }

    /** One record to produce; absent fields are left out, so the gateway picks the partition and timestamp. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ProduceRecord(JsonNode key, JsonNode value, List<HeaderValue> headers, Integer partition) {
    }

    public record HeaderValue(String key, String value) {
    }

    public record ProduceRequest(String keyFormat, String valueFormat, List<ProduceRecord> records) {
    }

    /**
     * A page read: one partition ({@code partition} set) or every partition of the topic; at most one start of
     * {@code offset}, {@code timestamp}, {@code last} and {@code cursor}; formats as the API names them.
     */
    public record Read(String topic, Integer partition, String offset, String timestamp, Integer last, String cursor,
                       int maxRecords, String keyFormat, String valueFormat) {
    }

    /** An offset reset of one topic's partitions (all when {@code partitions} is empty). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record OffsetReset(String topic, List<Integer> partitions, String to, String timestamp, Long offset,
                              Long shiftBy, boolean dryRun, boolean force) {
    }

    /** The body of {@code POST /v1/share-groups/{group}/reset}. */
    public record ShareReset(String topic, List<Integer> partitions, String to, String timestamp, Long offset,
                             boolean dryRun) {
    }

    /** A schema to check or register: its text and type (AVRO, PROTOBUF or JSON), as Confluent's API takes them. */
    public record NewSchema(String schema, @JsonProperty("schemaType") String schemaType) {
    }

    /** Which audit entries to list: each field set keeps only the entries that have it (a resource name: holds it). */
    public record AuditFilter(String principal, String kind, String outcome, String resourceType,
                              String resourceName) {

        public static final AuditFilter NONE = new AuditFilter(null, null, null, null, null);
    }
}

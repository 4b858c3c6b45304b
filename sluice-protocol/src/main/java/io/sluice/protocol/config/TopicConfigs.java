package io.sluice.protocol.config;

import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The topic configurations Sluice understands, with Kafka's names, types, defaults and bounds, so that a topic
 * created through Sluice means what the same settings mean on a Kafka broker. Every service validates topic configs
 * here and nowhere else: the coordinator on create/alter, the partition service when it builds a log's settings.
 *
 * <p>Settings Kafka has but Sluice does not honour yet are refused with a reason rather than accepted and ignored.
 */
public final class TopicConfigs {

    public static final String CLEANUP_POLICY = "cleanup.policy";
    /** Confluent Server's: every record key must carry a schema id registered for the topic's key subject. */
    public static final String KEY_SCHEMA_VALIDATION = "confluent.key.schema.validation";
    public static final String KEY_SUBJECT_NAME_STRATEGY = "confluent.key.subject.name.strategy";
    /** Confluent Server's: every record value must carry a schema id registered for the topic's value subject. */
    public static final String VALUE_SCHEMA_VALIDATION = "confluent.value.schema.validation";
    public static final String VALUE_SUBJECT_NAME_STRATEGY = "confluent.value.subject.name.strategy";
    /** Sluice's: {@code id} checks the schema id only (as Confluent Server), {@code content} the payload too. */
    public static final String KEY_SCHEMA_VALIDATION_MODE = "sluice.key.schema.validation.mode";
    public static final String VALUE_SCHEMA_VALIDATION_MODE = "sluice.value.schema.validation.mode";
    public static final String COMPRESSION_TYPE = "compression.type";
    public static final String DELETE_RETENTION_MS = "delete.retention.ms";
    /** KIP-1191: a share group's dead-letter records are written only to a topic that opts in with this. */
    public static final String ERRORS_DEADLETTERQUEUE_GROUP_ENABLE = "errors.deadletterqueue.group.enable";
    public static final String MAX_COMPACTION_LAG_MS = "max.compaction.lag.ms";
    public static final String MIN_CLEANABLE_DIRTY_RATIO = "min.cleanable.dirty.ratio";
    public static final String MIN_COMPACTION_LAG_MS = "min.compaction.lag.ms";
    public static final String FILE_DELETE_DELAY_MS = "file.delete.delay.ms";
    public static final String FLUSH_MESSAGES = "flush.messages";
    public static final String FLUSH_MS = "flush.ms";
    public static final String INDEX_INTERVAL_BYTES = "index.interval.bytes";
    public static final String LOCAL_RETENTION_BYTES = "local.retention.bytes";
    public static final String LOCAL_RETENTION_MS = "local.retention.ms";
    public static final String MAX_MESSAGE_BYTES = "max.message.bytes";
    public static final String MESSAGE_TIMESTAMP_TYPE = "message.timestamp.type";
    public static final String MIN_INSYNC_REPLICAS = "min.insync.replicas";
    public static final String REMOTE_STORAGE_ENABLE = "remote.storage.enable";
    public static final String RETENTION_BYTES = "retention.bytes";
    public static final String RETENTION_MS = "retention.ms";
    public static final String SEGMENT_BYTES = "segment.bytes";
    public static final String SEGMENT_INDEX_BYTES = "segment.index.bytes";
    public static final String SEGMENT_MS = "segment.ms";
    public static final String UNCLEAN_LEADER_ELECTION_ENABLE = "unclean.leader.election.enable";

    private static final Map<String, Definition> DEFINITIONS = definitions(
            new Definition(CLEANUP_POLICY, "delete", cleanupPolicy(),
                    "How old segments are discarded: 'delete' by retention.ms / retention.bytes, 'compact' keeps the "
                            + "latest record per key, 'compact,delete' does both."),
            new Definition(KEY_SCHEMA_VALIDATION, "false", oneOf("true", "false"),
                    "Whether every record key must be in the Confluent wire format with a schema id registered for "
                            + "the topic's key subject (Confluent Server's schema validation)."),
            new Definition(KEY_SUBJECT_NAME_STRATEGY, SchemaValidation.TOPIC_NAME_STRATEGY,
                    oneOf(SchemaValidation.STRATEGIES.toArray(String[]::new)),
                    "How the key subject is named: after the topic, the record's type, or both."),
            new Definition(KEY_SCHEMA_VALIDATION_MODE, "id", oneOf("id", "content"),
                    "With key schema validation: 'id' checks the schema id, 'content' decodes the key with its "
                            + "schema too."),
            new Definition(VALUE_SCHEMA_VALIDATION, "false", oneOf("true", "false"),
                    "Whether every record value must be in the Confluent wire format with a schema id registered for "
                            + "the topic's value subject (Confluent Server's schema validation)."),
            new Definition(VALUE_SUBJECT_NAME_STRATEGY, SchemaValidation.TOPIC_NAME_STRATEGY,
                    oneOf(SchemaValidation.STRATEGIES.toArray(String[]::new)),
                    "How the value subject is named: after the topic, the record's type, or both."),
            new Definition(VALUE_SCHEMA_VALIDATION_MODE, "id", oneOf("id", "content"),
                    "With value schema validation: 'id' checks the schema id, 'content' decodes the value with its "
                            + "schema too."),
            new Definition(COMPRESSION_TYPE, "producer", oneOf("producer", "uncompressed", "none", "gzip", "snappy", "lz4", "zstd"),
                    "Compression of stored batches: 'producer' keeps what the producer sent."),
            new Definition(DELETE_RETENTION_MS, "86400000", longAtLeast(0),
                    "How long a tombstone stays readable after the log cleaner first passed it, on compacted topics."),
            new Definition(ERRORS_DEADLETTERQUEUE_GROUP_ENABLE, "false", oneOf("true", "false"),
                    "Whether share groups may write their dead-letter records (KIP-1191) to this topic."),
            new Definition(FILE_DELETE_DELAY_MS, "60000", longAtLeast(0),
                    "How long a deleted segment's files stay on disk, so reads in flight can finish."),
            new Definition(FLUSH_MESSAGES, Long.toString(Long.MAX_VALUE), longAtLeast(1),
                    "Fsync after this many records (default: never; durability comes from replication)."),
            new Definition(FLUSH_MS, Long.toString(Long.MAX_VALUE), longAtLeast(0),
                    "Fsync when the oldest unflushed record is this old (default: never)."),
            new Definition(INDEX_INTERVAL_BYTES, "4096", intAtLeast(0),
                    "Bytes of log between two offset-index entries."),
            new Definition(LOCAL_RETENTION_BYTES, "-2", longAtLeast(-2),
                    "With remote storage: size a partition's local segments may grow to before the oldest copied ones "
                            + "are deleted locally (-2: retention.bytes, -1: unlimited)."),
            new Definition(LOCAL_RETENTION_MS, "-2", longAtLeast(-2),
                    "With remote storage: age after which a segment copied to remote storage is deleted locally "
                            + "(-2: retention.ms, -1: forever)."),
            new Definition(MAX_MESSAGE_BYTES, "1048588", intAtLeast(0),
                    "Largest record batch the topic accepts, in bytes."),
            new Definition(MAX_COMPACTION_LAG_MS, Long.toString(Long.MAX_VALUE), longAtLeast(1),
                    "Longest a record may stay uncompacted: older dirty records make the log cleanable whatever its ratio."),
            new Definition(MESSAGE_TIMESTAMP_TYPE, "CreateTime", oneOf("CreateTime", "LogAppendTime"),
                    "Whether record timestamps come from the producer or from the leader on append."),
            new Definition(MIN_CLEANABLE_DIRTY_RATIO, "0.5", ratio(),
                    "Share of a compacted log that must be dirty (not yet cleaned) before the log cleaner cleans it."),
            new Definition(MIN_COMPACTION_LAG_MS, "0", longAtLeast(0),
                    "Youngest a record may be and still be compacted away."),
            new Definition(MIN_INSYNC_REPLICAS, "1", intAtLeast(1),
                    "Replicas that must be in sync for an acks=all write to be accepted."),
            new Definition(REMOTE_STORAGE_ENABLE, "false", oneOf("true", "false"),
                    "Whether the leader copies closed segments to remote (object) storage, where they stay until "
                            + "retention.ms / retention.bytes while local.retention.* bounds the local disk."),
            new Definition(RETENTION_BYTES, "-1", longAtLeast(-1),
                    "Size a partition may grow to before old segments are deleted (-1: unlimited)."),
            new Definition(RETENTION_MS, "604800000", longAtLeast(-1),
                    "Age after which a segment is deleted (-1: forever)."),
            new Definition(SEGMENT_BYTES, "1073741824", intAtLeast(1024 * 1024),
                    "Size at which a segment is closed and a new one started."),
            new Definition(SEGMENT_INDEX_BYTES, "10485760", intAtLeast(4),
                    "Space preallocated for each segment's offset index."),
            new Definition(SEGMENT_MS, "604800000", longAtLeast(1),
                    "Age at which a segment is rolled even if not full."),
            new Definition(UNCLEAN_LEADER_ELECTION_ENABLE, "false", oneOf("true", "false"),
                    "Whether a replica outside the ISR may become leader, at the cost of losing acknowledged records."));

    private TopicConfigs() {
    }

    /** Every known config name, sorted. */
    public static Set<String> names() {
        return DEFINITIONS.keySet();
    }

    public static String defaultValue(String name) {
        return definition(name).defaultValue();
    }

    public static String documentation(String name) {
        return definition(name).documentation();
    }

    /**
     * Checks topic-level overrides and returns them normalized (sorted, values trimmed).
     *
     * @throws SluiceException {@link ErrorCode#INVALID_CONFIG} naming the first bad name or value and why
     */
    public static Map<String, String> validate(Map<String, String> overrides) {
        Map<String, String> normalized = new TreeMap<>();
        for (Map.Entry<String, String> entry : overrides.entrySet()) {
            String name = entry.getKey();
            Definition definition = DEFINITIONS.get(name);
            if (definition == null) {
                throw ErrorCode.INVALID_CONFIG.exception("Unknown topic config '" + name + "'; known configs: "
                        + String.join(", ", DEFINITIONS.keySet()));
            }
            if (entry.getValue() == null) {
                throw ErrorCode.INVALID_CONFIG.exception("Topic config '" + name + "' needs a value");
            }
            String value = entry.getValue().trim();
            String problem = definition.validator().apply(value);
            if (problem != null) {
                throw ErrorCode.INVALID_CONFIG.exception("Invalid value '" + entry.getValue() + "' for topic config '"
                        + name + "': " + problem);
            }
            normalized.put(name, name.equals(CLEANUP_POLICY) ? normalizePolicy(value) : value);
        }
        long minLag = Long.parseLong(normalized.getOrDefault(MIN_COMPACTION_LAG_MS, defaultValue(MIN_COMPACTION_LAG_MS)));
        long maxLag = Long.parseLong(normalized.getOrDefault(MAX_COMPACTION_LAG_MS, defaultValue(MAX_COMPACTION_LAG_MS)));
        if (maxLag < minLag) {
            throw ErrorCode.INVALID_CONFIG.exception("Topic config '" + MAX_COMPACTION_LAG_MS + "' (" + maxLag
                    + ") must be at least '" + MIN_COMPACTION_LAG_MS + "' (" + minLag + ")");
        }
        checkTiered(normalized);
        return Collections.unmodifiableMap(normalized);
    }

    /**
     * Kafka's rules for a tiered topic: not compacted (a compacted log rewrites segments already copied), and local
     * retention no longer than the topic's retention (the local log is the newest part of the whole).
     */
    private static void checkTiered(Map<String, String> normalized) {
        if (!Boolean.parseBoolean(normalized.getOrDefault(REMOTE_STORAGE_ENABLE, "false"))) {
            return;
        }
        if (normalized.getOrDefault(CLEANUP_POLICY, "delete").contains("compact")) {
            throw ErrorCode.INVALID_CONFIG.exception("Topic config '" + REMOTE_STORAGE_ENABLE + "' needs '"
                    + CLEANUP_POLICY + "' delete: a compacted topic cannot use remote storage");
        }
        checkLocalRetention(normalized, LOCAL_RETENTION_MS, RETENTION_MS);
        checkLocalRetention(normalized, LOCAL_RETENTION_BYTES, RETENTION_BYTES);
    }

    private static void checkLocalRetention(Map<String, String> normalized, String localName, String name) {
        long local = Long.parseLong(normalized.getOrDefault(localName, defaultValue(localName)));
        long whole = Long.parseLong(normalized.getOrDefault(name, defaultValue(name)));
        if (local == -2 || whole == -1) {
            return;
        }
        if (local == -1 || local > whole) {
            throw ErrorCode.INVALID_CONFIG.exception("Topic config '" + localName + "' (" + local
                    + ") must not be more than '" + name + "' (" + whole + ")");
        }
    }

    /** Every config with its effective value: the override when there is one, else the default. */
    public static List<ConfigEntry> describe(Map<String, String> overrides) {
        Map<String, String> valid = validate(overrides);
        List<ConfigEntry> entries = new ArrayList<>(DEFINITIONS.size());
        for (Definition definition : DEFINITIONS.values()) {
            String override = valid.get(definition.name());
            entries.add(new ConfigEntry(definition.name(), override != null ? override : definition.defaultValue(),
                    override == null, definition.documentation()));
        }
        return entries;
    }

    private static Definition definition(String name) {
        Definition definition = DEFINITIONS.get(name);
        if (definition == null) {
            throw new IllegalArgumentException("Unknown topic config '" + name + "'");
        }
        return definition;
    }

    private static Map<String, Definition> definitions(Definition... definitions) {
        Map<String, Definition> byName = new LinkedHashMap<>();
        for (Definition definition : definitions) {
            byName.put(definition.name(), definition);
        }
        return Collections.unmodifiableMap(new TreeMap<>(byName));
    }

    /** A validator answers null for a good value, or why it is not. */
    private record Definition(String name, String defaultValue, Function<String, String> validator,
                              String documentation) {
    }

    private static Function<String, String> oneOf(String... allowed) {
        List<String> values = List.of(allowed);
        return value -> values.contains(value) ? null : "must be one of " + String.join(", ", values);
    }

    /** Kafka's list form: delete, compact, or both in either order ("compact,delete"), spaces allowed. */
    private static Function<String, String> cleanupPolicy() {
        return value -> {
            List<String> parts = policyParts(value);
            boolean known = !parts.isEmpty() && parts.stream().allMatch(p -> p.equals("delete") || p.equals("compact"))
                    && parts.stream().distinct().count() == parts.size();
            return known ? null : "must be delete, compact or compact,delete";
        };
    }

    private static List<String> policyParts(String value) {
        return java.util.Arrays.stream(value.split(",", -1)).map(String::trim).toList();
    }

    /** One spelling per policy: "delete", "compact" or "compact,delete". */
    private static String normalizePolicy(String value) {
        List<String> parts = policyParts(value);
        return parts.size() == 2 ? "compact,delete" : parts.getFirst();
    }

    private static Function<String, String> ratio() {
        return value -> {
            try {
                double ratio = Double.parseDouble(value);
                return ratio >= 0 && ratio <= 1 ? null : "must be between 0 and 1";
            } catch (NumberFormatException e) {
                return "must be a number between 0 and 1";
            }
        };
    }

    private static Function<String, String> longAtLeast(long min) {
        return value -> {
            try {
                return Long.parseLong(value) >= min ? null : "must be at least " + min;
            } catch (NumberFormatException e) {
                return "must be a whole number (64-bit) of at least " + min;
            }
        };
    }

    private static Function<String, String> intAtLeast(int min) {
        return value -> {
            try {
                return Integer.parseInt(value) >= min ? null : "must be at least " + min;
            } catch (NumberFormatException e) {
                return "must be a whole number (32-bit) of at least " + min;
            }
        };
    }
}

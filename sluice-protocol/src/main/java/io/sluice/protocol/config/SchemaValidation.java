package io.sluice.protocol.config;

import java.util.List;
import java.util.Map;

/**
 * What a topic's records must carry, from its schema validation configs ({@link TopicConfigs}): for keys and values
 * separately, whether they are checked, how their subject is named, and whether the payload is decoded too.
 * Confluent Server's configs decide the first two; {@code sluice.*.schema.validation.mode=content} the third.
 */
public record SchemaValidation(Side key, Side value) {

    public static final String TOPIC_NAME_STRATEGY = "io.confluent.kafka.serializers.subject.TopicNameStrategy";
    public static final String RECORD_NAME_STRATEGY = "io.confluent.kafka.serializers.subject.RecordNameStrategy";
    public static final String TOPIC_RECORD_NAME_STRATEGY =
            "io.confluent.kafka.serializers.subject.TopicRecordNameStrategy";
    static final List<String> STRATEGIES = List.of(TOPIC_NAME_STRATEGY, RECORD_NAME_STRATEGY,
            TOPIC_RECORD_NAME_STRATEGY);

    /** How a subject is named (Confluent's subject name strategies). */
    public enum SubjectNaming {
        /** {@code <topic>-key} or {@code <topic>-value}. */
        TOPIC,
        /** The record type's full name. */
        RECORD,
        /** {@code <topic>-<the record type's full name>}. */
        TOPIC_RECORD;

        static SubjectNaming of(String strategy) {
            return switch (strategy) {
                case RECORD_NAME_STRATEGY -> RECORD;
                case TOPIC_RECORD_NAME_STRATEGY -> TOPIC_RECORD;
                default -> TOPIC;
            };
        }

        /**
         * The subject of a key ({@code isKey}) or value of {@code topic} whose schema's record type is
         * {@code recordName} (needed by RECORD and TOPIC_RECORD only).
         */
        public String subject(String topic, boolean isKey, String recordName) {
            return switch (this) {
                case TOPIC -> topic + (isKey ? "-key" : "-value");
                case RECORD -> recordName;
                case TOPIC_RECORD -> topic + "-" + recordName;
            };
        }
    }

    /** One half's rules: {@code checked} at all, under {@code naming}, decoding the payload with {@code content}. */
    public record Side(boolean checked, SubjectNaming naming, boolean content) {

        static final Side UNCHECKED = new Side(false, SubjectNaming.TOPIC, false);
    }

    public static final SchemaValidation NONE = new SchemaValidation(Side.UNCHECKED, Side.UNCHECKED);

    /** @throws io.sluice.protocol.SluiceException INVALID_CONFIG when an override is unknown or out of range */
    public static SchemaValidation of(Map<String, String> overrides) {
        Map<String, String> valid = TopicConfigs.validate(overrides);
        return new SchemaValidation(
                side(valid, TopicConfigs.KEY_SCHEMA_VALIDATION, TopicConfigs.KEY_SUBJECT_NAME_STRATEGY,
                        TopicConfigs.KEY_SCHEMA_VALIDATION_MODE),
                side(valid, TopicConfigs.VALUE_SCHEMA_VALIDATION, TopicConfigs.VALUE_SUBJECT_NAME_STRATEGY,
                        TopicConfigs.VALUE_SCHEMA_VALIDATION_MODE));
    }

    /** Whether any record of the topic is checked. */
    public boolean any() {
        return key.checked() || value.checked();
    }

    private static Side side(Map<String, String> valid, String checked, String strategy, String mode) {
        if (!Boolean.parseBoolean(valid.getOrDefault(checked, "false"))) {
            return Side.UNCHECKED;
        }
        return new Side(true, SubjectNaming.of(valid.getOrDefault(strategy, TOPIC_NAME_STRATEGY)),
                "content".equals(valid.get(mode)));
    }
}

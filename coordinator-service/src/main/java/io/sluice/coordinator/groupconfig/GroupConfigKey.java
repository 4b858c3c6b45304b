package io.sluice.coordinator.groupconfig;

import io.sluice.coordinator.CoordinatorProperties;
import io.sluice.internal.share.ShareGroupConfigList.Type;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.TopicNames;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The group configs Sluice has: Kafka's group config names (KIP-848's {@code consumer.*}, KIP-1071's {@code
 * streams.*}, KIP-932's {@code share.*}, KIP-1191's dead-letter keys), their types, bounds and where their defaults
 * come from. As in Kafka, any group id may set any of them; each group type reads its own. A value is checked and
 * brought to one form here ({@link #canonical}), before it is stored; nothing else parses a stored value.
 *
 * <p>The bounds are Kafka's {@code GroupConfig} floors (a lock of at least 1 s, a delivery limit of at least 2, at
 * least 100 record locks, at most 2 standby replicas) with the ceilings of the broker settings that bound them. Kafka
 * narrows the share keys further by default with broker settings ({@code group.share.min.record.lock.duration.ms} 15 s,
 * {@code group.share.min.session.timeout.ms} 45 s, ...); Sluice has no such settings, so a share group may ask for a
 * short lock or session — the point of a per-group config. A consumer group's session stays within the coordinator's
 * {@code groups.min-session-timeout} and {@code groups.max-session-timeout}, as an HTTP member's does
 * ({@link GroupConfigRules#apply}).
 */
public enum GroupConfigKey {

    CONSUMER_SESSION_TIMEOUT_MS("consumer.session.timeout.ms",
            "How long a member of the consumer group (KIP-848) is kept without a heartbeat, in milliseconds; must be"
                    + " more than consumer.heartbeat.interval.ms. Holds from each member's next heartbeat, for members"
                    + " that named no session timeout of their own (every Kafka consumer).",
            p -> Long.toString(p.groups().sessionTimeout().toMillis()),
            1_000, 3_600_000),
    CONSUMER_HEARTBEAT_INTERVAL_MS("consumer.heartbeat.interval.ms",
            "How often members of the consumer group are told to heartbeat, in milliseconds (at most a third of"
                    + " their session).",
            p -> Long.toString(p.groups().heartbeatInterval().toMillis()),
            100, 3_600_000),
    STREAMS_SESSION_TIMEOUT_MS("streams.session.timeout.ms",
            "How long a member of the streams group (KIP-1071) is kept without a heartbeat, in milliseconds; must be"
                    + " more than streams.heartbeat.interval.ms. Holds from each member's next heartbeat.",
            p -> Long.toString(p.streamsGroups().sessionTimeout().toMillis()),
            1_000, 3_600_000),
    STREAMS_HEARTBEAT_INTERVAL_MS("streams.heartbeat.interval.ms",
            "How often members of the streams group are told to heartbeat, in milliseconds (at most a third of"
                    + " their session).",
            p -> Long.toString(p.streamsGroups().heartbeatInterval().toMillis()),
            100, 3_600_000),
    STREAMS_NUM_STANDBY_REPLICAS("streams.num.standby.replicas",
            "How many standby copies of each stateful task the streams group's instances keep, each on an instance"
                    + " other than the active task's. Holds from the group's next assignment.",
            p -> Integer.toString(p.streamsGroups().numStandbyReplicas()),
            0, 2),
    STREAMS_TASK_OFFSET_INTERVAL_MS("streams.task.offset.interval.ms",
            "How often members of the streams group send their tasks' changelog offsets, in milliseconds (at least"
                    + " 15 s, Kafka's group.streams.min.task.offset.interval.ms). Told to each member in its next"
                    + " heartbeat's answer.",
            p -> Long.toString(p.streamsGroups().taskOffsetInterval().toMillis()),
            15_000, Integer.MAX_VALUE),
    STREAMS_ACCEPTABLE_RECOVERY_LAG("streams.acceptable.recovery.lag", Type.LONG,
            "The changelog lag, in records, at or below which a member's warm-up task counts as caught up. Told to"
                    + " each member in its next heartbeat's answer.",
            p -> Long.toString(p.streamsGroups().acceptableRecoveryLag())) {
        @Override
        public String canonical(String value) {
            long parsed;
            try {
                parsed = Long.parseLong(value.trim());
            } catch (NumberFormatException e) {
                throw invalid("'" + value + "' is no whole number for " + key());
            }
            if (parsed < 0) {
                throw invalid(key() + " must be at least 0, not " + parsed);
            }
            return Long.toString(parsed);
        }
    },
    STREAMS_NUM_WARMUP_REPLICAS("streams.num.warmup.replicas",
            "The most warm-up tasks the streams group runs at once (at most 20, Kafka's"
                    + " group.streams.max.warmup.replicas). Like Kafka 4.4's coordinator, Sluice's assigns no warm-up"
                    + " task yet: an active task moves at once, so this bounds nothing.",
            p -> Integer.toString(p.streamsGroups().numWarmupReplicas()),
            0, 20),

    SHARE_AUTO_OFFSET_RESET("share.auto.offset.reset", Type.STRING,
            "Where a share-partition the group does not have yet starts: 'earliest' (the log start offset) or"
                    + " 'latest' (the high watermark).",
            p -> p.shareGroups().autoOffsetReset().name().toLowerCase(Locale.ROOT)) {
        @Override
        public String canonical(String value) {
            String v = value.trim().toLowerCase(Locale.ROOT);
            if (v.startsWith("by_duration:")) {
                throw invalid("Sluice starts share-partitions at 'earliest' or 'latest' only, not '" + value
                        + "': a start by time is a reset's (kafka-share-groups --reset-offsets --to-datetime)");
            }
            if (!v.equals("earliest") && !v.equals("latest")) {
                throw invalid("'" + value + "' is no value of " + key() + ": 'earliest' or 'latest'");
            }
            return v;
        }
    },
    SHARE_RECORD_LOCK_DURATION_MS("share.record.lock.duration.ms",
            "How long an acquisition lock lasts, in milliseconds, and how far a renew extends it. A change holds for"
                    + " locks taken or renewed after it.",
            p -> Long.toString(p.shareGroups().lockDuration().toMillis()),
            1_000, 3_600_000),
    SHARE_DELIVERY_COUNT_LIMIT("share.delivery.count.limit",
            "The most times a record is delivered; a lock that ends at the limit without an accept archives it.",
            p -> Integer.toString(p.shareGroups().deliveryLimit()),
            2, 10),
    SHARE_PARTITION_MAX_RECORD_LOCKS("share.partition.max.record.locks",
            "The most records a share-partition's in-flight window holds; no new record is acquired while it is full.",
            p -> Integer.toString(p.shareGroups().maxInFlightRecords()),
            100, 10_000),
    SHARE_SESSION_TIMEOUT_MS("share.session.timeout.ms",
            "How long a member is kept without a heartbeat, in milliseconds; must be more than"
                    + " share.heartbeat.interval.ms. Holds from each member's next heartbeat.",
            p -> Long.toString(p.shareGroups().sessionTimeout().toMillis()),
            1_000, 3_600_000),
    SHARE_HEARTBEAT_INTERVAL_MS("share.heartbeat.interval.ms",
            "How often members are told to heartbeat, in milliseconds.",
            p -> Long.toString(p.shareGroups().heartbeatInterval().toMillis()),
            100, 3_600_000),
    SHARE_ISOLATION_LEVEL("share.isolation.level", Type.STRING,
            "Which records are delivered: Sluice serves share groups 'read_uncommitted' only (every record, aborted"
                    + " transactional ones too).",
            p -> "read_uncommitted") {
        @Override
        public String canonical(String value) {
            String v = value.trim();
            if (v.equals("read_committed")) {
                throw invalid("Sluice serves share groups read_uncommitted only: share.isolation.level"
                        + " 'read_committed' is not supported");
            }
            if (!v.equals("read_uncommitted")) {
                throw invalid("'" + value + "' is no value of " + key() + ": 'read_uncommitted' (Sluice serves no"
                        + " other)");
            }
            return v;
        }
    },
    DEAD_LETTER_TOPIC_NAME("errors.deadletterqueue.topic.name", Type.STRING,
            "The topic a record archived by the group is written to (KIP-1191); blank: none.",
            p -> "") {
        @Override
        public String canonical(String value) {
            String v = value.trim();
            if (!v.isEmpty() && !TopicNames.isValid(v)) {
                throw invalid("'" + value + "' is no topic name for " + key());
            }
            if (v.startsWith("__")) {
                // KIP-1191: internal topics are never dead-letter topics. The cluster's name prefix is checked when
                // records are written, as Kafka does: it may change after the group was configured.
                throw invalid(key() + " cannot name a topic starting with __ (internal topics): '" + value + "'");
            }
            return v;
        }
    },
    DEAD_LETTER_COPY_RECORD_ENABLE("errors.deadletterqueue.copy.record.enable", Type.BOOLEAN,
            "Whether a dead-letter record carries the archived record's key and value (KIP-1191), or only headers"
                    + " naming it.",
            p -> "false") {
        @Override
        public String canonical(String value) {
            String v = value.trim().toLowerCase(Locale.ROOT);
            if (!v.equals("true") && !v.equals("false")) {
                throw invalid("'" + value + "' is no value of " + key() + ": 'true' or 'false'");
            }
            return v;
        }
    };

    private static final Map<String, GroupConfigKey> BY_NAME = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(GroupConfigKey::key, Function.identity()));

    private final String key;
    private final Type type;
    private final String documentation;
    private final Function<CoordinatorProperties, String> clusterDefault;
    private final int min;
    private final int max;

    /** A key of another type than INT: it says itself what it takes ({@link #canonical}). */
    GroupConfigKey(String key, Type type, String documentation,
                   Function<CoordinatorProperties, String> clusterDefault) {
        this(key, type, documentation, clusterDefault, 0, 0);
    }

    /** An INT key, taking the whole numbers from {@code min} to {@code max}. */
    GroupConfigKey(String key, String documentation, Function<CoordinatorProperties, String> clusterDefault, int min,
                   int max) {
        this(key, Type.INT, documentation, clusterDefault, min, max);
    }

    GroupConfigKey(String key, Type type, String documentation,
                   Function<CoordinatorProperties, String> clusterDefault, int min, int max) {
        this.key = key;
        this.type = type;
        this.documentation = documentation;
        this.clusterDefault = clusterDefault;
        this.min = min;
        this.max = max;
    }

    /** Kafka's name of the config. */
    public String key() {
        return key;
    }

    Type type() {
        return type;
    }

    String documentation() {
        return documentation;
    }

    /**
     * The value a group that sets none has: the coordinator's setting of the same meaning ({@code groups.*},
     * {@code streams-groups.*}, {@code share-groups.*}).
     */
    String clusterDefault(CoordinatorProperties properties) {
        return clusterDefault.apply(properties);
    }

    /**
     * {@code value} in the one form it is stored and shown in; INVALID_CONFIG, naming the key, for a value that is not
     * one of the key's: for an INT key a whole number within its bounds; keys of other types override it. Never
     * called with null.
     */
    public String canonical(String value) {
        return integer(value, min, max);
    }

    static Optional<GroupConfigKey> byName(String name) {
        return Optional.ofNullable(name == null ? null : BY_NAME.get(name));
    }

    /** The key of {@code name}; INVALID_CONFIG for a name Sluice does not have. */
    static GroupConfigKey of(String name) {
        return byName(name).orElseThrow(() -> ErrorCode.INVALID_CONFIG.exception("Unknown group config '"
                + name + "': the keys are " + Arrays.stream(values()).map(GroupConfigKey::key).sorted().toList()));
    }

    private String integer(String value, int min, int max) {
        int parsed;
        try {
            parsed = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw invalid("'" + value + "' is no whole number for " + key);
        }
        if (parsed < min || parsed > max) {
            throw invalid(key + " must be between " + min + " and " + max + ", not " + parsed);
        }
        return Integer.toString(parsed);
    }

    private static RuntimeException invalid(String message) {
        return ErrorCode.INVALID_CONFIG.exception(message);
    }
}

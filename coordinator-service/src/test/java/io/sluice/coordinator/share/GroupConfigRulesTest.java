package io.sluice.coordinator.share;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.coordinator.CoordinatorProperties;
import io.sluice.coordinator.CoordinatorProperties.ShareGroups.AutoOffsetReset;
import io.sluice.coordinator.groupconfig.GroupConfig;
import io.sluice.coordinator.groupconfig.GroupConfigKey;
import io.sluice.coordinator.groupconfig.GroupConfigRules;
import io.sluice.coordinator.testing.TestProperties;
import io.sluice.internal.share.ShareGroupConfigChange;
import io.sluice.internal.share.ShareGroupConfigList;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The group config keys (every group type's, read by share groups here): names, bounds, canonical forms, and how a
 * change is checked as a whole.
 */
class GroupConfigRulesTest {

    private static final CoordinatorProperties DEFAULTS = TestProperties.coordinator(Duration.ofSeconds(10));

    private static SortedMap<String, String> apply(SortedMap<String, String> current, Map<String, String> set,
                                                   List<String> delete) {
        return GroupConfigRules.apply("g", current, new ShareGroupConfigChange(set, delete, false, false),
                DEFAULTS);
    }

    private static SortedMap<String, String> set(String key, String value) {
        return apply(new TreeMap<>(), Map.of(key, value), List.of());
    }

    private static void refused(ErrorCode code, String messagePart, Runnable change) {
        assertThatThrownBy(change::run).isInstanceOfSatisfying(SluiceException.class, e -> {
            assertThat(e.errorCode()).isEqualTo(code);
            assertThat(e.getMessage()).contains(messagePart);
        });
    }

    @ParameterizedTest(name = "{0}: {1} is accepted, {2} is not")
    @CsvSource({
            "share.record.lock.duration.ms, 1000, 999",
            "share.record.lock.duration.ms, 3600000, 3600001",
            "share.delivery.count.limit, 2, 1",
            "share.delivery.count.limit, 10, 11",
            "share.partition.max.record.locks, 100, 99",
            "share.partition.max.record.locks, 10000, 10001",
            "share.session.timeout.ms, 3600000, 3600001",
            "share.heartbeat.interval.ms, 100, 99",
            "consumer.heartbeat.interval.ms, 100, 99",
            "streams.session.timeout.ms, 3600000, 3600001",
            "streams.heartbeat.interval.ms, 100, 99",
            "streams.num.standby.replicas, 0, -1",
            "streams.num.standby.replicas, 2, 3",
    })
    void whenAnIntegerIsAtItsBoundShouldBeAcceptedAndOneBeyondRefused(String key, String inside, String outside) {
        assertThat(set(key, inside)).containsExactly(Map.entry(key, inside));
        refused(ErrorCode.INVALID_CONFIG, key + " must be between", () -> set(key, outside));
    }

    @Test
    void whenSessionTimeoutIsAtItsFloorShouldBeAcceptedAboveTheHeartbeatInterval() {
        assertThat(apply(new TreeMap<>(), Map.of("share.session.timeout.ms", "1000",
                "share.heartbeat.interval.ms", "500"), List.of())).hasSize(2);
        refused(ErrorCode.INVALID_CONFIG, "must be between", () -> set("share.session.timeout.ms", "999"));
    }

    @Test
    void whenAConsumerGroupsSessionIsOutsideTheCoordinatorsBoundsShouldBeRefused() {
        assertThat(set("consumer.session.timeout.ms", "6000")).containsEntry("consumer.session.timeout.ms", "6000");
        refused(ErrorCode.INVALID_CONFIG, "groups.min-session-timeout", () -> set("consumer.session.timeout.ms",
                "5999"));
        assertThat(set("consumer.session.timeout.ms", "1800000")).hasSize(1);
        refused(ErrorCode.INVALID_CONFIG, "groups.max-session-timeout", () -> set("consumer.session.timeout.ms",
                "1800001"));
    }

    @Test
    void whenAConsumerOrStreamsSessionWouldNotExceedItsHeartbeatIntervalShouldBeRefused() {
        refused(ErrorCode.INVALID_CONFIG, "consumer.session.timeout.ms (6000) must be greater than"
                + " consumer.heartbeat.interval.ms (6000)", () -> apply(new TreeMap<>(), Map.of(
                        "consumer.session.timeout.ms", "6000", "consumer.heartbeat.interval.ms", "6000"), List.of()));
        refused(ErrorCode.INVALID_CONFIG, "streams.session.timeout.ms (4000) must be greater than"
                + " streams.heartbeat.interval.ms (5000)", () -> set("streams.session.timeout.ms", "4000"));
        assertThat(apply(new TreeMap<>(), Map.of("streams.session.timeout.ms", "4000",
                "streams.heartbeat.interval.ms", "1000"), List.of())).hasSize(2);
    }

    @Test
    void whenAGroupSetsConsumerAndStreamsKeysTheGroupConfigShouldHoldThemOverTheCoordinatorsSettings() {
        GroupConfig config = GroupConfig.of("g", apply(new TreeMap<>(), Map.of("consumer.session.timeout.ms",
                "10000", "streams.num.standby.replicas", "1"), List.of()), DEFAULTS);

        assertThat(config.millis(GroupConfigKey.CONSUMER_SESSION_TIMEOUT_MS)).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.millis(GroupConfigKey.CONSUMER_HEARTBEAT_INTERVAL_MS))
                .isEqualTo(DEFAULTS.groups().heartbeatInterval());
        assertThat(config.integer(GroupConfigKey.STREAMS_NUM_STANDBY_REPLICAS)).isOne();
        assertThat(config.millis(GroupConfigKey.STREAMS_SESSION_TIMEOUT_MS))
                .isEqualTo(DEFAULTS.streamsGroups().sessionTimeout());
    }

    @Test
    void whenValuesAreWrittenLooselyShouldBeStoredInOneForm() {
        assertThat(set("share.delivery.count.limit", " 3 ")).containsEntry("share.delivery.count.limit", "3");
        assertThat(set("share.auto.offset.reset", "EARLIEST")).containsEntry("share.auto.offset.reset", "earliest");
        assertThat(set("errors.deadletterqueue.copy.record.enable", "TRUE"))
                .containsEntry("errors.deadletterqueue.copy.record.enable", "true");
        assertThat(set("errors.deadletterqueue.topic.name", " dlq.orders "))
                .containsEntry("errors.deadletterqueue.topic.name", "dlq.orders");
    }

    @Test
    void whenKeyIsUnknownShouldBeRefusedAsInvalidConfigNamingTheKeys() {
        refused(ErrorCode.INVALID_CONFIG, "Unknown group config 'share.lock.ms'",
                () -> set("share.lock.ms", "1000"));
        refused(ErrorCode.INVALID_CONFIG, "consumer.assignment.interval.ms",
                () -> apply(new TreeMap<>(), Map.of(), List.of("consumer.assignment.interval.ms")));
    }

    @Test
    void whenIsolationLevelIsReadCommittedShouldBeRefusedSayingSluiceServesReadUncommittedOnly() {
        refused(ErrorCode.INVALID_CONFIG, "read_uncommitted only", () -> set("share.isolation.level", "read_committed"));
        refused(ErrorCode.INVALID_CONFIG, "no value of share.isolation.level",
                () -> set("share.isolation.level", "dirty"));
        refused(ErrorCode.INVALID_CONFIG, "read_uncommitted only", () -> set("share.isolation.level",
                " read_committed "));
        assertThat(set("share.isolation.level", "read_uncommitted ")).containsEntry("share.isolation.level",
                "read_uncommitted");
    }

    @Test
    void whenAutoOffsetResetIsByDurationOrUnknownShouldBeRefused() {
        refused(ErrorCode.INVALID_CONFIG, "'earliest' or 'latest' only",
                () -> set("share.auto.offset.reset", "by_duration:PT1H"));
        refused(ErrorCode.INVALID_CONFIG, "no value of share.auto.offset.reset",
                () -> set("share.auto.offset.reset", "none"));
    }

    @Test
    void whenDeadLetterKeysAreMalformedShouldBeRefused() {
        refused(ErrorCode.INVALID_CONFIG, "no topic name", () -> set("errors.deadletterqueue.topic.name", "a b"));
        refused(ErrorCode.INVALID_CONFIG, "'true' or 'false'",
                () -> set("errors.deadletterqueue.copy.record.enable", "yes"));
        refused(ErrorCode.INVALID_CONFIG, "no whole number", () -> set("share.delivery.count.limit", "3.5"));
    }

    @Test
    void whenOneValueOfAChangeIsBadShouldRefuseTheWholeChangeAndLeaveTheCurrentValues() {
        SortedMap<String, String> current = set("share.delivery.count.limit", "3");
        SortedMap<String, String> before = new TreeMap<>(current);

        refused(ErrorCode.INVALID_CONFIG, "share.partition.max.record.locks", () -> apply(current,
                Map.of("share.record.lock.duration.ms", "5000", "share.partition.max.record.locks", "5"), List.of()));

        assertThat(current).isEqualTo(before);
    }

    @Test
    void whenSessionTimeoutWouldNotExceedTheHeartbeatIntervalShouldBeRefused() {
        refused(ErrorCode.INVALID_CONFIG, "share.session.timeout.ms (5000) must be greater than",
                () -> set("share.session.timeout.ms", "5000"));
        SortedMap<String, String> both = apply(new TreeMap<>(), Map.of("share.session.timeout.ms", "2000",
                "share.heartbeat.interval.ms", "1000"), List.of());
        refused(ErrorCode.INVALID_CONFIG, "must be greater than",
                () -> apply(both, Map.of(), List.of("share.heartbeat.interval.ms")));
    }

    @Test
    void whenAKeyIsSetAndDeletedInOneChangeShouldBeAnInvalidRequest() {
        refused(ErrorCode.INVALID_REQUEST, "named twice", () -> apply(new TreeMap<>(),
                Map.of("share.delivery.count.limit", "3"), List.of("share.delivery.count.limit")));
        refused(ErrorCode.INVALID_REQUEST, "deletes nothing by name", () -> GroupConfigRules.apply("g",
                new TreeMap<>(), new ShareGroupConfigChange(Map.of(), List.of("share.delivery.count.limit"), true,
                        false), DEFAULTS));
    }

    @Test
    void whenChangeReplacesShouldKeepOnlyTheKeysItSets() {
        SortedMap<String, String> current = apply(new TreeMap<>(), Map.of("share.delivery.count.limit", "3",
                "share.record.lock.duration.ms", "5000"), List.of());

        SortedMap<String, String> after = GroupConfigRules.apply("g", current, new ShareGroupConfigChange(
                Map.of("share.auto.offset.reset", "earliest"), List.of(), true, false), DEFAULTS);

        assertThat(after).containsExactly(Map.entry("share.auto.offset.reset", "earliest"));
    }

    @Test
    void whenDescribedShouldShowEveryKeyWithTheGroupsValueOrTheClusterDefault() {
        GroupConfig config = GroupConfig.of("g", set("share.record.lock.duration.ms", "1000"), DEFAULTS);

        ShareGroupConfigList list = GroupConfigRules.describe(config);

        assertThat(list.configs()).extracting(ShareGroupConfigList.Entry::name).containsExactly(
                "consumer.heartbeat.interval.ms", "consumer.session.timeout.ms",
                "errors.deadletterqueue.copy.record.enable", "errors.deadletterqueue.topic.name",
                "share.auto.offset.reset", "share.delivery.count.limit", "share.heartbeat.interval.ms",
                "share.isolation.level", "share.partition.max.record.locks", "share.record.lock.duration.ms",
                "share.session.timeout.ms", "streams.acceptable.recovery.lag", "streams.heartbeat.interval.ms",
                "streams.num.standby.replicas", "streams.num.warmup.replicas", "streams.session.timeout.ms",
                "streams.task.offset.interval.ms");
        assertThat(list.configs()).filteredOn(e -> !e.isDefault()).singleElement().satisfies(e -> {
            assertThat(e.name()).isEqualTo("share.record.lock.duration.ms");
            assertThat(e.value()).isEqualTo("1000");
            assertThat(e.defaultValue()).isEqualTo("30000");
            assertThat(e.type()).isEqualTo(ShareGroupConfigList.Type.INT);
        });
        assertThat(list.configs()).filteredOn(e -> e.name().equals("share.auto.offset.reset"))
                .extracting(ShareGroupConfigList.Entry::value).containsExactly("latest");
        assertThat(list.configs()).filteredOn(e -> e.name().equals("share.session.timeout.ms"))
                .extracting(ShareGroupConfigList.Entry::value).containsExactly("45000");
        assertThat(list.configs()).filteredOn(e -> e.name().startsWith("streams.") && !e.name().contains("session")
                        && !e.name().contains("heartbeat") && !e.name().contains("standby"))
                .extracting(ShareGroupConfigList.Entry::name, ShareGroupConfigList.Entry::value,
                        ShareGroupConfigList.Entry::type)
                .containsExactly(tuple("streams.acceptable.recovery.lag", "10000", ShareGroupConfigList.Type.LONG),
                        tuple("streams.num.warmup.replicas", "2", ShareGroupConfigList.Type.INT),
                        tuple("streams.task.offset.interval.ms", "60000", ShareGroupConfigList.Type.INT));
    }

    @Test
    void streamsWarmUpKeysTakeKafkasBounds() {
        assertThat(apply(new TreeMap<>(), Map.of("streams.acceptable.recovery.lag", " 5000000000 ",
                "streams.num.warmup.replicas", "20", "streams.task.offset.interval.ms", "15000"), List.of()))
                .containsEntry("streams.acceptable.recovery.lag", "5000000000")
                .containsEntry("streams.num.warmup.replicas", "20")
                .containsEntry("streams.task.offset.interval.ms", "15000");
        refused(ErrorCode.INVALID_CONFIG, "at least 0", () -> apply(new TreeMap<>(),
                Map.of("streams.acceptable.recovery.lag", "-1"), List.of()));
        refused(ErrorCode.INVALID_CONFIG, "no whole number", () -> apply(new TreeMap<>(),
                Map.of("streams.acceptable.recovery.lag", "1.5"), List.of()));
        refused(ErrorCode.INVALID_CONFIG, "between 0 and 20", () -> apply(new TreeMap<>(),
                Map.of("streams.num.warmup.replicas", "21"), List.of()));
        refused(ErrorCode.INVALID_CONFIG, "between 15000", () -> apply(new TreeMap<>(),
                Map.of("streams.task.offset.interval.ms", "14999"), List.of()));
    }

    @Test
    void whenGroupSetsValuesTheTypedConfigShouldHoldThemOverTheDefaults() {
        ShareGroupConfig config = ShareGroupConfig.of("g", apply(new TreeMap<>(), Map.of(
                "share.auto.offset.reset", "earliest", "share.record.lock.duration.ms", "1000",
                "share.delivery.count.limit", "2", "share.partition.max.record.locks", "100",
                "share.session.timeout.ms", "3000", "share.heartbeat.interval.ms", "1000",
                "errors.deadletterqueue.topic.name", "dlq", "errors.deadletterqueue.copy.record.enable", "true"),
                List.of()), DEFAULTS);

        assertThat(config.autoOffsetReset()).isEqualTo(AutoOffsetReset.EARLIEST);
        assertThat(config.limits()).isEqualTo(new ShareLimits(100, 2, Duration.ofSeconds(1)));
        assertThat(config.sessionTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(config.heartbeatInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.deadLetterTopic()).contains("dlq");
        assertThat(config.copyRecord()).isTrue();

        ShareGroupConfig none = ShareGroupConfig.of("g", Map.of(), DEFAULTS);
        assertThat(none.limits()).isEqualTo(ShareLimits.DEFAULTS);
        assertThat(none.deadLetterTopic()).isEmpty();
        assertThat(none.copyRecord()).isFalse();
        assertThat(none.autoOffsetReset()).isEqualTo(AutoOffsetReset.LATEST);
    }
}

package io.sluice.coordinator.share;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.coordinator.CoordinatorProperties;
import io.sluice.coordinator.groupconfig.GroupConfigKey;
import io.sluice.coordinator.groupconfig.GroupConfigRules;
import io.sluice.coordinator.testing.TestProperties;
import io.sluice.internal.share.ShareGroupConfigChange;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Share group config changes over generated values: an integer key takes exactly the values within its bounds, stored
 * as they read back; a refused change leaves the group's values as they were; and what is stored reads back to the
 * same typed config.
 */
class GroupConfigRulesProperties {

    private static final CoordinatorProperties DEFAULTS = TestProperties.coordinator(Duration.ofSeconds(10));

    private static final Map<GroupConfigKey, int[]> BOUNDS = Map.of(
            GroupConfigKey.SHARE_RECORD_LOCK_DURATION_MS, new int[] {1_000, 3_600_000},
            GroupConfigKey.SHARE_DELIVERY_COUNT_LIMIT, new int[] {2, 10},
            GroupConfigKey.SHARE_PARTITION_MAX_RECORD_LOCKS, new int[] {100, 10_000});

    @Property
    void anIntegerKeyTakesExactlyTheValuesWithinItsBounds(@ForAll("integerKeys") GroupConfigKey key,
                                                          @ForAll @IntRange(min = -5, max = 4_000_000) int value) {
        int[] bounds = BOUNDS.get(key);
        SortedMap<String, String> current = new TreeMap<>(Map.of(GroupConfigKey.SHARE_AUTO_OFFSET_RESET.key(),
                "earliest"));
        ShareGroupConfigChange change = new ShareGroupConfigChange(Map.of(key.key(), Integer.toString(value)),
                List.of(), false, false);
        if (value >= bounds[0] && value <= bounds[1]) {
            SortedMap<String, String> after = GroupConfigRules.apply("g", current, change, DEFAULTS);
            assertThat(after).containsEntry(key.key(), Integer.toString(value))
                    .containsEntry(GroupConfigKey.SHARE_AUTO_OFFSET_RESET.key(), "earliest").hasSize(2);
            ShareLimits limits = ShareGroupConfig.of("g", after, DEFAULTS).limits();
            assertThat(switch (key) {
                case SHARE_RECORD_LOCK_DURATION_MS -> limits.lockDurationMs();
                case SHARE_DELIVERY_COUNT_LIMIT -> limits.deliveryLimit();
                default -> limits.maxInFlightRecords();
            }).isEqualTo((long) value);
        } else {
            assertThatThrownBy(() -> GroupConfigRules.apply("g", current, change, DEFAULTS))
                    .isInstanceOfSatisfying(SluiceException.class,
                            e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_CONFIG));
            assertThat(current).containsExactly(Map.entry(GroupConfigKey.SHARE_AUTO_OFFSET_RESET.key(), "earliest"));
        }
    }

    @Property
    void theSessionTimeoutAndHeartbeatIntervalAreAcceptedExactlyWhenTheSessionIsLonger(
            @ForAll @IntRange(min = 1_000, max = 20_000) int session,
            @ForAll @IntRange(min = 100, max = 20_000) int heartbeat) {
        ShareGroupConfigChange change = new ShareGroupConfigChange(Map.of(
                GroupConfigKey.SHARE_SESSION_TIMEOUT_MS.key(), Integer.toString(session),
                GroupConfigKey.SHARE_HEARTBEAT_INTERVAL_MS.key(), Integer.toString(heartbeat)), List.of(), false,
                false);
        if (session > heartbeat) {
            ShareGroupConfig config = ShareGroupConfig.of("g",
                    GroupConfigRules.apply("g", new TreeMap<>(), change, DEFAULTS), DEFAULTS);
            assertThat(config.sessionTimeout()).isEqualTo(Duration.ofMillis(session));
            assertThat(config.heartbeatInterval()).isEqualTo(Duration.ofMillis(heartbeat));
        } else {
            assertThatThrownBy(() -> GroupConfigRules.apply("g", new TreeMap<>(), change, DEFAULTS))
                    .isInstanceOfSatisfying(SluiceException.class,
                            e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_CONFIG));
        }
    }

    @Provide
    Arbitrary<GroupConfigKey> integerKeys() {
        return Arbitraries.of(BOUNDS.keySet());
    }
}

package io.sluice.coordinator.groupconfig;

import io.sluice.coordinator.CoordinatorProperties;
import io.sluice.internal.share.ShareGroupConfigChange;
import io.sluice.internal.share.ShareGroupConfigList;
import io.sluice.protocol.ErrorCode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * How a group's configs change and are shown. A change is checked as a whole before anything is decided: every key
 * known and every value one of its key's ({@link GroupConfigKey}), each group type's session timeout above its
 * heartbeat interval as they would hold afterwards, and a consumer group's session within the coordinator's bounds; a
 * refused change leaves the configs as they were. No Spring; called from the share package's sequence, the one
 * writer.
 */
public final class GroupConfigRules {

    private GroupConfigRules() {
    }

    /**
     * The group's stored values after {@code change} to {@code current}. INVALID_REQUEST for a malformed change (a key
     * both set and deleted, a delete with {@code replace}), INVALID_CONFIG for an unknown key, a value not the key's,
     * a session timeout not above its heartbeat interval, or a consumer session outside
     * {@code groups.min-session-timeout} to {@code groups.max-session-timeout}.
     */
    public static SortedMap<String, String> apply(String groupId, SortedMap<String, String> current,
                                                  ShareGroupConfigChange change, CoordinatorProperties properties) {
        if (change == null) {
            throw ErrorCode.INVALID_REQUEST.exception("A group config change needs a body");
        }
        if (change.replace() && !change.delete().isEmpty()) {
            throw ErrorCode.INVALID_REQUEST.exception("A change that replaces the configs deletes nothing by name: it"
                    + " sets them all, and every key it does not set goes back to its default");
        }
        Set<String> deleted = new HashSet<>();
        for (String name : change.delete()) {
            GroupConfigKey.of(name);
            if (!deleted.add(name) || change.set().containsKey(name)) {
                throw ErrorCode.INVALID_REQUEST.exception("Group config '" + name + "' is named twice in one change");
            }
        }
        SortedMap<String, String> after = new TreeMap<>(change.replace() ? Map.of() : current);
        change.set().forEach((name, value) -> {
            GroupConfigKey key = GroupConfigKey.of(name);
            if (value == null) {
                throw ErrorCode.INVALID_CONFIG.exception("Group config '" + name + "' needs a value: delete it to go"
                        + " back to the default");
            }
            after.put(name, key.canonical(value));
        });
        deleted.forEach(after::remove);
        GroupConfig config = GroupConfig.of(groupId, after, properties);
        sessionAboveHeartbeat(config, GroupConfigKey.CONSUMER_SESSION_TIMEOUT_MS,
                GroupConfigKey.CONSUMER_HEARTBEAT_INTERVAL_MS);
        sessionAboveHeartbeat(config, GroupConfigKey.STREAMS_SESSION_TIMEOUT_MS,
                GroupConfigKey.STREAMS_HEARTBEAT_INTERVAL_MS);
        sessionAboveHeartbeat(config, GroupConfigKey.SHARE_SESSION_TIMEOUT_MS,
                GroupConfigKey.SHARE_HEARTBEAT_INTERVAL_MS);
        Duration consumerSession = config.millis(GroupConfigKey.CONSUMER_SESSION_TIMEOUT_MS);
        CoordinatorProperties.Groups groups = properties.groups();
        if (consumerSession.compareTo(groups.minSessionTimeout()) < 0
                || consumerSession.compareTo(groups.maxSessionTimeout()) > 0) {
            throw ErrorCode.INVALID_CONFIG.exception(GroupConfigKey.CONSUMER_SESSION_TIMEOUT_MS.key() + " must be"
                    + " between " + groups.minSessionTimeout().toMillis() + " and "
                    + groups.maxSessionTimeout().toMillis() + " (the coordinator's groups.min-session-timeout and"
                    + " groups.max-session-timeout), not " + consumerSession.toMillis());
        }
        return after;
    }

    /** Every key, in name order, with the group's value or the cluster default. */
    public static ShareGroupConfigList describe(GroupConfig config) {
        List<ShareGroupConfigList.Entry> entries = new ArrayList<>();
        Arrays.stream(GroupConfigKey.values()).sorted(Comparator.comparing(GroupConfigKey::key)).forEach(key -> {
            String fallback = key.clusterDefault(config.properties());
            String set = config.overrides().get(key.key());
            entries.add(new ShareGroupConfigList.Entry(key.key(), Objects.requireNonNullElse(set, fallback),
                    set == null, fallback, key.type(), key.documentation()));
        });
        return new ShareGroupConfigList(config.groupId(), entries);
    }

    private static void sessionAboveHeartbeat(GroupConfig config, GroupConfigKey session, GroupConfigKey heartbeat) {
        if (config.millis(session).compareTo(config.millis(heartbeat)) <= 0) {
            throw ErrorCode.INVALID_CONFIG.exception(session.key() + " (" + config.millis(session).toMillis()
                    + ") must be greater than " + heartbeat.key() + " (" + config.millis(heartbeat).toMillis() + ")");
        }
    }
}

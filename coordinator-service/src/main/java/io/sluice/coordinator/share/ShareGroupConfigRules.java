package io.sluice.coordinator.share;

import io.sluice.coordinator.CoordinatorProperties;
import io.sluice.internal.share.ShareGroupConfigChange;
import io.sluice.internal.share.ShareGroupConfigList;
import io.sluice.protocol.ErrorCode;
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
 * How a share group's configs change and are shown. A change is checked as a whole before anything is decided: every
 * key known and every value one of its key's ({@link ShareConfigKey}), the session timeout above the heartbeat
 * interval as they would hold afterwards; a refused change leaves the configs as they were. No Spring; called from
 * the share-group sequence.
 */
final class ShareGroupConfigRules {

    private ShareGroupConfigRules() {
    }

    /**
     * The group's stored values after {@code change} to {@code current}. INVALID_REQUEST for a malformed change (a key
     * both set and deleted, a delete with {@code replace}), INVALID_CONFIG for an unknown key, a value not the key's,
     * or a session timeout not above the heartbeat interval.
     */
    static SortedMap<String, String> apply(String groupId, SortedMap<String, String> current,
                                           ShareGroupConfigChange change,
                                           CoordinatorProperties.ShareGroups defaults) {
        if (change == null) {
            throw ErrorCode.INVALID_REQUEST.exception("A share group config change needs a body");
        }
        if (change.replace() && !change.delete().isEmpty()) {
            throw ErrorCode.INVALID_REQUEST.exception("A change that replaces the configs deletes nothing by name: it"
                    + " sets them all, and every key it does not set goes back to its default");
        }
        Set<String> deleted = new HashSet<>();
        for (String name : change.delete()) {
            ShareConfigKey.of(name);
            if (!deleted.add(name) || change.set().containsKey(name)) {
                throw ErrorCode.INVALID_REQUEST.exception("Share group config '" + name + "' is named twice in one"
                        + " change");
            }
        }
        SortedMap<String, String> after = new TreeMap<>(change.replace() ? Map.of() : current);
        change.set().forEach((name, value) -> {
            ShareConfigKey key = ShareConfigKey.of(name);
            if (value == null) {
                throw ErrorCode.INVALID_CONFIG.exception("Share group config '" + name + "' needs a value: delete it"
                        + " to go back to the default");
            }
            after.put(name, key.canonical(value));
        });
        deleted.forEach(after::remove);
        ShareGroupConfig config = ShareGroupConfig.of(groupId, after, defaults);
        if (config.sessionTimeout().compareTo(config.heartbeatInterval()) <= 0) {
            throw ErrorCode.INVALID_CONFIG.exception(ShareConfigKey.SESSION_TIMEOUT_MS.key() + " ("
                    + config.sessionTimeout().toMillis() + ") must be greater than "
                    + ShareConfigKey.HEARTBEAT_INTERVAL_MS.key() + " (" + config.heartbeatInterval().toMillis() + ")");
        }
        return after;
    }

    /** Every key, in name order, with the group's value or the cluster default. */
    static ShareGroupConfigList describe(ShareGroupConfig config, CoordinatorProperties.ShareGroups defaults) {
        List<ShareGroupConfigList.Entry> entries = new ArrayList<>();
        Arrays.stream(ShareConfigKey.values()).sorted(Comparator.comparing(ShareConfigKey::key)).forEach(key -> {
            String fallback = key.clusterDefault(defaults);
            String set = config.overrides().get(key.key());
            entries.add(new ShareGroupConfigList.Entry(key.key(), Objects.requireNonNullElse(set, fallback),
                    set == null, fallback, key.type(), key.documentation()));
        });
        return new ShareGroupConfigList(config.groupId(), entries);
    }
}

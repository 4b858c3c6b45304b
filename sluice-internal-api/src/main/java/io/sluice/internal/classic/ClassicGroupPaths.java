package io.sluice.internal.classic;

import io.sluice.internal.group.GroupIds;

/** The coordinator's internal routes for classic groups. */
public final class ClassicGroupPaths {

    /** GET: every classic group's description. */
    public static final String GROUPS = "/internal/classic-groups";
    /** GET: one classic group's description. */
    public static final String GROUP = "/internal/classic-groups/{group}";
    public static final String JOIN = "/internal/classic-groups/{group}/join";
    public static final String SYNC = "/internal/classic-groups/{group}/sync";
    public static final String HEARTBEAT = "/internal/classic-groups/{group}/heartbeat";
    public static final String LEAVE = "/internal/classic-groups/{group}/leave";

    private ClassicGroupPaths() {
    }

    public static String group(String groupId) {
        GroupIds.validate(groupId);
        return GROUPS + "/" + groupId;
    }
}

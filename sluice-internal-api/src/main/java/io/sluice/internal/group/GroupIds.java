package io.sluice.internal.group;

import io.sluice.protocol.ErrorCode;
import java.util.regex.Pattern;

/**
 * The group id rule: 1 to 249 of {@code [a-zA-Z0-9._-]}, not {@code .} or {@code ..} — the topic-name alphabet. Kafka
 * takes any string; Sluice puts group ids in URL paths and Redis keys, and this alphabet is safe in both unescaped.
 */
public final class GroupIds {

    public static final int MAX_LENGTH = 249;
    private static final Pattern LEGAL = Pattern.compile("[a-zA-Z0-9._-]{1," + MAX_LENGTH + "}");

    private GroupIds() {
    }

    public static boolean isValid(String groupId) {
        return groupId != null && LEGAL.matcher(groupId).matches() && !groupId.equals(".") && !groupId.equals("..");
    }

    /** @throws io.sluice.protocol.SluiceException INVALID_GROUP_ID */
    public static void validate(String groupId) {
        if (!isValid(groupId)) {
            throw ErrorCode.INVALID_GROUP_ID.exception("A group id is 1 to " + MAX_LENGTH
                    + " of [a-zA-Z0-9._-] (not '.' or '..'), was '" + groupId + "'");
        }
    }
}

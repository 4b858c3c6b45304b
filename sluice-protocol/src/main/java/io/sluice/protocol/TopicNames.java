package io.sluice.protocol;

/**
 * Kafka's topic-name rule, shared by every service: 1 to 249 characters from {@code [a-zA-Z0-9._-]}, and not
 * {@code .} or {@code ..} (they would name the data directory itself or its parent).
 */
public final class TopicNames {

    public static final int MAX_LENGTH = 249;

    private TopicNames() {
    }

    /** Throws {@link ErrorCode#INVALID_TOPIC_NAME} with the reason when {@code name} is not a valid topic name. */
    public static void validate(String name) {
        String reason = invalidReason(name);
        if (reason != null) {
            throw ErrorCode.INVALID_TOPIC_NAME.exception(reason);
        }
    }

    public static boolean isValid(String name) {
        return invalidReason(name) == null;
    }

    private static String invalidReason(String name) {
        if (name == null || name.isEmpty()) {
            return "Topic name must not be empty";
        }
        if (name.equals(".") || name.equals("..")) {
            return "Topic name cannot be '.' or '..'";
        }
        if (name.length() > MAX_LENGTH) {
            return "Topic name is " + name.length() + " characters long; the maximum is " + MAX_LENGTH;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean legal = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-';
            if (!legal) {
                return "Topic name '" + name + "' contains '" + c + "'; only ASCII letters, digits, '.', '_' and '-' are allowed";
            }
        }
        return null;
    }
}

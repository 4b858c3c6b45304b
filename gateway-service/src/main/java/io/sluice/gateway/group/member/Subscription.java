package io.sluice.gateway.group.member;

import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.TopicNames;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * What a member consumes: topic names, or a regular expression matched against whole topic names; and, optionally,
 * its session timeout (the coordinator's default otherwise).
 */
record Subscription(List<String> topics, String topicPattern, Integer sessionTimeoutMs) {

    /** From a comma-separated {@code topics} or a {@code topic_pattern}: exactly one of them. */
    static Subscription of(String topics, String topicPattern, Integer sessionTimeoutMs) {
        return of(topics == null ? null : Arrays.stream(topics.split(",")).map(String::trim).toList(), topicPattern,
                sessionTimeoutMs);
    }

    static Subscription of(List<String> topics, String topicPattern, Integer sessionTimeoutMs) {
        if ((topics == null) == (topicPattern == null)) {
            throw ErrorCode.INVALID_REQUEST.exception("Give topics or topic_pattern (one of them)");
        }
        if (topics != null) {
            if (topics.isEmpty()) {
                throw ErrorCode.INVALID_REQUEST.exception("topics names no topic");
            }
            topics.forEach(TopicNames::validate);
        } else {
            try {
                Pattern.compile(topicPattern);
            } catch (PatternSyntaxException e) {
                throw ErrorCode.INVALID_REQUEST.exception("topic_pattern is not a regular expression: " + e.getDescription());
            }
        }
        if (sessionTimeoutMs != null && sessionTimeoutMs < 1) {
            throw ErrorCode.INVALID_REQUEST.exception("session_timeout_ms must be positive, was " + sessionTimeoutMs);
        }
        return new Subscription(topics == null ? null : List.copyOf(topics), topicPattern, sessionTimeoutMs);
    }
}

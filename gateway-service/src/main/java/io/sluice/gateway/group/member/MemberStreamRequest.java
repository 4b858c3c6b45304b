package io.sluice.gateway.group.member;

import io.sluice.gateway.consume.IsolationLevel;
import io.sluice.gateway.format.Formats;
import io.sluice.gateway.web.QueryParameters;
import io.sluice.protocol.ErrorCode;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.springframework.http.HttpHeaders;

/**
 * An SSE member's parameters: what it consumes ({@code topics} or {@code topic_pattern}, {@code session_timeout_ms}),
 * whether it is static ({@code group_instance_id}), how it commits ({@code auto_commit}, default true, every
 * {@code auto_commit_interval_ms}), where a partition without a commit starts ({@code auto_offset_reset}), its
 * {@code isolation_level} and the formats.
 *
 * @param autoCommitInterval null for the gateway's default
 */
record MemberStreamRequest(Subscription subscription, String groupInstanceId, boolean autoCommit,
                           Duration autoCommitInterval, OffsetReset reset, boolean readCommitted, Formats formats) {

    static final Set<String> PARAMETERS = parameters();

    static MemberStreamRequest of(QueryParameters query, HttpHeaders headers) {
        Long interval = query.whole("auto_commit_interval_ms");
        if (interval != null && interval < 1) {
            throw ErrorCode.INVALID_REQUEST.exception("auto_commit_interval_ms must be positive, was " + interval);
        }
        String instanceId = GroupRequests.checkedInstanceId(query.text("group_instance_id"));
        Subscription subscription = Subscription.of(query.text("topics"), query.text("topic_pattern"),
                query.integer("session_timeout_ms"));
        return new MemberStreamRequest(subscription, instanceId, !Boolean.FALSE.equals(query.bool("auto_commit")),
                interval == null ? null : Duration.ofMillis(interval), OffsetReset.of(query.text("auto_offset_reset")),
                IsolationLevel.readCommitted(query.text(IsolationLevel.PARAMETER)), Formats.of(query, headers));
    }

    private static Set<String> parameters() {
        Set<String> names = new HashSet<>(Set.of("topics", "topic_pattern", "auto_commit", "auto_commit_interval_ms",
                "auto_offset_reset", "session_timeout_ms", "group_instance_id", IsolationLevel.PARAMETER));
        names.addAll(Formats.PARAMETERS);
        return Set.copyOf(names);
    }
}

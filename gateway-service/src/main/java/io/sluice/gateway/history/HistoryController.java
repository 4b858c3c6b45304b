package io.sluice.gateway.history;

import io.sluice.internal.group.GroupIds;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.TopicNames;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * The metrics history this gateway keeps ({@link MetricsHistory}): a topic's, a consumer group's, a share group's and
 * the cluster's series, each with its points after {@code since} (epoch ms; all without it). Names and {@code since}
 * are checked here, before anything is asked ({@link HistoryQueries} answers); what the caller may see is checked by
 * the authorization filter (DESCRIBE on the topic, group or cluster).
 */
@RestController
class HistoryController {

    private final HistoryQueries queries;

    HistoryController(HistoryQueries queries) {
        this.queries = queries;
    }

    @GetMapping("/v1/topics/{topic}/history")
    Mono<HistoryView> topic(@PathVariable String topic, @RequestParam(name = "since", required = false) String since) {
        return Mono.defer(() -> {
            long after = since(since);
            TopicNames.validate(topic);
            return queries.topic(topic, after);
        });
    }

    @GetMapping("/v1/groups/{group}/history")
    Mono<HistoryView> group(@PathVariable String group, @RequestParam(name = "since", required = false) String since) {
        return Mono.defer(() -> {
            long after = since(since);
            GroupIds.validate(group);
            return queries.group(group, after);
        });
    }

    @GetMapping("/v1/share-groups/{group}/history")
    Mono<HistoryView> shareGroup(@PathVariable String group,
                                 @RequestParam(name = "since", required = false) String since) {
        return Mono.defer(() -> {
            long after = since(since);
            GroupIds.validate(group);
            return queries.shareGroup(group, after);
        });
    }

    @GetMapping("/v1/cluster/history")
    Mono<HistoryView> cluster(@RequestParam(name = "since", required = false) String since) {
        return Mono.defer(() -> queries.cluster(since(since)));
    }

    /** {@code since}: a time in epoch milliseconds, not negative; absent, the whole window. */
    private static long since(String since) {
        if (since == null || since.isEmpty()) {
            return Long.MIN_VALUE;
        }
        try {
            long ms = Long.parseLong(since);
            if (ms >= 0) {
                return ms;
            }
        } catch (NumberFormatException e) {
            // refused below, as a negative time is
        }
        throw ErrorCode.INVALID_REQUEST.exception("since must be a time in epoch milliseconds (0 or more): '"
                + since + "'");
    }
}

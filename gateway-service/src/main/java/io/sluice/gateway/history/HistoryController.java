package io.sluice.gateway.history;

import io.sluice.gateway.cluster.ClusterView;
import io.sluice.gateway.history.SeriesKey.Subject;
import io.sluice.internal.coordinator.CoordinatorApi;
import io.sluice.internal.group.GroupIds;
import io.sluice.internal.group.GroupListing;
import io.sluice.internal.share.ShareGroupApi;
import io.sluice.internal.share.ShareGroupListing;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.TopicNames;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * The metrics history this gateway keeps ({@link MetricsHistory}): a topic's, a consumer group's, a share group's and
 * the cluster's series, each with its points after {@code since} (epoch ms; all without it). A topic must exist in
 * this gateway's metadata; a group with no series yet must exist at the coordinator (UNKNOWN_GROUP otherwise), and
 * answers no series until its lag is first measured. What the caller may see is checked by the authorization filter
 * (DESCRIBE on the topic, group or cluster).
 */
@RestController
class HistoryController {

    private final MetricsHistory history;
    private final ClusterView cluster;
    private final CoordinatorApi coordinator;
    private final ShareGroupApi shareGroups;

    HistoryController(MetricsHistory history, ClusterView cluster, CoordinatorApi coordinator,
                      ShareGroupApi shareGroups) {
        this.history = history;
        this.cluster = cluster;
        this.coordinator = coordinator;
        this.shareGroups = shareGroups;
    }

    @GetMapping("/v1/topics/{topic}/history")
    Mono<HistoryView> topic(@PathVariable String topic, @RequestParam(name = "since", required = false) String since) {
        return Mono.fromSupplier(() -> {
            long after = since(since);
            TopicNames.validate(topic);
            cluster.topic(topic);
            return view(Subject.topic(topic), after);
        });
    }

    @GetMapping("/v1/groups/{group}/history")
    Mono<HistoryView> group(@PathVariable String group, @RequestParam(name = "since", required = false) String since) {
        return Mono.defer(() -> {
            long after = since(since);
            GroupIds.validate(group);
            Subject subject = Subject.group(group);
            if (history.has(subject)) {
                return Mono.just(view(subject, after));
            }
            return coordinator.groups().map(groups -> {
                if (groups.stream().map(GroupListing::groupId).noneMatch(group::equals)) {
                    throw ErrorCode.UNKNOWN_GROUP.exception("Group '" + group + "' does not exist");
                }
                return view(subject, after);
            });
        });
    }

    @GetMapping("/v1/share-groups/{group}/history")
    Mono<HistoryView> shareGroup(@PathVariable String group,
                                 @RequestParam(name = "since", required = false) String since) {
        return Mono.defer(() -> {
            long after = since(since);
            GroupIds.validate(group);
            Subject subject = Subject.shareGroup(group);
            if (history.has(subject)) {
                return Mono.just(view(subject, after));
            }
            return shareGroups.listShareGroups().map(groups -> {
                if (groups.stream().map(ShareGroupListing::groupId).noneMatch(group::equals)) {
                    throw ErrorCode.UNKNOWN_GROUP.exception("Share group '" + group + "' does not exist");
                }
                return view(subject, after);
            });
        });
    }

    @GetMapping("/v1/cluster/history")
    Mono<HistoryView> cluster(@RequestParam(name = "since", required = false) String since) {
        return Mono.fromSupplier(() -> view(Subject.CLUSTER, since(since)));
    }

    private HistoryView view(Subject subject, long after) {
        return new HistoryView(history.intervalMs(), history.windowMs(),
                history.of(subject, after).stream().map(HistoryView.SeriesView::of).toList());
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

package io.sluice.gateway.history;

import io.sluice.gateway.cluster.ClusterView;
import io.sluice.gateway.history.SeriesKey.Subject;
import io.sluice.internal.coordinator.CoordinatorApi;
import io.sluice.internal.group.GroupListing;
import io.sluice.internal.share.ShareGroupApi;
import io.sluice.internal.share.ShareGroupListing;
import io.sluice.protocol.ErrorCode;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * The history of a topic, a group, a share group or the cluster, with the existence checks the API answers by: a topic
 * must be in this gateway's metadata (UNKNOWN_TOPIC); a group without series yet must be one the coordinator lists
 * (UNKNOWN_GROUP), and has no series until its lag is first measured. A group with series is answered from them alone.
 */
@Service
class HistoryQueries {

    private final MetricsHistory history;
    private final ClusterView cluster;
    private final CoordinatorApi coordinator;
    private final ShareGroupApi shareGroups;

    HistoryQueries(MetricsHistory history, ClusterView cluster, CoordinatorApi coordinator,
                   ShareGroupApi shareGroups) {
        this.history = history;
        this.cluster = cluster;
        this.coordinator = coordinator;
        this.shareGroups = shareGroups;
    }

    Mono<HistoryView> topic(String topic, long afterMs) {
        return Mono.fromSupplier(() -> {
            cluster.topic(topic);
            return view(Subject.topic(topic), afterMs);
        });
    }

    Mono<HistoryView> group(String group, long afterMs) {
        Subject subject = Subject.group(group);
        if (history.has(subject)) {
            return Mono.just(view(subject, afterMs));
        }
        return coordinator.groups().map(groups -> {
            if (groups.stream().map(GroupListing::groupId).noneMatch(group::equals)) {
                throw ErrorCode.UNKNOWN_GROUP.exception("Group '" + group + "' does not exist");
            }
            return view(subject, afterMs);
        });
    }

    Mono<HistoryView> shareGroup(String group, long afterMs) {
        Subject subject = Subject.shareGroup(group);
        if (history.has(subject)) {
            return Mono.just(view(subject, afterMs));
        }
        return shareGroups.listShareGroups().map(groups -> {
            if (groups.stream().map(ShareGroupListing::groupId).noneMatch(group::equals)) {
                throw ErrorCode.UNKNOWN_GROUP.exception("Share group '" + group + "' does not exist");
            }
            return view(subject, afterMs);
        });
    }

    Mono<HistoryView> cluster(long afterMs) {
        return Mono.fromSupplier(() -> view(Subject.CLUSTER, afterMs));
    }

    private HistoryView view(Subject subject, long afterMs) {
        return new HistoryView(history.intervalMs(), history.windowMs(),
                history.of(subject, afterMs).stream().map(HistoryView.SeriesView::of).toList());
    }
}

package io.sluice.gateway.kafka.share;

import io.sluice.gateway.cluster.ClusterView;
import io.sluice.gateway.kafka.KafkaSession;
import io.sluice.gateway.kafka.KafkaTopics;
import io.sluice.internal.metadata.MetadataView;
import io.sluice.internal.share.ShareGroupApi;
import io.sluice.internal.share.ShareReleaseRequest;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Releases what a member holds in the share-partitions of a share session that ended ({@link ShareSessions}): closed
 * by a ShareFetch or ShareAcknowledge with epoch -1 (after that request's acknowledgements), or ended with its
 * connection. The records the member took through the session and did not acknowledge are delivered again at once,
 * as Kafka releases a closed session's records, instead of when their locks end. The member stays in its group.
 *
 * <p>A release that fails (the coordinator unreachable) changes nothing: the locks still end at their deadlines and
 * the records come back then.
 */
@Component
class ShareSessionReleases {

    private static final Logger LOG = LoggerFactory.getLogger(ShareSessionReleases.class);

    private final ShareGroupApi shares;
    private final ClusterView cluster;

    ShareSessionReleases(ShareGroupApi shares, ClusterView cluster) {
        this.shares = shares;
        this.cluster = cluster;
    }

    /** Releases the member's records in {@code partitions}; completes once the coordinator has (or could not). */
    Mono<Void> release(String groupId, String memberId, List<ShareSessions.SharePartitionId> partitions) {
        MetadataView view = cluster.current();
        List<ShareReleaseRequest.Partition> named = new ArrayList<>();
        for (ShareSessions.SharePartitionId id : partitions) {
            KafkaTopics.byId(view, id.topicId()).filter(topic -> id.partition() >= 0
                            && id.partition() < topic.partitions().size())
                    .ifPresent(topic -> named.add(new ShareReleaseRequest.Partition(topic.name(), id.partition())));
        }
        if (named.isEmpty()) {
            return Mono.empty();
        }
        return shares.release(new ShareReleaseRequest(groupId, memberId, named))
                .doOnNext(released -> LOG.debug("Share session of member {} of group {} ended: {} records released",
                        memberId, groupId, released.releasedRecords()))
                .onErrorResume(e -> {
                    LOG.warn("Could not release the records member {} of share group {} held in its closed share"
                            + " session ({}): they are delivered again when their locks expire", memberId, groupId,
                            e.toString());
                    return Mono.empty();
                })
                .then();
    }

    /** The share sessions of {@code connection}, which are released when it ends ({@link #connectionClosed}). */
    ShareSessions sessions(KafkaSession connection) {
        return connection.state(ShareSessions.class, ShareSessions::new, this::connectionClosed);
    }

    /** The connection of {@code sessions} ended: every share session on it is released, in the background. */
    void connectionClosed(ShareSessions sessions) {
        List<ShareSessions.Ended> ended = sessions.closeAll();
        if (!ended.isEmpty()) {
            Flux.fromIterable(ended)
                    .concatMap(e -> release(e.groupId(), e.memberId(), e.partitions()))
                    .subscribe();
        }
    }
}

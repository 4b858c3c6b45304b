package io.sluice.gateway.cluster;

import io.sluice.internal.client.MetadataWatcher;
import io.sluice.internal.metadata.MetadataView;
import io.sluice.internal.metadata.NodeInfo;
import io.sluice.internal.metadata.PartitionState;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.TopicPartition;
import java.time.Duration;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The gateway's view of the cluster: the latest metadata the coordinator pushed, and a way to wait for a newer one
 * (after a NOT_LEADER answer, a router waits for fresh metadata instead of retrying blindly). The data path keeps
 * serving with the last view while the coordinator is unreachable.
 */
@Component
public class ClusterView {

    private final MetadataWatcher watcher;

    ClusterView(MetadataWatcher watcher) {
        this.watcher = watcher;
        watcher.start();
    }

    public MetadataView current() {
        return watcher.current();
    }

    public boolean hasMetadata() {
        return watcher.current().version() > 0;
    }

    /** Snapshots refused because they were older than the view in force (a stale coordinator or Redis). */
    public long refusedMetadataRegressions() {
        return watcher.refusedRegressions();
    }

    /** The first view newer than {@code version}, or the current one after {@code maxWait}. */
    public Mono<MetadataView> awaitNewerThan(long version, Duration maxWait) {
        return watcher.awaitNewerThan(version, maxWait);
    }

    /**
     * {@code name} once this gateway's metadata has it, waiting up to {@code maxWait} for the coordinator's updates (a
     * topic just created reaches each gateway a moment later); LEADER_NOT_AVAILABLE, retriable, if it has not by then.
     */
    public Mono<TopicMetadata> awaitTopic(String name, Duration maxWait) {
        long deadline = System.nanoTime() + maxWait.toNanos();
        return Mono.defer(() -> awaitTopic(name, deadline));
    }

    private Mono<TopicMetadata> awaitTopic(String name, long deadline) {
        MetadataView view = current();
        if (view.topic(name).isPresent()) {
            return Mono.just(view.topic(name).get());
        }
        if (System.nanoTime() > deadline) {
            return Mono.error(ErrorCode.LEADER_NOT_AVAILABLE.exception("Topic '" + name
                    + "' was created but has not reached this gateway's metadata yet"));
        }
        return awaitNewerThan(view.version(), Duration.ofMillis(500))
                .then(Mono.defer(() -> awaitTopic(name, deadline)));
    }

    public TopicMetadata topic(String name) {
        return current().topic(name).orElseThrow(() ->
                ErrorCode.UNKNOWN_TOPIC.exception("Topic '" + name + "' does not exist"));
    }

    /** The partition's leader node, or the retriable error a client should back off on. */
    public static NodeInfo leader(MetadataView view, TopicPartition tp) {
        TopicMetadata topic = view.topic(tp.topic()).orElseThrow(() ->
                ErrorCode.UNKNOWN_TOPIC.exception("Topic '" + tp.topic() + "' does not exist"));
        if (tp.partition() >= topic.partitions().size()) {
            throw ErrorCode.UNKNOWN_PARTITION.exception("Topic '" + tp.topic() + "' has " + topic.partitions().size()
                    + " partitions; there is no partition " + tp.partition());
        }
        PartitionState state = topic.partition(tp.partition());
        if (!state.hasLeader()) {
            throw ErrorCode.LEADER_NOT_AVAILABLE.exception("Partition " + tp + " has no live leader right now");
        }
        return view.node(state.leader()).orElseThrow(() ->
                ErrorCode.LEADER_NOT_AVAILABLE.exception("The leader of " + tp + " is not registered"));
    }
}

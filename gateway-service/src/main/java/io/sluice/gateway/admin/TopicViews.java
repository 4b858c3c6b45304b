package io.sluice.gateway.admin;

import io.sluice.gateway.admin.AdminViews.PartitionView;
import io.sluice.gateway.admin.AdminViews.TopicSummary;
import io.sluice.gateway.admin.AdminViews.TopicView;
import io.sluice.gateway.routing.PartitionReader;
import io.sluice.gateway.routing.PartitionReader.PartitionBounds;
import io.sluice.internal.metadata.PartitionState;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.protocol.TopicPartition;
import io.sluice.protocol.config.TopicConfigs;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Topics and partitions as the admin API shows them: the coordinator's metadata, with offsets from the leaders. */
@Service
class TopicViews {

    private static final Duration OFFSETS_WAIT = Duration.ofSeconds(3);

    private final PartitionReader reader;

    TopicViews(PartitionReader reader) {
        this.reader = reader;
    }

    /** The topic with each partition's offsets, asked of its leader (null where it did not answer in time). */
    Mono<TopicView> withOffsets(TopicMetadata topic) {
        return partitionsWithOffsets(topic, topic.partitions()).map(partitions -> view(topic, partitions));
    }

    /** {@code partitions} of {@code topic}, with offsets from their leaders. */
    Mono<List<PartitionView>> partitionsWithOffsets(TopicMetadata topic, List<PartitionState> partitions) {
        Map<Integer, PartitionBounds> bounds = new ConcurrentHashMap<>();
        return Flux.fromIterable(partitions)
                .flatMap(state -> reader.bounds(new TopicPartition(topic.name(), state.partition()))
                        .timeout(OFFSETS_WAIT)
                        .doOnNext(found -> bounds.put(state.partition(), found))
                        .onErrorResume(e -> Mono.empty()))
                .then(Mono.fromSupplier(() -> partitions.stream().map(p -> partition(p, bounds.get(p.partition())))
                        .toList()));
    }

    /** The topic without offsets (as just created or grown: nothing to ask the leaders yet). */
    static TopicView withoutOffsets(TopicMetadata topic) {
        return view(topic, topic.partitions().stream().map(p -> partition(p, null)).toList());
    }

    static TopicSummary summary(TopicMetadata topic, StorageStats storage) {
        return new TopicSummary(topic.name(), topic.id(), topic.partitions().size(), topic.replicationFactor(),
                topic.partitions().stream().filter(p -> p.hasLeader() && p.isUnderReplicated())
                        .map(PartitionState::partition).toList(),
                topic.partitions().stream().filter(p -> !p.hasLeader()).map(PartitionState::partition).toList(),
                storage.sizeBytes(topic), storage.recordCount(topic));
    }

    private static TopicView view(TopicMetadata topic, List<PartitionView> partitions) {
        return new TopicView(topic.name(), topic.id(), topic.partitions().size(), topic.replicationFactor(),
                TopicConfigs.describe(topic.configs()), partitions, null);
    }

    private static PartitionView partition(PartitionState p, PartitionBounds bounds) {
        return new PartitionView(p.partition(), p.hasLeader() ? p.leader() : null, p.replicas(), p.isr(),
                p.leaderEpoch(), bounds == null ? null : bounds.logStartOffset(),
                bounds == null ? null : bounds.highWatermark(), bounds == null ? null : bounds.logEndOffset());
    }
}

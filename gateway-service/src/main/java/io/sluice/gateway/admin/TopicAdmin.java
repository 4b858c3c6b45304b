package io.sluice.gateway.admin;

import io.sluice.gateway.admin.AdminRequests.ConfigUpdate;
import io.sluice.gateway.admin.AdminRequests.NewTopic;
import io.sluice.gateway.admin.AdminViews.ConfigList;
import io.sluice.gateway.admin.AdminViews.PartitionView;
import io.sluice.gateway.admin.AdminViews.TopicView;
import io.sluice.gateway.cluster.ClusterView;
import io.sluice.internal.coordinator.AddPartitionsRequest;
import io.sluice.internal.coordinator.CoordinatorApi;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import io.sluice.protocol.config.TopicConfigs;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Topic administration, fronting the coordinator: create (or only validate), describe with partition leaders, ISR
 * and offsets, configs, add partitions, delete. Validation and errors are the coordinator's (INVALID_TOPIC_NAME,
 * INVALID_CONFIG, TOPIC_ALREADY_EXISTS, …), passed through unchanged.
 */
@Service
class TopicAdmin {

    /** How long a create waits for the new topic to reach this gateway's metadata before it answers anyway. */
    private static final Duration CREATED_TOPIC_WAIT = Duration.ofSeconds(5);

    private final CoordinatorApi coordinator;
    private final ClusterView cluster;
    private final TopicViews views;

    TopicAdmin(CoordinatorApi coordinator, ClusterView cluster, TopicViews views) {
        this.coordinator = coordinator;
        this.cluster = cluster;
        this.views = views;
    }

    /**
     * The topic created, once this gateway's metadata has it (up to {@link #CREATED_TOPIC_WAIT}), so that a produce
     * or read sent here next finds it; with {@code validate_only}, the topic as it would be, created nowhere.
     */
    Mono<TopicView> create(NewTopic request) {
        return Mono.defer(() -> coordinator.createTopic(request.toInternal()))
                .flatMap(created -> request.onlyValidate() ? Mono.just(created)
                        : cluster.awaitTopic(created.name(), CREATED_TOPIC_WAIT).thenReturn(created)
                                .onErrorResume(SluiceException.class, late -> Mono.just(created)))
                .map(TopicViews::withoutOffsets);
    }

    Mono<TopicView> describe(String topic) {
        return coordinator.describeTopic(topic).flatMap(views::withOffsets);
    }

    Mono<ConfigList> configs(String topic) {
        return coordinator.describeTopic(topic).map(t -> configs(t.configs()));
    }

    Mono<ConfigList> alterConfigs(String topic, ConfigUpdate request) {
        return Mono.defer(() -> coordinator.alterConfigs(topic, request.toInternal())).map(t -> configs(t.configs()));
    }

    /** Every topic config with its default: what a topic created without overrides gets. */
    ConfigList configDefaults() {
        return configs(Map.of());
    }

    Mono<List<PartitionView>> partitions(String topic) {
        return coordinator.describeTopic(topic).flatMap(t -> views.partitionsWithOffsets(t, t.partitions()));
    }

    Mono<PartitionView> partition(String topic, int partition) {
        return coordinator.describeTopic(topic).flatMap(t -> {
            if (partition < 0 || partition >= t.partitions().size()) {
                return Mono.error(ErrorCode.UNKNOWN_PARTITION.exception("Topic '" + topic + "' has partitions 0.."
                        + (t.partitions().size() - 1) + "; there is no partition " + partition));
            }
            return views.partitionsWithOffsets(t, List.of(t.partition(partition))).map(List::getFirst);
        });
    }

    /** Grows the topic to {@code partitionCount} partitions. */
    Mono<TopicView> addPartitions(String topic, Integer partitionCount) {
        if (partitionCount == null) {
            return Mono.error(ErrorCode.INVALID_PARTITIONS.exception("partition_count (the new total) is required"));
        }
        return coordinator.addPartitions(topic, new AddPartitionsRequest(partitionCount)).map(TopicViews::withoutOffsets);
    }

    Mono<Void> delete(String topic) {
        return coordinator.deleteTopic(topic);
    }

    private static ConfigList configs(Map<String, String> overrides) {
        return new ConfigList(TopicConfigs.describe(overrides));
    }
}

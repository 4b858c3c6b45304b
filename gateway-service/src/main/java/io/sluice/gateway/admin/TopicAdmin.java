package io.sluice.gateway.admin;

import io.sluice.gateway.admin.AdminRequests.ConfigUpdate;
import io.sluice.gateway.admin.AdminRequests.NewTopic;
import io.sluice.gateway.admin.AdminViews.ConfigList;
import io.sluice.gateway.admin.AdminViews.DeletedRecords;
import io.sluice.gateway.admin.AdminViews.PartitionView;
import io.sluice.gateway.admin.AdminViews.TopicView;
import io.sluice.gateway.cluster.ClusterView;
import io.sluice.gateway.routing.PartitionReader;
import io.sluice.internal.coordinator.AddPartitionsRequest;
import io.sluice.internal.coordinator.AlterConfigsRequest;
import io.sluice.internal.coordinator.CoordinatorApi;
import io.sluice.internal.coordinator.CreateTopicRequest;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import io.sluice.protocol.TopicPartition;
import io.sluice.protocol.config.TopicConfigs;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Topic administration, fronting the coordinator: create (or only validate), describe with partition leaders, ISR
 * and offsets, configs, add partitions, delete. Validation and errors are the coordinator's (INVALID_TOPIC_NAME,
 * INVALID_CONFIG, TOPIC_ALREADY_EXISTS, …), passed through unchanged. The HTTP admin API and the Kafka listener's
 * admin APIs both administer topics through this class: its public methods take and answer the internal types, the
 * package-private ones the HTTP API's bodies and views.
 */
@Service
public class TopicAdmin {

    /** How long a create waits for the new topic to reach this gateway's metadata before it answers anyway. */
    private static final Duration CREATED_TOPIC_WAIT = Duration.ofSeconds(5);

    private final CoordinatorApi coordinator;
    private final ClusterView cluster;
    private final TopicViews views;
    private final PartitionReader reader;

    TopicAdmin(CoordinatorApi coordinator, ClusterView cluster, TopicViews views, PartitionReader reader) {
        this.coordinator = coordinator;
        this.cluster = cluster;
        this.views = views;
        this.reader = reader;
    }

    /**
     * The topic created, once this gateway's metadata has it (up to {@link #CREATED_TOPIC_WAIT}), so that a produce
     * or read sent here next finds it; with {@code validate_only}, the topic as it would be, created nowhere.
     */
    Mono<TopicView> create(NewTopic request) {
        return Mono.defer(() -> create(request.toInternal())).map(TopicViews::withoutOffsets);
    }

    /**
     * {@link #create(NewTopic)} for a request already in the coordinator's terms: the topic created (or, with
     * {@code validateOnly}, as it would be: its id null), once this gateway's metadata has it.
     */
    public Mono<TopicMetadata> create(CreateTopicRequest request) {
        return coordinator.createTopic(request)
                .flatMap(created -> request.validateOnly() ? Mono.just(created)
                        : cluster.awaitTopic(created.name(), CREATED_TOPIC_WAIT).thenReturn(created)
                                .onErrorResume(SluiceException.class, late -> Mono.just(created)));
    }

    Mono<TopicView> describe(String topic) {
        return topic(topic).flatMap(views::withOffsets);
    }

    /** The topic as the coordinator has it now (this gateway's metadata may lag a change just made); UNKNOWN_TOPIC. */
    public Mono<TopicMetadata> topic(String name) {
        return coordinator.describeTopic(name);
    }

    Mono<ConfigList> configs(String topic) {
        return topic(topic).map(t -> configs(t.configs()));
    }

    Mono<ConfigList> alterConfigs(String topic, ConfigUpdate request) {
        return Mono.defer(() -> alterConfigs(topic, request.toInternal(), false)).map(t -> configs(t.configs()));
    }

    /**
     * Sets and removes config overrides of {@code topic}; the resulting set is validated as a whole. With
     * {@code validateOnly} the change is checked against the topic's current overrides as the coordinator would check
     * it (unknown names, values, the set as a whole) and the topic is answered as it would be, nothing changed.
     */
    public Mono<TopicMetadata> alterConfigs(String topic, AlterConfigsRequest change, boolean validateOnly) {
        if (!validateOnly) {
            return coordinator.alterConfigs(topic, change);
        }
        return topic(topic).map(current -> current.withConfigs(TopicConfigs.validate(applied(current.configs(),
                change))));
    }

    /** Every topic config with its default: what a topic created without overrides gets. */
    ConfigList configDefaults() {
        return configs(Map.of());
    }

    Mono<List<PartitionView>> partitions(String topic) {
        return coordinator.describeTopic(topic).flatMap(t -> views.partitionsWithOffsets(t, t.partitions()));
    }

    Mono<PartitionView> partition(String topic, int partition) {
        return existing(topic, partition)
                .flatMap(t -> views.partitionsWithOffsets(t, List.of(t.partition(partition))).map(List::getFirst));
    }

    /**
     * Deletes the partition's records below {@code before} ({@code -1}: the high watermark; Kafka's DeleteRecords)
     * and answers the low watermark once the in-sync replicas reached it, within {@code timeout}
     * ({@link PartitionReader#deleteRecordsBefore}).
     */
    Mono<DeletedRecords> deleteRecords(String topic, int partition, long before, Duration timeout) {
        return existing(topic, partition)
                .then(reader.deleteRecordsBefore(new TopicPartition(topic, partition), before, timeout))
                .map(lowWatermark -> new DeletedRecords(topic, partition, lowWatermark));
    }

    private Mono<TopicMetadata> existing(String topic, int partition) {
        return coordinator.describeTopic(topic).flatMap(t -> partition < 0 || partition >= t.partitions().size()
                ? Mono.error(ErrorCode.UNKNOWN_PARTITION.exception("Topic '" + topic + "' has partitions 0.."
                        + (t.partitions().size() - 1) + "; there is no partition " + partition))
                : Mono.just(t));
    }

    /** Grows the topic to {@code partitionCount} partitions. */
    Mono<TopicView> addPartitions(String topic, Integer partitionCount) {
        if (partitionCount == null) {
            return Mono.error(ErrorCode.INVALID_PARTITIONS.exception("partition_count (the new total) is required"));
        }
        return addPartitions(topic, partitionCount, false).map(TopicViews::withoutOffsets);
    }

    /**
     * Grows the topic to {@code partitionCount} partitions and answers it grown. With {@code validateOnly} only what
     * this gateway can tell without placing replicas is checked — the topic exists and the count is greater than its
     * partition count — and the topic is answered unchanged; the coordinator's limits on the count and its placement
     * over the live nodes are checked by the real change alone.
     */
    public Mono<TopicMetadata> addPartitions(String topic, int partitionCount, boolean validateOnly) {
        if (!validateOnly) {
            return coordinator.addPartitions(topic, new AddPartitionsRequest(partitionCount));
        }
        return topic(topic).map(current -> {
            if (partitionCount <= current.partitions().size()) {
                throw ErrorCode.INVALID_PARTITIONS.exception("Topic '" + topic + "' has "
                        + current.partitions().size() + " partitions; the new count must be greater, was "
                        + partitionCount);
            }
            return current;
        });
    }

    public Mono<Void> delete(String topic) {
        return coordinator.deleteTopic(topic);
    }

    private static ConfigList configs(Map<String, String> overrides) {
        return new ConfigList(TopicConfigs.describe(overrides));
    }

    /** {@code overrides} with {@code change} applied, as the coordinator applies it: removals first, then settings. */
    private static Map<String, String> applied(Map<String, String> overrides, AlterConfigsRequest change) {
        Map<String, String> configs = new HashMap<>(overrides);
        if (change.delete() != null) {
            for (String name : change.delete()) {
                if (!TopicConfigs.names().contains(name)) {
                    throw ErrorCode.INVALID_CONFIG.exception("Unknown topic config '" + name + "'");
                }
                configs.remove(name);
            }
        }
        if (change.set() != null) {
            configs.putAll(change.set());
        }
        return configs;
    }
}

package io.sluice.coordinator.topic;

import io.sluice.coordinator.CoordinatorProperties;
import io.sluice.coordinator.cluster.ReplicaPlacer;
import io.sluice.coordinator.metadata.MetadataManager;
import io.sluice.coordinator.metadata.Mutation;
import io.sluice.coordinator.share.ShareTopicCleanup;
import io.sluice.coordinator.store.MetadataChange;
import io.sluice.internal.coordinator.AddPartitionsRequest;
import io.sluice.internal.coordinator.AlterConfigsRequest;
import io.sluice.internal.coordinator.CreateTopicRequest;
import io.sluice.internal.metadata.MetadataView;
import io.sluice.internal.metadata.NodeInfo;
import io.sluice.internal.metadata.PartitionState;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.TopicNames;
import io.sluice.protocol.config.TopicConfigs;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Topic lifecycle: create (validated, placed across live nodes that are not being decommissioned), describe, alter configs, add partitions, delete.
 * Every check happens before anything is written; a refused request changes nothing.
 */
@Service
class TopicService {

    /** Kafka imposes no hard limit; this one keeps a single topic's metadata document reasonable. */
    static final int MAX_PARTITIONS = 10_000;

    private final MetadataManager metadata;
    private final ShareTopicCleanup shares;
    private final boolean remoteStorageEnabled;

    TopicService(MetadataManager metadata, ShareTopicCleanup shares, CoordinatorProperties properties) {
        this.metadata = metadata;
        this.shares = shares;
        this.remoteStorageEnabled = properties.remoteStorageEnabled();
    }

    List<TopicMetadata> list() {
        return metadata.view().metadata().topics();
    }

    TopicMetadata describe(String name) {
        return metadata.view().topic(name).orElseThrow(() -> unknownTopic(name));
    }

    /**
     * Creates the topic, or with {@code validateOnly} answers the topic it would create (its id null) after the same
     * checks, against the current view, without writing anything.
     */
    Mono<TopicMetadata> create(CreateTopicRequest request) {
        return Mono.fromCallable(() -> validated(request)).flatMap(valid -> valid.validateOnly()
                ? Mono.fromCallable(() -> placed(metadata.view(), valid, null))
                : metadata.submit(view -> {
                    TopicMetadata topic = placed(view, valid, UUID.randomUUID().toString());
                    return Mutation.of(MetadataChange.ofTopic(MetadataChange.TopicWrite.create(topic)), topic);
                }));
    }

    /** The new topic, its replicas placed over {@code view}'s live nodes; TOPIC_ALREADY_EXISTS if it exists. */
    private static TopicMetadata placed(MetadataView view, CreateTopicRequest valid, String id) {
        if (view.topic(valid.name()).isPresent()) {
            throw ErrorCode.TOPIC_ALREADY_EXISTS.exception("Topic '" + valid.name() + "' already exists");
        }
        List<List<Integer>> assignment = ReplicaPlacer.place(liveNodes(view), leaderCounts(view), 0,
                valid.partitions(), valid.replicationFactor());
        List<PartitionState> partitions = new ArrayList<>(assignment.size());
        for (int p = 0; p < assignment.size(); p++) {
            List<Integer> replicas = assignment.get(p);
            partitions.add(new PartitionState(p, replicas, replicas.getFirst(), replicas, 0, 0));
        }
        return new TopicMetadata(valid.name(), id, valid.replicationFactor(), valid.configs(), partitions);
    }

    /** Sets and removes config overrides; the resulting set is validated as a whole. */
    Mono<TopicMetadata> alterConfigs(String name, AlterConfigsRequest request) {
        return metadata.submit(view -> {
            TopicMetadata topic = view.topic(name).orElseThrow(() -> unknownTopic(name));
            Map<String, String> configs = new HashMap<>(topic.configs());
            if (request.delete() != null) {
                for (String key : request.delete()) {
                    if (!TopicConfigs.names().contains(key)) {
                        throw ErrorCode.INVALID_CONFIG.exception("Unknown topic config '" + key + "'");
                    }
                    configs.remove(key);
                }
            }
            if (request.set() != null) {
                configs.putAll(request.set());
            }
            TopicMetadata updated = topic.withConfigs(checkTiered(TopicConfigs.validate(configs)));
            if (tiered(topic.configs()) && !tiered(updated.configs())) {
                throw ErrorCode.INVALID_CONFIG.exception("Topic '" + name + "' keeps part of its log in remote "
                        + "storage: '" + TopicConfigs.REMOTE_STORAGE_ENABLE + "' cannot be turned off");
            }
            return Mutation.of(MetadataChange.ofTopic(MetadataChange.TopicWrite.update(updated, Map.of())), updated);
        });
    }

    private Map<String, String> checkTiered(Map<String, String> configs) {
        return checkTiered(configs, remoteStorageEnabled);
    }

    /** Configs turning on remote storage, refused unless the cluster has it. */
    static Map<String, String> checkTiered(Map<String, String> configs, boolean remoteStorageEnabled) {
        if (tiered(configs) && !remoteStorageEnabled) {
            throw ErrorCode.INVALID_CONFIG.exception("'" + TopicConfigs.REMOTE_STORAGE_ENABLE + "' needs remote "
                    + "storage, which this cluster does not have (sluice.coordinator.remote-storage-enabled and the "
                    + "partition services' sluice.partition.remote-storage.*; docs/storage.md)");
        }
        return configs;
    }

    private static boolean tiered(Map<String, String> configs) {
        return Boolean.parseBoolean(configs.getOrDefault(TopicConfigs.REMOTE_STORAGE_ENABLE, "false"));
    }

    /** Grows the topic to {@code request.count()} partitions; existing partitions keep their replicas. */
    Mono<TopicMetadata> addPartitions(String name, AddPartitionsRequest request) {
        return metadata.submit(view -> {
            TopicMetadata topic = view.topic(name).orElseThrow(() -> unknownTopic(name));
            int current = topic.partitions().size();
            if (request.count() <= current || request.count() > MAX_PARTITIONS) {
                throw ErrorCode.INVALID_PARTITIONS.exception("Topic '" + name + "' has " + current
                        + " partitions; the new count must be greater and at most " + MAX_PARTITIONS + ", was "
                        + request.count());
            }
            List<List<Integer>> assignment = ReplicaPlacer.place(liveNodes(view), leaderCounts(view), current,
                    request.count() - current, topic.replicationFactor());
            List<PartitionState> partitions = new ArrayList<>(topic.partitions());
            for (List<Integer> replicas : assignment) {
                partitions.add(new PartitionState(partitions.size(), replicas, replicas.getFirst(), replicas, 0, 0));
            }
            TopicMetadata updated = topic.withPartitions(partitions);
            return Mutation.of(MetadataChange.ofTopic(MetadataChange.TopicWrite.update(updated, Map.of())), updated);
        });
    }

    /**
     * Deletes the topic, with its remote logs (what tiered storage recorded of its partitions; the objects in the bucket
     * are the partition services' to delete), then its share-partitions in every share group. Should the second step fail (the lease was
     * lost between), the topic is deleted all the same and the error is answered; the share groups' state of the topic
     * is then removed by deleting the share groups.
     */
    Mono<Void> delete(String name) {
        return metadata.<Void>submit(view -> {
            TopicMetadata topic = view.topic(name).orElseThrow(() -> unknownTopic(name));
            return Mutation.of(new MetadataChange(List.of(), List.of(), List.of(topic)), null);
        }).then(Mono.defer(() -> shares.topicDeleted(name)));
    }

    private CreateTopicRequest validated(CreateTopicRequest request) {
        if (request.name() == null) {
            throw ErrorCode.INVALID_TOPIC_NAME.exception("Topic name is required");
        }
        TopicNames.validate(request.name());
        if (request.partitions() == null || request.partitions() < 1 || request.partitions() > MAX_PARTITIONS) {
            throw ErrorCode.INVALID_PARTITIONS.exception("The partition count must be between 1 and " + MAX_PARTITIONS
                    + ", was " + request.partitions());
        }
        if (request.replicationFactor() == null || request.replicationFactor() < 1) {
            throw ErrorCode.INVALID_REPLICATION_FACTOR.exception("replication_factor must be at least 1, was "
                    + request.replicationFactor());
        }
        Map<String, String> configs = checkTiered(TopicConfigs.validate(request.configs() == null ? Map.of()
                : request.configs()));
        return new CreateTopicRequest(request.name(), request.partitions(), request.replicationFactor(), configs,
                request.validateOnly());
    }

    /** The nodes new replicas may go to: alive and not being decommissioned. */
    private static List<NodeInfo> liveNodes(MetadataView view) {
        return view.metadata().nodes().stream().filter(NodeInfo::acceptsReplicas).toList();
    }

    private static Map<Integer, Integer> leaderCounts(MetadataView view) {
        Map<Integer, Integer> counts = new HashMap<>();
        view.metadata().topics().forEach(t -> t.partitions().forEach(p -> counts.merge(p.leader(), 1, Integer::sum)));
        return counts;
    }

    private static RuntimeException unknownTopic(String name) {
        return ErrorCode.UNKNOWN_TOPIC.exception("Topic '" + name + "' does not exist");
    }
}

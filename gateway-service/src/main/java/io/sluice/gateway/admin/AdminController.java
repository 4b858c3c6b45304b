package io.sluice.gateway.admin;

import io.sluice.gateway.cluster.ClusterView;
import io.sluice.internal.coordinator.AddPartitionsRequest;
import io.sluice.internal.coordinator.AlterConfigsRequest;
import io.sluice.internal.coordinator.CoordinatorApi;
import io.sluice.internal.coordinator.CreateTopicRequest;
import io.sluice.internal.metadata.NodeInfo;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.config.ConfigEntry;
import io.sluice.protocol.config.TopicConfigs;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Cluster administration, fronting the coordinator: topics (list, create, describe with partition leaders, ISR and
 * offsets, configs, add partitions, delete), nodes, and cluster health. Validation and errors are the
 * coordinator's (INVALID_TOPIC_NAME, INVALID_CONFIG, TOPIC_ALREADY_EXISTS, …), passed through unchanged.
 */
@RestController
class AdminController {

    private final CoordinatorApi coordinator;
    private final ClusterView cluster;
    private final TopicViews views;

    AdminController(CoordinatorApi coordinator, ClusterView cluster, TopicViews views) {
        this.coordinator = coordinator;
        this.cluster = cluster;
        this.views = views;
    }

    @GetMapping("/v1/topics")
    Mono<List<String>> listTopics() {
        return coordinator.topics().map(topics -> topics.stream().map(TopicMetadata::name).toList());
    }

    @PostMapping("/v1/topics")
    @ResponseStatus(HttpStatus.CREATED)
    Mono<TopicView> createTopic(@RequestBody NewTopic request) {
        return coordinator.createTopic(request.toInternal()).map(TopicViews::withoutOffsets);
    }

    @GetMapping("/v1/topics/{topic}")
    Mono<TopicView> describeTopic(@PathVariable String topic) {
        return coordinator.describeTopic(topic).flatMap(views::withOffsets);
    }

    @GetMapping("/v1/topics/{topic}/configs")
    Mono<List<ConfigEntry>> topicConfigs(@PathVariable String topic) {
        return coordinator.describeTopic(topic).map(t -> TopicConfigs.describe(t.configs()));
    }

    @PatchMapping("/v1/topics/{topic}/configs")
    Mono<List<ConfigEntry>> alterConfigs(@PathVariable String topic, @RequestBody ConfigChanges request) {
        return coordinator.alterConfigs(topic, request.toInternal()).map(t -> TopicConfigs.describe(t.configs()));
    }

    @PostMapping("/v1/topics/{topic}/partitions")
    Mono<TopicView> addPartitions(@PathVariable String topic, @RequestBody NewPartitions request) {
        if (request.count() == null) {
            return Mono.error(ErrorCode.INVALID_PARTITIONS.exception("count (the new total) is required"));
        }
        return coordinator.addPartitions(topic, new AddPartitionsRequest(request.count())).map(TopicViews::withoutOffsets);
    }

    @DeleteMapping("/v1/topics/{topic}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> deleteTopic(@PathVariable String topic) {
        return coordinator.deleteTopic(topic);
    }

    @GetMapping("/v1/nodes")
    Mono<List<NodeInfo>> nodes() {
        return coordinator.nodes();
    }

    @GetMapping("/v1/cluster")
    Mono<ClusterHealth> cluster() {
        return Mono.fromSupplier(() -> ClusterHealth.of(cluster.current()));
    }

    /** The public create-topic body; missing configs are none. */
    record NewTopic(String name, Integer partitions, Integer replicationFactor, Map<String, String> configs) {
        CreateTopicRequest toInternal() {
            return new CreateTopicRequest(name, partitions, replicationFactor, configs == null ? Map.of() : configs);
        }
    }

    /** The public config-change body: overrides to set and to remove; either may be left out. */
    record ConfigChanges(Map<String, String> set, List<String> delete) {
        AlterConfigsRequest toInternal() {
            return new AlterConfigsRequest(set == null ? Map.of() : set, delete == null ? List.of() : delete);
        }
    }

    /** The public add-partitions body: the new total. */
    record NewPartitions(Integer count) {
    }
}

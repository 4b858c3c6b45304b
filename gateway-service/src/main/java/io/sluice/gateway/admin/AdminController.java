package io.sluice.gateway.admin;

import io.sluice.gateway.admin.AdminRequests.ConfigUpdate;
import io.sluice.gateway.admin.AdminRequests.NewPartitionCount;
import io.sluice.gateway.admin.AdminRequests.NewTopic;
import io.sluice.gateway.admin.AdminViews.ConfigList;
import io.sluice.gateway.admin.AdminViews.NodeList;
import io.sluice.gateway.admin.AdminViews.PartitionList;
import io.sluice.gateway.admin.AdminViews.PartitionView;
import io.sluice.gateway.admin.AdminViews.TopicList;
import io.sluice.gateway.admin.AdminViews.TopicView;
import io.sluice.gateway.cluster.ClusterView;
import io.sluice.gateway.security.Authorizer;
import io.sluice.internal.acl.AclOperation;
import io.sluice.internal.acl.ResourceType;
import io.sluice.internal.coordinator.AddPartitionsRequest;
import io.sluice.internal.coordinator.CoordinatorApi;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import io.sluice.protocol.config.TopicConfigs;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.UriUtils;
import reactor.core.publisher.Mono;

/**
 * Cluster administration, fronting the coordinator: topics (list with a name filter, create — or only validate —,
 * describe with partition leaders, ISR and offsets, configs, add partitions, delete), a topic's partitions, nodes,
 * and cluster health. Validation and errors are the coordinator's (INVALID_TOPIC_NAME, INVALID_CONFIG,
 * TOPIC_ALREADY_EXISTS, …), passed through unchanged.
 */
@RestController
class AdminController {

    /** How long a create waits for the new topic to reach this gateway's metadata before it answers anyway. */
    private static final Duration CREATED_TOPIC_WAIT = Duration.ofSeconds(5);

    private final CoordinatorApi coordinator;
    private final ClusterView cluster;
    private final TopicViews views;
    private final ClusterOverview overview;
    private final Authorizer authorizer;

    AdminController(CoordinatorApi coordinator, ClusterView cluster, TopicViews views, ClusterOverview overview,
                    Authorizer authorizer) {
        this.coordinator = coordinator;
        this.cluster = cluster;
        this.views = views;
        this.overview = overview;
        this.authorizer = authorizer;
    }

    /**
     * Every topic whose name contains {@code name} (all without it) and the caller may describe, by name, with sizes
     * from the nodes.
     */
    @GetMapping("/v1/topics")
    Mono<TopicList> listTopics(@RequestParam(name = "name", required = false) String name,
                               ServerWebExchange exchange) {
        return overview.topics(name,
                topics -> authorizer.describable(exchange, ResourceType.TOPIC, topics, TopicMetadata::name));
    }

    /**
     * 201 with the topic's Location, once this gateway's metadata has the topic (up to {@link #CREATED_TOPIC_WAIT}), so
     * that a produce or read sent here next finds it; with {@code validate_only}, 200 with the topic as it would be,
     * created nowhere.
     */
    @PostMapping("/v1/topics")
    Mono<ResponseEntity<TopicView>> createTopic(@RequestBody NewTopic request, ServerWebExchange exchange) {
        return Mono.defer(() -> {
                    authorizer.authorizeCreateTopic(exchange, request.name() == null ? "" : request.name());
                    return coordinator.createTopic(request.toInternal());
                })
                .flatMap(created -> request.onlyValidate() ? Mono.just(created)
                        : cluster.awaitTopic(created.name(), CREATED_TOPIC_WAIT).thenReturn(created)
                                .onErrorResume(SluiceException.class, late -> Mono.just(created)))
                .map(TopicViews::withoutOffsets)
                .map(topic -> request.onlyValidate() ? ResponseEntity.ok(topic)
                        : ResponseEntity.created(URI.create("/v1/topics/"
                                + UriUtils.encodePathSegment(topic.name(), StandardCharsets.UTF_8)))
                        .body(topic));
    }

    @GetMapping("/v1/topics/{topic}")
    Mono<TopicView> describeTopic(@PathVariable String topic,
                                  @RequestParam(name = "include_authorized_operations", defaultValue = "false")
                                  boolean includeAuthorizedOperations, ServerWebExchange exchange) {
        return coordinator.describeTopic(topic).flatMap(views::withOffsets)
                .map(view -> includeAuthorizedOperations ? view.withAuthorizedOperations(
                        names(authorizer.authorizedOperations(exchange, ResourceType.TOPIC, topic))) : view);
    }

    @GetMapping("/v1/topics/{topic}/configs")
    Mono<ConfigList> topicConfigs(@PathVariable String topic) {
        return coordinator.describeTopic(topic).map(t -> new ConfigList(TopicConfigs.describe(t.configs())));
    }

    @PatchMapping("/v1/topics/{topic}/configs")
    Mono<ConfigList> alterConfigs(@PathVariable String topic, @RequestBody ConfigUpdate request) {
        return Mono.defer(() -> coordinator.alterConfigs(topic, request.toInternal()))
                .map(t -> new ConfigList(TopicConfigs.describe(t.configs())));
    }

    @GetMapping("/v1/topics/{topic}/partitions")
    Mono<PartitionList> partitions(@PathVariable String topic) {
        return coordinator.describeTopic(topic)
                .flatMap(t -> views.partitionsWithOffsets(t, t.partitions()))
                .map(PartitionList::new);
    }

    @GetMapping("/v1/topics/{topic}/partitions/{partition}")
    Mono<PartitionView> partition(@PathVariable String topic, @PathVariable int partition) {
        return coordinator.describeTopic(topic).flatMap(t -> {
            if (partition < 0 || partition >= t.partitions().size()) {
                return Mono.error(ErrorCode.UNKNOWN_PARTITION.exception("Topic '" + topic + "' has partitions 0.."
                        + (t.partitions().size() - 1) + "; there is no partition " + partition));
            }
            return views.partitionsWithOffsets(t, List.of(t.partition(partition))).map(List::getFirst);
        });
    }

    /** Grows the topic to {@code partition_count} partitions. */
    @PostMapping("/v1/topics/{topic}/partitions")
    Mono<TopicView> addPartitions(@PathVariable String topic, @RequestBody NewPartitionCount request) {
        if (request.partitionCount() == null) {
            return Mono.error(ErrorCode.INVALID_PARTITIONS.exception("partition_count (the new total) is required"));
        }
        return coordinator.addPartitions(topic, new AddPartitionsRequest(request.partitionCount()))
                .map(TopicViews::withoutOffsets);
    }

    @DeleteMapping("/v1/topics/{topic}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> deleteTopic(@PathVariable String topic) {
        return coordinator.deleteTopic(topic);
    }

    @GetMapping("/v1/nodes")
    Mono<NodeList> nodes() {
        return overview.nodes();
    }

    @GetMapping("/v1/cluster")
    Mono<ClusterHealth> cluster(@RequestParam(name = "include_authorized_operations", defaultValue = "false")
                                boolean includeAuthorizedOperations, ServerWebExchange exchange) {
        return overview.health().map(health -> includeAuthorizedOperations ? health.withAuthorizedOperations(
                names(authorizer.authorizedOperations(exchange, ResourceType.CLUSTER, ResourceType.CLUSTER_NAME)))
                : health);
    }

    /** Every topic config with its default: what a topic created without overrides gets. */
    @GetMapping("/v1/cluster/topic-configs")
    Mono<ConfigList> topicConfigDefaults() {
        return Mono.just(new ConfigList(TopicConfigs.describe(Map.of())));
    }

    private static List<String> names(List<AclOperation> operations) {
        return operations.stream().map(AclOperation::name).toList();
    }
}

package io.sluice.gateway.admin;

import io.sluice.gateway.admin.AdminRequests.ConfigUpdate;
import io.sluice.gateway.admin.AdminRequests.NewPartitionCount;
import io.sluice.gateway.admin.AdminRequests.NewTopic;
import io.sluice.gateway.admin.AdminViews.ConfigList;
import io.sluice.gateway.admin.AdminViews.DeletedRecords;
import io.sluice.gateway.admin.AdminViews.NodeList;
import io.sluice.gateway.admin.AdminViews.PartitionList;
import io.sluice.gateway.admin.AdminViews.PartitionView;
import io.sluice.gateway.admin.AdminViews.TopicList;
import io.sluice.gateway.admin.AdminViews.TopicView;
import io.sluice.gateway.security.Authorizer;
import io.sluice.internal.acl.AclOperation;
import io.sluice.internal.acl.ResourceType;
import io.sluice.internal.metadata.TopicMetadata;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
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
 * Cluster administration: topics (list with a name filter, create — or only validate —, describe with partition
 * leaders, ISR and offsets, configs, add partitions, delete; {@link TopicAdmin}), a topic's partitions, nodes, and
 * cluster health ({@link ClusterOverview}). What the caller may see and do is checked here, with the request.
 */
@RestController
class AdminController {

    private final TopicAdmin topics;
    private final ClusterOverview overview;
    private final Authorizer authorizer;

    AdminController(TopicAdmin topics, ClusterOverview overview, Authorizer authorizer) {
        this.topics = topics;
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

    /** 201 with the topic's Location; with {@code validate_only}, 200 with the topic as it would be. */
    @PostMapping("/v1/topics")
    Mono<ResponseEntity<TopicView>> createTopic(@RequestBody NewTopic request, ServerWebExchange exchange) {
        return Mono.defer(() -> {
                    authorizer.authorizeCreateTopic(exchange, request.name() == null ? "" : request.name());
                    return topics.create(request);
                })
                .map(topic -> request.onlyValidate() ? ResponseEntity.ok(topic)
                        : ResponseEntity.created(URI.create("/v1/topics/"
                                + UriUtils.encodePathSegment(topic.name(), StandardCharsets.UTF_8)))
                        .body(topic));
    }

    @GetMapping("/v1/topics/{topic}")
    Mono<TopicView> describeTopic(@PathVariable String topic,
                                  @RequestParam(name = "include_authorized_operations", defaultValue = "false")
                                  boolean includeAuthorizedOperations, ServerWebExchange exchange) {
        return topics.describe(topic)
                .map(view -> includeAuthorizedOperations ? view.withAuthorizedOperations(
                        names(authorizer.authorizedOperations(exchange, ResourceType.TOPIC, topic))) : view);
    }

    @GetMapping("/v1/topics/{topic}/configs")
    Mono<ConfigList> topicConfigs(@PathVariable String topic) {
        return topics.configs(topic);
    }

    @PatchMapping("/v1/topics/{topic}/configs")
    Mono<ConfigList> alterConfigs(@PathVariable String topic, @RequestBody ConfigUpdate request) {
        return topics.alterConfigs(topic, request);
    }

    @GetMapping("/v1/topics/{topic}/partitions")
    Mono<PartitionList> partitions(@PathVariable String topic) {
        return topics.partitions(topic).map(PartitionList::new);
    }

    @GetMapping("/v1/topics/{topic}/partitions/{partition}")
    Mono<PartitionView> partition(@PathVariable String topic, @PathVariable int partition) {
        return topics.partition(topic, partition);
    }

    /** Grows the topic to {@code partition_count} partitions. */
    @PostMapping("/v1/topics/{topic}/partitions")
    Mono<TopicView> addPartitions(@PathVariable String topic, @RequestBody NewPartitionCount request) {
        return topics.addPartitions(topic, request.partitionCount());
    }

    /** Deletes a partition's records below {@code before} (-1: all committed ones), as Kafka's DeleteRecords does. */
    @DeleteMapping("/v1/topics/{topic}/partitions/{partition}/records")
    Mono<DeletedRecords> deleteRecords(@PathVariable String topic, @PathVariable int partition,
                                       @RequestParam long before,
                                       @RequestParam(name = "timeout_ms", defaultValue = "30000") long timeoutMs) {
        return topics.deleteRecords(topic, partition, before, Duration.ofMillis(Math.max(0, timeoutMs)));
    }

    @DeleteMapping("/v1/topics/{topic}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> deleteTopic(@PathVariable String topic) {
        return topics.delete(topic);
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
        return Mono.just(topics.configDefaults());
    }

    private static List<String> names(List<AclOperation> operations) {
        return operations.stream().map(AclOperation::name).toList();
    }
}

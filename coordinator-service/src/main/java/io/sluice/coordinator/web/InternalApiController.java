package io.sluice.coordinator.web;

import io.sluice.coordinator.lease.CoordinatorLease;
import io.sluice.coordinator.lease.LeaseStatus;
import io.sluice.coordinator.metadata.MetadataManager;
import io.sluice.coordinator.node.NodeService;
import io.sluice.coordinator.node.RegisterRequest;
import io.sluice.coordinator.node.RegisterResponse;
import io.sluice.coordinator.node.ShutdownResponse;
import io.sluice.coordinator.partition.AlterPartitionRequest;
import io.sluice.coordinator.partition.PartitionStateService;
import io.sluice.coordinator.topic.AddPartitionsRequest;
import io.sluice.coordinator.topic.AlterConfigsRequest;
import io.sluice.coordinator.topic.CreateTopicRequest;
import io.sluice.coordinator.topic.TopicService;
import io.sluice.metadata.MetadataUpdate;
import io.sluice.metadata.NodeInfo;
import io.sluice.metadata.PartitionState;
import io.sluice.metadata.TopicMetadata;
import io.sluice.protocol.ErrorCode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The coordinator's internal HTTP API, used by partition services, gateways and the admin face of the gateway.
 * Controllers only compose: validation and decisions live in the services.
 */
@RestController
@RequestMapping("/internal")
public class InternalApiController {

    private final NodeService nodes;
    private final TopicService topics;
    private final PartitionStateService partitions;
    private final MetadataManager metadata;
    private final CoordinatorLease lease;
    private final Duration maxWait;

    public InternalApiController(NodeService nodes, TopicService topics, PartitionStateService partitions,
                                 MetadataManager metadata, CoordinatorLease lease,
                                 io.sluice.coordinator.CoordinatorProperties properties) {
        this.nodes = nodes;
        this.topics = topics;
        this.partitions = partitions;
        this.metadata = metadata;
        this.lease = lease;
        this.maxWait = properties.metadata().maxWait();
    }

    @GetMapping("/coordinator")
    CoordinatorStatus status() {
        LeaseStatus status = lease.status();
        return new CoordinatorStatus(lease.instanceId(), metadata.isReady(),
                status.activeCoordinator() == null ? null : status.activeCoordinator().url(),
                status.active() ? status.self().fencingToken() : null,
                metadata.isReady() ? metadata.view().version() : -1);
    }

    // Nodes

    @PostMapping("/nodes")
    Mono<RegisterResponse> register(@RequestBody RegisterRequest request) {
        return nodes.register(request);
    }

    @GetMapping("/nodes")
    List<NodeInfo> listNodes() {
        return metadata.view().metadata().nodes();
    }

    @PostMapping("/nodes/{id}/heartbeat")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> heartbeat(@PathVariable int id) {
        return nodes.heartbeat(id);
    }

    @PostMapping("/nodes/{id}/shutdown")
    Mono<ShutdownResponse> shutdown(@PathVariable int id) {
        return nodes.shutdown(id);
    }

    // Topics

    @GetMapping("/topics")
    List<TopicMetadata> listTopics() {
        return topics.list();
    }

    @PostMapping("/topics")
    @ResponseStatus(HttpStatus.CREATED)
    Mono<TopicMetadata> createTopic(@RequestBody CreateTopicRequest request) {
        return topics.create(request);
    }

    @GetMapping("/topics/{name}")
    TopicMetadata describeTopic(@PathVariable String name) {
        return topics.describe(name);
    }

    @PatchMapping("/topics/{name}/configs")
    Mono<TopicMetadata> alterConfigs(@PathVariable String name, @RequestBody AlterConfigsRequest request) {
        return topics.alterConfigs(name, request);
    }

    @PostMapping("/topics/{name}/partitions")
    Mono<TopicMetadata> addPartitions(@PathVariable String name, @RequestBody AddPartitionsRequest request) {
        return topics.addPartitions(name, request);
    }

    @DeleteMapping("/topics/{name}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> deleteTopic(@PathVariable String name) {
        return topics.delete(name);
    }

    // Partitions

    @PostMapping("/topics/{name}/partitions/{partition}/isr")
    Mono<PartitionState> alterPartition(@PathVariable String name, @PathVariable int partition,
                                        @RequestBody AlterPartitionRequest request) {
        return partitions.alterPartition(name, partition, request);
    }

    @PostMapping("/elections/preferred")
    Mono<Map<String, Integer>> electPreferred(@RequestParam(required = false) String topic) {
        return partitions.electPreferredLeaders(topic).map(moved -> Map.of("moved", moved));
    }

    // Metadata stream

    @GetMapping(value = "/metadata", produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<MetadataUpdate> metadata(@RequestParam(defaultValue = "-1") long since,
                                  @RequestParam(name = "wait_ms", defaultValue = "0") long waitMs) {
        if (waitMs < 0) {
            return Mono.error(ErrorCode.INVALID_REQUEST.exception("wait_ms must be >= 0, was " + waitMs));
        }
        Duration wait = Duration.ofMillis(Math.min(waitMs, maxWait.toMillis()));
        return wait.isZero() ? Mono.fromSupplier(() -> metadata.feed().updateSince(since)) : metadata.feed().poll(since, wait);
    }

    @GetMapping(value = "/metadata", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Flux<ServerSentEvent<MetadataUpdate>> metadataStream(@RequestParam(defaultValue = "-1") long since) {
        return metadata.feed().stream(since)
                .map(update -> ServerSentEvent.builder(update).id(Long.toString(update.version())).event("metadata").build());
    }
}

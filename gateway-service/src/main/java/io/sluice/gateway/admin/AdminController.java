package io.sluice.gateway.admin;

import io.sluice.gateway.cluster.ClusterView;
import io.sluice.gateway.consume.ConsumeService;
import io.sluice.metadata.MetadataView;
import io.sluice.metadata.NodeInfo;
import io.sluice.metadata.PartitionState;
import io.sluice.metadata.TopicMetadata;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.TopicPartition;
import io.sluice.protocol.config.ConfigEntry;
import io.sluice.protocol.config.TopicConfigs;
import io.sluice.protocol.wire.ListOffsetsRequest;
import io.sluice.protocol.wire.ListOffsetsResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
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
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Cluster administration, fronting the coordinator: topics (list, create, describe with partition leaders, ISR and
 * offsets, configs, add partitions, delete), nodes, and cluster health. Validation and errors are the
 * coordinator's (INVALID_TOPIC_NAME, INVALID_CONFIG, TOPIC_ALREADY_EXISTS, …), passed through unchanged.
 */
@RestController
public class AdminController {

    private final CoordinatorAdmin coordinator;
    private final ClusterView cluster;
    private final ConsumeService consume;

    public AdminController(CoordinatorAdmin coordinator, ClusterView cluster, ConsumeService consume) {
        this.coordinator = coordinator;
        this.cluster = cluster;
        this.consume = consume;
    }

    @GetMapping("/v1/topics")
    Mono<List<String>> listTopics() {
        return coordinator.listTopics().map(topics -> topics.stream().map(TopicMetadata::name).toList());
    }

    @PostMapping("/v1/topics")
    @ResponseStatus(HttpStatus.CREATED)
    Mono<TopicView> createTopic(@RequestBody CreateTopicRequest request) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", request.name());
        body.put("partitions", request.partitions());
        body.put("replication_factor", request.replicationFactor());
        body.put("configs", request.configs() == null ? Map.of() : request.configs());
        return coordinator.createTopic(body).map(topic -> view(topic, null));
    }

    @GetMapping("/v1/topics/{topic}")
    Mono<TopicView> describeTopic(@PathVariable String topic) {
        return coordinator.describeTopic(topic).flatMap(this::withOffsets);
    }

    @GetMapping("/v1/topics/{topic}/configs")
    Mono<List<ConfigEntry>> topicConfigs(@PathVariable String topic) {
        return coordinator.describeTopic(topic).map(t -> TopicConfigs.describe(t.configs()));
    }

    @PatchMapping("/v1/topics/{topic}/configs")
    Mono<List<ConfigEntry>> alterConfigs(@PathVariable String topic, @RequestBody AlterConfigsRequest request) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("set", request.set() == null ? Map.of() : request.set());
        body.put("delete", request.delete() == null ? List.of() : request.delete());
        return coordinator.alterConfigs(topic, body).map(t -> TopicConfigs.describe(t.configs()));
    }

    @PostMapping("/v1/topics/{topic}/partitions")
    Mono<TopicView> addPartitions(@PathVariable String topic, @RequestBody AddPartitionsRequest request) {
        if (request.count() == null) {
            return Mono.error(ErrorCode.INVALID_PARTITIONS.exception("count (the new total) is required"));
        }
        return coordinator.addPartitions(topic, request.count()).map(t -> view(t, null));
    }

    @DeleteMapping("/v1/topics/{topic}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> deleteTopic(@PathVariable String topic) {
        return coordinator.deleteTopic(topic);
    }

    @GetMapping("/v1/nodes")
    Mono<List<NodeInfo>> nodes() {
        return coordinator.listNodes();
    }

    @GetMapping("/v1/cluster")
    Mono<ClusterHealth> cluster() {
        return Mono.fromSupplier(() -> ClusterHealth.of(cluster.current()));
    }

    private Mono<TopicView> withOffsets(TopicMetadata topic) {
        Map<Integer, Long[]> offsets = new java.util.concurrent.ConcurrentHashMap<>();
        return Flux.fromIterable(topic.partitions())
                .flatMap(state -> {
                    TopicPartition tp = new TopicPartition(topic.name(), state.partition());
                    return Mono.zip(offset(tp, ListOffsetsRequest.EARLIEST), offset(tp, ListOffsetsRequest.LATEST))
                            .doOnNext(pair -> offsets.put(state.partition(), new Long[] {pair.getT1(), pair.getT2()}));
                })
                .then(Mono.fromSupplier(() -> view(topic, offsets)));
    }

    private Mono<Long> offset(TopicPartition tp, long which) {
        return consume.listOffset(tp, which)
                .map(ListOffsetsResponse.Partition::offset)
                .timeout(Duration.ofSeconds(3))
                .onErrorResume(e -> Mono.just(-1L));
    }

    private static TopicView view(TopicMetadata topic, Map<Integer, Long[]> offsets) {
        List<TopicView.PartitionView> partitions = topic.partitions().stream().map(p -> {
            Long[] o = offsets == null ? null : offsets.get(p.partition());
            return new TopicView.PartitionView(p.partition(), p.leader(), p.replicas(), p.isr(), p.leaderEpoch(),
                    o == null || o[0] < 0 ? null : o[0], o == null || o[1] < 0 ? null : o[1]);
        }).toList();
        return new TopicView(topic.name(), topic.id(), topic.partitions().size(), topic.replicationFactor(),
                topic.configs(), partitions);
    }

    record CreateTopicRequest(String name, Integer partitions, Integer replicationFactor, Map<String, String> configs) {
    }

    record AlterConfigsRequest(Map<String, String> set, List<String> delete) {
    }

    record AddPartitionsRequest(Integer count) {
    }

    /** Cluster health as the gateway's metadata shows it. */
    record ClusterHealth(long metadataVersion, String coordinator, int nodes, int liveNodes, int topics, int partitions,
                         List<String> offlinePartitions, List<String> underReplicatedPartitions) {
        static ClusterHealth of(MetadataView view) {
            var metadata = view.metadata();
            List<String> offline = new java.util.ArrayList<>();
            List<String> under = new java.util.ArrayList<>();
            int partitions = 0;
            for (TopicMetadata topic : metadata.topics()) {
                for (PartitionState p : topic.partitions()) {
                    partitions++;
                    if (!p.hasLeader()) {
                        offline.add(topic.name() + "-" + p.partition());
                    } else if (p.isUnderReplicated()) {
                        under.add(topic.name() + "-" + p.partition());
                    }
                }
            }
            return new ClusterHealth(metadata.version(),
                    metadata.coordinator() == null ? null : metadata.coordinator().url(), metadata.nodes().size(),
                    (int) metadata.nodes().stream().filter(NodeInfo::isAlive).count(), metadata.topics().size(),
                    partitions, offline, under);
        }
    }
}

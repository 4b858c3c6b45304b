package io.sluice.gateway.produce;

import io.sluice.gateway.brokerconfig.BrokerConfigs;
import io.sluice.gateway.cluster.ClusterView;
import io.sluice.internal.coordinator.CoordinatorApi;
import io.sluice.internal.coordinator.CreateTopicRequest;
import io.sluice.internal.metadata.MetadataView;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import io.sluice.protocol.TopicNames;
import java.time.Duration;
import java.util.Map;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The topic a produce request names: from the metadata, or — only when the cluster's {@code auto.create.topics.enable}
 * holds — created with its {@code num.partitions} and {@code default.replication.factor}, then awaited in the metadata.
 * Otherwise UNKNOWN_TOPIC (404). A Kafka client's Metadata request that allows auto-creation asks it too. Those three
 * are read as they are now ({@link BrokerConfigs#autoCreateDefaults}: set at run time, else the gateway's
 * {@code sluice.gateway.auto-create-topics.*}), at the coordinator, only for a topic that does not exist.
 */
@Component
public class TopicAutoCreator {

    private static final Duration METADATA_WAIT = Duration.ofSeconds(10);

    private final ClusterView cluster;
    private final CoordinatorApi coordinator;
    private final BrokerConfigs brokers;

    TopicAutoCreator(ClusterView cluster, CoordinatorApi coordinator, BrokerConfigs brokers) {
        this.cluster = cluster;
        this.coordinator = coordinator;
        this.brokers = brokers;
    }

    public Mono<TopicMetadata> topic(String name) {
        return Mono.defer(() -> {
            TopicNames.validate(name);
            MetadataView view = cluster.current();
            if (view.topic(name).isPresent()) {
                return Mono.just(view.topic(name).get());
            }
            return brokers.autoCreateDefaults().flatMap(defaults -> {
                if (!defaults.autoCreate()) {
                    return Mono.error(ErrorCode.UNKNOWN_TOPIC.exception("Topic '" + name + "' does not exist"));
                }
                return coordinator.createTopic(new CreateTopicRequest(name, defaults.partitions(),
                                defaults.replicationFactor(), Map.of()))
                        .onErrorResume(e -> e instanceof SluiceException s
                                && s.errorCode() == ErrorCode.TOPIC_ALREADY_EXISTS, e -> Mono.empty())
                        .then(cluster.awaitTopic(name, METADATA_WAIT));
            });
        });
    }
}

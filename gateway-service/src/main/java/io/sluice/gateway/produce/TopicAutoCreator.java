package io.sluice.gateway.produce;

import io.sluice.gateway.GatewayProperties;
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
 * The topic a produce request names: from the metadata, or — only when {@code auto-create-topics.enabled} — created
 * with the configured partitions and replication factor, then awaited in the metadata. Otherwise UNKNOWN_TOPIC (404).
 * A Kafka client's Metadata request that allows auto-creation asks it too.
 */
@Component
public class TopicAutoCreator {

    private static final Duration METADATA_WAIT = Duration.ofSeconds(10);

    private final ClusterView cluster;
    private final CoordinatorApi coordinator;
    private final GatewayProperties.AutoCreateTopics settings;

    TopicAutoCreator(ClusterView cluster, CoordinatorApi coordinator, GatewayProperties properties) {
        this.cluster = cluster;
        this.coordinator = coordinator;
        this.settings = properties.autoCreateTopics();
    }

    public Mono<TopicMetadata> topic(String name) {
        return Mono.defer(() -> {
            TopicNames.validate(name);
            MetadataView view = cluster.current();
            if (view.topic(name).isPresent()) {
                return Mono.just(view.topic(name).get());
            }
            if (!settings.enabled()) {
                return Mono.error(ErrorCode.UNKNOWN_TOPIC.exception("Topic '" + name + "' does not exist"));
            }
            return coordinator.createTopic(new CreateTopicRequest(name, settings.partitions(),
                            settings.replicationFactor(), Map.of()))
                    .onErrorResume(e -> e instanceof SluiceException s && s.errorCode() == ErrorCode.TOPIC_ALREADY_EXISTS,
                            e -> Mono.empty())
                    .then(cluster.awaitTopic(name, METADATA_WAIT));
        });
    }
}

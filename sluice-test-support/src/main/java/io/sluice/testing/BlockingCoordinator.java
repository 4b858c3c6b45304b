package io.sluice.testing;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.internal.client.CoordinatorClient;
import io.sluice.internal.client.InternalClientSettings;
import io.sluice.internal.client.InternalHttp;
import io.sluice.internal.client.MetadataWatcher;
import io.sluice.internal.coordinator.AlterConfigsRequest;
import io.sluice.internal.coordinator.CreateTopicRequest;
import io.sluice.internal.metadata.NodeInfo;
import io.sluice.internal.metadata.TopicMetadata;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * For tests: the real {@link CoordinatorClient} on its own client stack, with blocking shorthands for the calls tests
 * make from their own thread. Closing it closes its connections.
 */
public final class BlockingCoordinator implements AutoCloseable {

    private final InternalHttp http;
    private final CoordinatorClient client;

    public BlockingCoordinator(List<URI> urls, Duration callTimeout) {
        this(urls, callTimeout, null);
    }

    /** With the cluster secret (null: none) of a cluster whose internal plane is closed. */
    public BlockingCoordinator(List<URI> urls, Duration callTimeout, String clusterSecret) {
        this.http = new InternalHttp(InternalClientSettings.defaults().withCallTimeout(callTimeout),
                new SimpleMeterRegistry(), clusterSecret, null);
        this.client = new CoordinatorClient(http, urls);
    }

    public CoordinatorClient client() {
        return client;
    }

    /** A watcher of this client's metadata (not started). */
    public MetadataWatcher watcher(Duration pollWait) {
        return new MetadataWatcher(client, pollWait);
    }

    public TopicMetadata createTopic(String name, int partitions, int replicationFactor, Map<String, String> configs) {
        return client.createTopic(new CreateTopicRequest(name, partitions, replicationFactor, configs)).block();
    }

    public TopicMetadata describeTopic(String name) {
        return client.describeTopic(name).block();
    }

    public TopicMetadata setConfigs(String topic, Map<String, String> set) {
        return client.alterConfigs(topic, new AlterConfigsRequest(set, List.of())).block();
    }

    public List<TopicMetadata> topics() {
        return client.topics().block();
    }

    public List<NodeInfo> nodes() {
        return client.nodes().block();
    }

    @Override
    public void close() {
        http.close();
    }
}

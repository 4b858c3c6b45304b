package io.sluice.gateway.admin;

import io.sluice.metadata.CoordinatorClient;
import io.sluice.metadata.NodeInfo;
import io.sluice.metadata.TopicMetadata;
import io.sluice.protocol.TopicNames;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The coordinator's admin calls as Monos. The coordinator client blocks (it fails over between coordinator URLs
 * with the JDK HttpClient), so calls run on the bounded elastic scheduler, never on an event loop.
 */
@Component
public class CoordinatorAdmin {

    private final CoordinatorClient coordinator;
    private final Scheduler blocking = Schedulers.boundedElastic();

    public CoordinatorAdmin(CoordinatorClient coordinator) {
        this.coordinator = coordinator;
    }

    public Mono<TopicMetadata> createTopic(Map<String, Object> request) {
        return call(() -> coordinator.post("/internal/topics", request, TopicMetadata.class));
    }

    public Mono<List<TopicMetadata>> listTopics() {
        return call(() -> Arrays.asList(coordinator.get("/internal/topics", TopicMetadata[].class)));
    }

    public Mono<TopicMetadata> describeTopic(String name) {
        return call(() -> coordinator.get(topicPath(name), TopicMetadata.class));
    }

    public Mono<TopicMetadata> alterConfigs(String name, Map<String, Object> request) {
        return call(() -> coordinator.patch(topicPath(name) + "/configs", request, TopicMetadata.class));
    }

    public Mono<TopicMetadata> addPartitions(String name, int count) {
        return call(() -> coordinator.post(topicPath(name) + "/partitions", Map.of("count", count),
                TopicMetadata.class));
    }

    public Mono<Void> deleteTopic(String name) {
        return call(() -> {
            coordinator.delete(topicPath(name));
            return null;
        });
    }

    public Mono<List<NodeInfo>> listNodes() {
        return call(() -> Arrays.asList(coordinator.get("/internal/nodes", NodeInfo[].class)));
    }

    /**
     * The coordinator path of a topic. The name comes from the public URL, decoded: only a valid topic name (letters,
     * digits, '.', '_', '-'; not '.' or '..') may be put into an internal URL, where '?', '#', '/' or '..' would
     * make it another call (or an invalid URI, a 500).
     */
    private static String topicPath(String name) {
        TopicNames.validate(name);
        return "/internal/topics/" + name;
    }

    private <T> Mono<T> call(Callable<T> call) {
        return Mono.fromCallable(call).subscribeOn(blocking);
    }
}

package io.sluice.coordinator.topic;

import io.sluice.internal.coordinator.AddPartitionsRequest;
import io.sluice.internal.coordinator.AlterConfigsRequest;
import io.sluice.internal.coordinator.CoordinatorPaths;
import io.sluice.internal.coordinator.CreateTopicRequest;
import io.sluice.internal.metadata.TopicMetadata;
import java.util.List;
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
 * Topic administration over HTTP, for gateways: their admin face and the topic auto-creation of producers. Lists,
 * creates, describes, alters configs of, adds partitions to and deletes topics; validation and placement are
 * {@link TopicService}'s.
 */
@RestController
class TopicController {

    private final TopicService topics;

    TopicController(TopicService topics) {
        this.topics = topics;
    }

    @GetMapping(CoordinatorPaths.TOPICS)
    List<TopicMetadata> listTopics() {
        return topics.list();
    }

    @PostMapping(CoordinatorPaths.TOPICS)
    @ResponseStatus(HttpStatus.CREATED)
    Mono<TopicMetadata> createTopic(@RequestBody CreateTopicRequest request) {
        return topics.create(request);
    }

    @GetMapping(CoordinatorPaths.TOPIC)
    TopicMetadata describeTopic(@PathVariable String name) {
        return topics.describe(name);
    }

    @PatchMapping(CoordinatorPaths.TOPIC_CONFIGS)
    Mono<TopicMetadata> alterConfigs(@PathVariable String name, @RequestBody AlterConfigsRequest request) {
        return topics.alterConfigs(name, request);
    }

    @PostMapping(CoordinatorPaths.TOPIC_PARTITIONS)
    Mono<TopicMetadata> addPartitions(@PathVariable String name, @RequestBody AddPartitionsRequest request) {
        return topics.addPartitions(name, request);
    }

    @DeleteMapping(CoordinatorPaths.TOPIC)
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> deleteTopic(@PathVariable String name) {
        return topics.delete(name);
    }
}

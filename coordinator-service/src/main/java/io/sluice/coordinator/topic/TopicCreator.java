package io.sluice.coordinator.topic;

import io.sluice.coordinator.group.InternalTopicCreator;
import io.sluice.coordinator.share.DeadLetterTopicCreator;
import io.sluice.internal.coordinator.CreateTopicRequest;
import java.util.Map;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Share groups' dead-letter topics and streams groups' internal topics created as a user's create would make them
 * ({@link TopicService#create}).
 */
@Component
class TopicCreator implements DeadLetterTopicCreator, InternalTopicCreator {

    private final TopicService topics;

    TopicCreator(TopicService topics) {
        this.topics = topics;
    }

    @Override
    public Mono<Void> create(String name, int partitions, int replicationFactor, Map<String, String> configs) {
        return topics.create(new CreateTopicRequest(name, partitions, replicationFactor, configs)).then();
    }
}

package io.sluice.coordinator.group;

import java.util.Map;
import reactor.core.publisher.Mono;

/**
 * Creates a streams group's missing internal topics with the checks and placement of any topic creation. Implemented
 * by the topic package, which already depends on this one.
 */
public interface InternalTopicCreator {

    /** Creates the topic; fails as a user's create would (TOPIC_ALREADY_EXISTS, INVALID_CONFIG, ...). */
    Mono<Void> create(String name, int partitions, int replicationFactor, Map<String, String> configs);
}

package io.sluice.coordinator.share;

import java.util.Map;
import reactor.core.publisher.Mono;

/**
 * Creates a missing dead-letter topic (when the cluster allows it) with the checks and placement of any topic
 * creation. Implemented by the topic package, which already depends on this one (a deleted topic's share-partitions).
 */
public interface DeadLetterTopicCreator {

    /** Creates the topic; fails as a user's create would (TOPIC_ALREADY_EXISTS, INVALID_REPLICATION_FACTOR, ...). */
    Mono<Void> create(String name, int partitions, int replicationFactor, Map<String, String> configs);
}

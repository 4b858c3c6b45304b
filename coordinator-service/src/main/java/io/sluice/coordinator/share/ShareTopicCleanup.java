package io.sluice.coordinator.share;

import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * What the topic lifecycle tells share groups: a deleted topic's share-partitions are forgotten in every share group
 * (their records are gone; a topic created again under the name starts afresh, at the group's
 * {@code auto-offset-reset}).
 */
@Component
public class ShareTopicCleanup {

    private final ShareGroupService service;

    ShareTopicCleanup(ShareGroupService service) {
        this.service = service;
    }

    /** Removes the topic's share-partitions from every share group, through the share groups' fenced writes. */
    public Mono<Void> topicDeleted(String topic) {
        return service.deleteTopic(topic);
    }
}

package io.sluice.coordinator.group;

import reactor.core.publisher.Mono;

/**
 * Which group ids are share groups' (members or stored share-partitions), as the share package knows them. Kafka keeps
 * one namespace of group ids: a consumer group, of either protocol, cannot start under a share group's id. Declared
 * here and implemented by the share package, which depends on this one, not the other way round.
 */
public interface ShareGroupIds {

    /** Whether {@code groupId} is a share group's now. */
    Mono<Boolean> isShareGroup(String groupId);
}

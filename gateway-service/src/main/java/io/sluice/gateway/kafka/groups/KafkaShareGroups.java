package io.sluice.gateway.kafka.groups;

import io.sluice.internal.share.ShareGroupApi;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Which group ids are share groups, as Kafka's group APIs must tell them from consumer groups: an id with share
 * members now, or with share-partitions stored (HTTP workers take records without being members). Group ids are one
 * namespace, so such an id is no consumer or classic group.
 */
@Component
public class KafkaShareGroups {

    /** Kafka's group type and protocol type of a share group. */
    static final String TYPE = "share";

    private final ShareGroupApi shares;

    KafkaShareGroups(ShareGroupApi shares) {
        this.shares = shares;
    }

    Mono<Boolean> isShareGroup(String group) {
        return shares.members(group).flatMap(members -> members.members().isEmpty() ? stored(group)
                : Mono.just(true));
    }

    /** Whether the group has share-partitions stored. */
    public Mono<Boolean> stored(String group) {
        return shares.describeShareGroup(group).thenReturn(true)
                .onErrorResume(e -> e instanceof SluiceException s && s.errorCode() == ErrorCode.UNKNOWN_GROUP,
                        e -> Mono.just(false));
    }
}

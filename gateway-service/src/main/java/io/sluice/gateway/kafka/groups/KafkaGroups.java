package io.sluice.gateway.kafka.groups;

import io.sluice.internal.group.GroupState;

/** How Kafka's group APIs name what Sluice's consumer groups are. */
final class KafkaGroups {

    /** A consumer group of KIP-848's protocol (HTTP members too): Kafka's group type and protocol type. */
    static final String TYPE = "consumer";
    /** The group type and protocol type of a streams group (KIP-1071). */
    static final String STREAMS = "streams";
    /** The group type of a group of Kafka's classic protocol. */
    static final String CLASSIC = "classic";

    private KafkaGroups() {
    }

    /** The state as Kafka's ListGroups and ConsumerGroupDescribe spell it. */
    static String state(GroupState state) {
        return switch (state) {
            case EMPTY -> "Empty";
            case NOT_READY -> "NotReady";
            case RECONCILING -> "Reconciling";
            case STABLE -> "Stable";
        };
    }
}

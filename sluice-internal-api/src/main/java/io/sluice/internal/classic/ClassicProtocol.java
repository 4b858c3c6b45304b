package io.sluice.internal.classic;

import io.sluice.internal.group.TopicPartitions;
import java.util.List;

/**
 * One protocol a classic group member supports (an assignor, for consumers), with its opaque metadata and, for a
 * member of protocol type {@code consumer}, what that metadata says as the gateway read it (Kafka's
 * ConsumerProtocolSubscription): the topics it subscribes to and the partitions the member still owns. {@code topics}
 * is null when nobody knows them: another protocol type (Connect's), or metadata that does not parse, which Kafka
 * counts as subscribed to every topic; {@code ownedPartitions} is null then too.
 */
public record ClassicProtocol(String name, byte[] metadata, List<String> topics,
                              List<TopicPartitions> ownedPartitions) {

    public ClassicProtocol {
        topics = topics == null ? null : List.copyOf(topics);
        ownedPartitions = ownedPartitions == null ? null : List.copyOf(ownedPartitions);
    }

    /** A protocol whose metadata names no owned partitions (Connect's, or a consumer's that owns none). */
    public ClassicProtocol(String name, byte[] metadata, List<String> topics) {
        this(name, metadata, topics, topics == null ? null : List.of());
    }
}

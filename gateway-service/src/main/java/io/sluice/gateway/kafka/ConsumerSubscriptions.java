package io.sluice.gateway.kafka;

import io.sluice.internal.group.TopicPartitions;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.message.ConsumerProtocolSubscription;
import org.apache.kafka.common.protocol.ByteBufferAccessor;

/**
 * What a classic {@code consumer} member's protocol metadata in its JoinGroup says, read as Kafka's group coordinator
 * reads it: Kafka's ConsumerProtocolSubscription, a version then the fields, a version newer than kafka-clients knows
 * read as the newest it knows. The coordinator decides with the topics whether a topic's offsets may be deleted
 * ({@code ClassicGroups}), and assigns a classic member of a consumer group by them and by the partitions it still
 * owns ({@code ClassicMemberRules}). Metadata that does not parse leaves both unknown, which counts as every topic.
 */
final class ConsumerSubscriptions {

    /** The topics subscribed to, and the partitions the member owns as it joins (none before version 1). */
    record Subscription(List<String> topics, List<TopicPartitions> ownedPartitions) {
    }

    private ConsumerSubscriptions() {
    }

    /** What {@code metadata} subscribes to; empty when it does not parse. */
    static Optional<Subscription> read(byte[] metadata) {
        try {
            ByteBuffer buffer = ByteBuffer.wrap(metadata);
            short version = buffer.getShort();
            if (version < ConsumerProtocolSubscription.LOWEST_SUPPORTED_VERSION) {
                return Optional.empty();
            }
            ConsumerProtocolSubscription subscription = new ConsumerProtocolSubscription(new ByteBufferAccessor(buffer),
                    (short) Math.min(version, ConsumerProtocolSubscription.HIGHEST_SUPPORTED_VERSION));
            List<TopicPartitions> owned = subscription.ownedPartitions().stream()
                    .map(tp -> new TopicPartitions(tp.topic(), List.copyOf(tp.partitions()))).toList();
            return Optional.of(new Subscription(List.copyOf(subscription.topics()), owned));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}

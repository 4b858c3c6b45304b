package io.sluice.gateway.kafka.groups;

import io.sluice.internal.group.TopicPartitions;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.message.ConsumerProtocolSubscription;

/**
 * What a classic {@code consumer} member's protocol metadata in its JoinGroup says, read as Kafka's group coordinator
 * reads it ({@link ConsumerProtocolMessages}): Kafka's ConsumerProtocolSubscription. The coordinator decides with the topics whether a topic's offsets may be deleted
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
        return ConsumerProtocolMessages.read(metadata, ConsumerProtocolSubscription.LOWEST_SUPPORTED_VERSION,
                ConsumerProtocolSubscription.HIGHEST_SUPPORTED_VERSION, ConsumerProtocolSubscription::new)
                .map(subscription -> new Subscription(List.copyOf(subscription.topics()),
                        subscription.ownedPartitions().stream()
                                .map(tp -> new TopicPartitions(tp.topic(), List.copyOf(tp.partitions()))).toList()));
    }
}

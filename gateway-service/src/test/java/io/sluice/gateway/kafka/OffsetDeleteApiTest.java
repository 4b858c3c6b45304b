package io.sluice.gateway.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.internal.classic.ClassicGroupDescription;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Subscription;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.message.ConsumerProtocolSubscription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What a classic consumer group subscribes to, read from its members' metadata as Kafka's coordinator reads it. */
class OffsetDeleteApiTest {

    @ParameterizedTest
    @ValueSource(shorts = {0, 1, 2, 3})
    void theTopicsAreTheUnionOfTheMembersSubscriptionsInEveryVersion(short version) {
        ClassicGroupDescription group = group(
                metadata(new Subscription(List.of("orders", "payments")), version),
                metadata(new Subscription(List.of("orders", "refunds")), version));

        assertThat(OffsetDeleteApi.subscribedTopics(group)).contains(Set.of("orders", "payments", "refunds"));
    }

    @Test
    void aNewerVersionThanKafkaClientsKnowsIsReadAsTheNewestItKnows() {
        ByteBuffer newest = metadata(new Subscription(List.of("orders")),
                ConsumerProtocolSubscription.HIGHEST_SUPPORTED_VERSION);
        newest.putShort(0, (short) (ConsumerProtocolSubscription.HIGHEST_SUPPORTED_VERSION + 1));

        assertThat(OffsetDeleteApi.subscribedTopics(group(newest))).contains(Set.of("orders"));
    }

    @Test
    void metadataThatDoesNotParseLeavesTheSubscriptionUnknown() {
        ClassicGroupDescription group = group(metadata(new Subscription(List.of("orders")), (short) 3),
                ByteBuffer.wrap(new byte[] {0, 1, 7}));

        assertThat(OffsetDeleteApi.subscribedTopics(group)).isEqualTo(Optional.empty());
    }

    private static ByteBuffer metadata(Subscription subscription, short version) {
        return ConsumerProtocol.serializeSubscription(subscription, version);
    }

    private static ClassicGroupDescription group(ByteBuffer... metadata) {
        List<ClassicGroupDescription.Member> members = new ArrayList<>();
        for (int i = 0; i < metadata.length; i++) {
            byte[] bytes = new byte[metadata[i].remaining()];
            metadata[i].duplicate().get(bytes);
            members.add(new ClassicGroupDescription.Member("member-" + i, null, "client", "/127.0.0.1", bytes,
                    new byte[0]));
        }
        return new ClassicGroupDescription("readers", "Stable", "consumer", "range", 1, members);
    }
}

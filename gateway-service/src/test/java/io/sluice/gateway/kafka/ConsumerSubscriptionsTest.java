package io.sluice.gateway.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Subscription;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.message.ConsumerProtocolSubscription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What a classic consumer member subscribes to, read from its JoinGroup metadata as Kafka's coordinator reads it. */
class ConsumerSubscriptionsTest {

    @ParameterizedTest
    @ValueSource(shorts = {0, 1, 2, 3})
    void theTopicsAreReadInEveryVersion(short version) {
        assertThat(ConsumerSubscriptions.topics(metadata(new Subscription(List.of("orders", "payments")), version)))
                .contains(List.of("orders", "payments"));
    }

    @Test
    void aNewerVersionThanKafkaClientsKnowsIsReadAsTheNewestItKnows() {
        ByteBuffer newest = ByteBuffer.wrap(metadata(new Subscription(List.of("orders")),
                ConsumerProtocolSubscription.HIGHEST_SUPPORTED_VERSION));
        newest.putShort(0, (short) (ConsumerProtocolSubscription.HIGHEST_SUPPORTED_VERSION + 1));

        assertThat(ConsumerSubscriptions.topics(newest.array())).contains(List.of("orders"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "00", "0001 07", "ffff 0000"})
    void metadataThatDoesNotParseLeavesTheTopicsUnknown(String hex) {
        assertThat(ConsumerSubscriptions.topics(HexFormat.of().parseHex(hex.replace(" ", ""))))
                .isEmpty();
    }

    private static byte[] metadata(Subscription subscription, short version) {
        ByteBuffer buffer = ConsumerProtocol.serializeSubscription(subscription, version);
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }
}

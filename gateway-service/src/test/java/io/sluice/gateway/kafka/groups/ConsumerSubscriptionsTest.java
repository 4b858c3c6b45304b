package io.sluice.gateway.kafka.groups;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.internal.group.TopicPartitions;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Assignment;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Subscription;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.ConsumerProtocolSubscription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a classic consumer member subscribes to, read from its JoinGroup metadata as Kafka's coordinator reads it, and
 * the assignment the coordinator gives a classic member of a consumer group, as Kafka's consumer reads it.
 */
class ConsumerSubscriptionsTest {

    @ParameterizedTest
    @ValueSource(shorts = {0, 1, 2, 3})
    void theTopicsAreReadInEveryVersion(short version) {
        assertThat(ConsumerSubscriptions.read(metadata(new Subscription(List.of("orders", "payments")), version)))
                .map(ConsumerSubscriptions.Subscription::topics).contains(List.of("orders", "payments"));
    }

    /** Owned partitions came with version 1; an eager consumer sends none, a cooperative one those it keeps. */
    @ParameterizedTest
    @ValueSource(shorts = {1, 2, 3})
    void theOwnedPartitionsAreReadFromVersionOne(short version) {
        Subscription subscription = new Subscription(List.of("orders"), null,
                List.of(new TopicPartition("orders", 2), new TopicPartition("orders", 0)));

        assertThat(ConsumerSubscriptions.read(metadata(subscription, version)).orElseThrow().ownedPartitions())
                .containsExactly(new TopicPartitions("orders", List.of(0, 2)));
        assertThat(ConsumerSubscriptions.read(metadata(subscription, (short) 0)).orElseThrow().ownedPartitions())
                .as("version 0 has no owned partitions").isEmpty();
    }

    /** A leader's assignment as Kafka's consumer writes it, in every version, and one that does not parse. */
    @ParameterizedTest
    @ValueSource(shorts = {0, 1, 2, 3})
    void aLeadersAssignmentIsReadInEveryVersion(short version) {
        ByteBuffer written = ConsumerProtocol.serializeAssignment(new Assignment(List.of(new TopicPartition("orders", 1),
                new TopicPartition("orders", 4)), ByteBuffer.wrap(new byte[] {7})), version);
        byte[] bytes = new byte[written.remaining()];
        written.get(bytes);

        assertThat(ConsumerAssignments.decode(bytes)).contains(List.of(new TopicPartitions("orders", List.of(1, 4))));
        assertThat(ConsumerAssignments.decode(new byte[] {0})).isEmpty();
    }

    @Test
    void anAssignmentEncodedForAClassicMemberIsReadByKafkasConsumerProtocol() {
        byte[] encoded = ConsumerAssignments.encode(List.of(new TopicPartitions("orders", List.of(0, 3)),
                new TopicPartitions("payments", List.of(1))));

        assertThat(ConsumerProtocol.deserializeAssignment(ByteBuffer.wrap(encoded)).partitions())
                .containsExactlyInAnyOrder(new TopicPartition("orders", 0), new TopicPartition("orders", 3),
                        new TopicPartition("payments", 1));
    }

    @Test
    void aNewerVersionThanKafkaClientsKnowsIsReadAsTheNewestItKnows() {
        ByteBuffer newest = ByteBuffer.wrap(metadata(new Subscription(List.of("orders")),
                ConsumerProtocolSubscription.HIGHEST_SUPPORTED_VERSION));
        newest.putShort(0, (short) (ConsumerProtocolSubscription.HIGHEST_SUPPORTED_VERSION + 1));

        assertThat(ConsumerSubscriptions.read(newest.array())).map(ConsumerSubscriptions.Subscription::topics)
                .contains(List.of("orders"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "00", "0001 07", "ffff 0000"})
    void metadataThatDoesNotParseLeavesTheTopicsUnknown(String hex) {
        assertThat(ConsumerSubscriptions.read(HexFormat.of().parseHex(hex.replace(" ", ""))))
                .isEmpty();
    }

    private static byte[] metadata(Subscription subscription, short version) {
        ByteBuffer buffer = ConsumerProtocol.serializeSubscription(subscription, version);
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }
}

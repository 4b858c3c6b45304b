package io.sluice.gateway.kafka;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.message.ConsumerProtocolSubscription;
import org.apache.kafka.common.protocol.ByteBufferAccessor;

/**
 * The topics a classic {@code consumer} member subscribes to, read from a protocol's metadata in its JoinGroup as
 * Kafka's group coordinator reads it: Kafka's ConsumerProtocolSubscription, a version then the fields, a version newer
 * than kafka-clients knows read as the newest it knows. The coordinator decides with them whether a topic's offsets may
 * be deleted ({@code ClassicGroups}); metadata that does not parse leaves them unknown, which counts as every topic.
 */
final class ConsumerSubscriptions {

    private ConsumerSubscriptions() {
    }

    /** The topics {@code metadata} subscribes to; empty when it does not parse. */
    static Optional<List<String>> topics(byte[] metadata) {
        try {
            ByteBuffer buffer = ByteBuffer.wrap(metadata);
            short version = buffer.getShort();
            if (version < ConsumerProtocolSubscription.LOWEST_SUPPORTED_VERSION) {
                return Optional.empty();
            }
            return Optional.of(List.copyOf(new ConsumerProtocolSubscription(new ByteBufferAccessor(buffer),
                    (short) Math.min(version, ConsumerProtocolSubscription.HIGHEST_SUPPORTED_VERSION)).topics()));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}

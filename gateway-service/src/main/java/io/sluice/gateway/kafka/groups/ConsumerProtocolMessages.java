package io.sluice.gateway.kafka.groups;

import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.function.BiFunction;
import org.apache.kafka.common.protocol.ByteBufferAccessor;

/**
 * Kafka's consumer protocol messages (a member's subscription, a leader's assignment) as group calls carry them: a
 * version, then the fields, read as Kafka's group coordinator reads them — a version newer than kafka-clients knows as
 * the newest it knows, bytes that do not parse as nothing known.
 */
final class ConsumerProtocolMessages {

    private ConsumerProtocolMessages() {
    }

    /** The message in {@code bytes}, read by {@code reader} at the version to read; empty when it does not parse. */
    static <T> Optional<T> read(byte[] bytes, short lowest, short highest,
                                BiFunction<ByteBufferAccessor, Short, T> reader) {
        try {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            short version = buffer.getShort();
            if (version < lowest) {
                return Optional.empty();
            }
            return Optional.of(reader.apply(new ByteBufferAccessor(buffer), (short) Math.min(version, highest)));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}

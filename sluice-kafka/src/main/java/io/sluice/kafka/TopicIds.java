package io.sluice.kafka;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.kafka.common.Uuid;

/**
 * A Sluice topic id (a UUID in its text form, given by the coordinator when the topic is created) as Kafka's
 * {@link Uuid} (KIP-516), which Metadata answers and Fetch and Produce requests carry from v13 on. The mapping is the
 * UUID's own 128 bits, so every gateway gives a topic the same Kafka id, and a re-created topic of the same name a new
 * one. An id that is not a UUID (none is today) is hashed to one, deterministically.
 */
public final class TopicIds {

    private TopicIds() {
    }

    public static Uuid of(String topicId) {
        UUID uuid;
        try {
            uuid = UUID.fromString(topicId);
        } catch (IllegalArgumentException notAUuid) {
            uuid = UUID.nameUUIDFromBytes(topicId.getBytes(StandardCharsets.UTF_8));
        }
        return new Uuid(uuid.getMostSignificantBits(), uuid.getLeastSignificantBits());
    }
}

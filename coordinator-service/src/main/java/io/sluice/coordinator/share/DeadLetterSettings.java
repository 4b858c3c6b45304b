package io.sluice.coordinator.share;

import java.util.Optional;

/**
 * A share group's dead-letter settings (KIP-1191's group configs): the topic its archived records are copied to
 * ({@code errors.deadletterqueue.topic.name}; empty: none) and whether the copy carries the record's key, value and
 * headers ({@code errors.deadletterqueue.copy.record.enable}; otherwise only the context headers).
 */
record DeadLetterSettings(Optional<String> topic, boolean copyRecord) {

    static final DeadLetterSettings NONE = new DeadLetterSettings(Optional.empty(), false);

    DeadLetterSettings {
        topic = topic.filter(name -> !name.isBlank());
    }
}

package io.sluice.coordinator.share;

import io.sluice.internal.metadata.MetadataView;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.protocol.TopicNames;
import io.sluice.protocol.config.TopicConfigs;
import java.util.Optional;

/**
 * KIP-1191's rules for a share group's dead-letter topic, checked against the metadata each time records are written
 * (so a change of the topic's config, or of the group's, takes effect for the next write): the name is a legal topic
 * name, does not start with {@code __} (internal topics), and starts with the cluster's prefix
 * ({@code errors.deadletterqueue.topic.name.prefix}, {@code dlq.} by default; blank allows any); the topic exists (or
 * the cluster creates it) and opted in with {@code errors.deadletterqueue.group.enable=true}. Pure.
 */
final class DeadLetterTargets {

    private DeadLetterTargets() {
    }

    /** What the metadata says of a group's dead-letter topic. */
    sealed interface Resolution permits Ready, Missing, Refused {
    }

    /** The topic exists and takes dead-letter records. */
    record Ready(TopicMetadata topic) implements Resolution {
    }

    /** The name is good but no such topic exists. */
    record Missing() implements Resolution {
    }

    record Refused(DeadLetterProblem problem) implements Resolution {
    }

    /** Why {@code name} cannot be a dead-letter topic under {@code prefix}, or empty when it can. */
    static Optional<String> invalidName(String name, String prefix) {
        if (!TopicNames.isValid(name)) {
            return Optional.of("'" + name + "' is not a legal topic name");
        }
        if (name.startsWith("__")) {
            return Optional.of("a dead-letter topic's name cannot start with __ (internal topics): '" + name + "'");
        }
        if (prefix != null && !prefix.isBlank() && !name.startsWith(prefix)) {
            return Optional.of("a dead-letter topic's name must start with '" + prefix
                    + "' (errors.deadletterqueue.topic.name.prefix): '" + name + "'");
        }
        return Optional.empty();
    }

    static Resolution resolve(String groupId, String name, String prefix, MetadataView view) {
        Optional<String> invalid = invalidName(name, prefix);
        if (invalid.isPresent()) {
            return new Refused(new DeadLetterProblem(DeadLetterProblem.Reason.INVALID_TOPIC_NAME,
                    "Share group " + groupId + " names a dead-letter topic it cannot use: " + invalid.get()));
        }
        Optional<TopicMetadata> topic = view.topic(name);
        if (topic.isEmpty()) {
            return new Missing();
        }
        if (!"true".equals(topic.get().configs().get(TopicConfigs.ERRORS_DEADLETTERQUEUE_GROUP_ENABLE))) {
            return new Refused(new DeadLetterProblem(DeadLetterProblem.Reason.NOT_ENABLED, "Share group " + groupId
                    + "'s dead-letter topic '" + name + "' does not have "
                    + TopicConfigs.ERRORS_DEADLETTERQUEUE_GROUP_ENABLE + "=true"));
        }
        return new Ready(topic.get());
    }
}

package io.sluice.coordinator.share;

import java.util.Locale;

/**
 * Why archived records were not copied to their group's dead-letter topic. The records stay archived (as at Kafka, a
 * record that cannot be dead-lettered does not hold up its share-partition); each problem is counted
 * ({@code sluice_coordinator_share_dead_letter_errors_total{group,reason}}) and logged once per group and topic.
 */
record DeadLetterProblem(Reason reason, String message) {

    enum Reason {
        /** The group's topic starts with {@code __}, is not a legal topic name, or lacks the cluster's prefix. */
        INVALID_TOPIC_NAME,
        /** The topic does not exist, and the cluster does not create dead-letter topics. */
        TOPIC_NOT_FOUND,
        /** The topic exists without {@code errors.deadletterqueue.group.enable=true}. */
        NOT_ENABLED,
        /** The topic's leader refused the records for good (too large, the topic deleted meanwhile, ...). */
        WRITE_FAILED,
        /** The outbox held its most runs when the records were archived. */
        OUTBOX_FULL;

        /** The metric tag's value. */
        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}

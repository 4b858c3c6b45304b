package io.sluice.coordinator.share;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.coordinator.groupconfig.GroupConfigKey;
import io.sluice.internal.metadata.ClusterMetadata;
import io.sluice.internal.metadata.MetadataView;
import io.sluice.internal.metadata.PartitionState;
import io.sluice.internal.metadata.TopicMetadata;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** KIP-1191's rules for a share group's dead-letter topic, against the metadata. */
class DeadLetterTargetsTest {

    private static MetadataView view(TopicMetadata... topics) {
        return new MetadataView(new ClusterMetadata(1, null, List.of(), List.of(topics)));
    }

    private static TopicMetadata topic(String name, Map<String, String> configs) {
        return new TopicMetadata(name, "id-" + name, 1, configs, List.of(new PartitionState(0, List.of(1), 1,
                List.of(1), 0, 0)));
    }

    @ParameterizedTest(name = "{0} under prefix ''{1}'' is refused")
    @CsvSource({
            "__dlq.internal, ''",
            "__consumer_offsets, dlq.",
            "orders-dead, dlq.",
            "'dlq.with space', dlq.",
    })
    void namesThatAreInternalIllegalOrLackThePrefixAreRefused(String name, String prefix) {
        assertThat(DeadLetterTargets.invalidName(name, prefix)).isPresent();
        assertThat(DeadLetterTargets.resolve("g", name, prefix, view()))
                .isInstanceOfSatisfying(DeadLetterTargets.Refused.class, refused -> assertThat(
                        refused.problem().reason()).isEqualTo(DeadLetterProblem.Reason.INVALID_TOPIC_NAME));
    }

    @Test
    void aGroupCannotBeConfiguredWithAnInternalTopicAsItsDeadLetterTopic() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> GroupConfigKey.DEAD_LETTER_TOPIC_NAME.canonical("__consumer_offsets"))
                .isInstanceOfSatisfying(io.sluice.protocol.SluiceException.class, e -> assertThat(e.errorCode())
                        .isEqualTo(io.sluice.protocol.ErrorCode.INVALID_CONFIG))
                .hasMessageContaining("__consumer_offsets");
        assertThat(GroupConfigKey.DEAD_LETTER_TOPIC_NAME.canonical(" dlq.orders ")).isEqualTo("dlq.orders");
    }

    @Test
    void aBlankPrefixAllowsAnyLegalNameNotStartingWithTwoUnderscores() {
        assertThat(DeadLetterTargets.invalidName("orders-dead", "")).isEmpty();
        assertThat(DeadLetterTargets.invalidName("dlq.orders", "dlq.")).isEmpty();
    }

    @Test
    void aTopicMustExistAndOptIn() {
        MetadataView view = view(topic("dlq.on", Map.of("errors.deadletterqueue.group.enable", "true")),
                topic("dlq.off", Map.of()));

        assertThat(DeadLetterTargets.resolve("g", "dlq.on", "dlq.", view))
                .isInstanceOf(DeadLetterTargets.Ready.class);
        assertThat(DeadLetterTargets.resolve("g", "dlq.missing", "dlq.", view))
                .isInstanceOf(DeadLetterTargets.Missing.class);
        assertThat(DeadLetterTargets.resolve("g", "dlq.off", "dlq.", view))
                .isInstanceOfSatisfying(DeadLetterTargets.Refused.class, refused -> assertThat(
                        refused.problem().reason()).isEqualTo(DeadLetterProblem.Reason.NOT_ENABLED));
    }
}

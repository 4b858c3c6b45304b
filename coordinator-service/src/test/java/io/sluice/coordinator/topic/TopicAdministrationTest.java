package io.sluice.coordinator.topic;

import static io.sluice.coordinator.testing.CoordinatorApi.expectProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.coordinator.testing.CoordinatorTestSupport;
import io.sluice.coordinator.testing.TestNodes;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Validating a creation without making it; changing a topic after creation: config overrides, more partitions, deletion. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TopicAdministrationTest extends CoordinatorTestSupport {

    private TestNodes nodes;

    @BeforeAll
    void threeLiveNodes() {
        nodes = newNodes();
        nodes.start(1, 2, 3);
    }

    @AfterAll
    void stopNodes() {
        nodes.close();
    }

    @Test
    void whenACreationIsOnlyValidatedItAnswersThePlacedTopicAndStoresNothing() {
        long versionBefore = api().metadataVersion();

        TopicMetadata answered = api().post("/internal/topics", Map.of("name", "dry-run", "partitions", 3,
                        "replication_factor", 2, "configs", Map.of("retention.ms", "60000"), "validate_only", true))
                .expectStatus().is2xxSuccessful().expectBody(TopicMetadata.class).returnResult().getResponseBody();

        assertThat(answered.name()).isEqualTo("dry-run");
        assertThat(answered.id()).as("no topic, so no id").isNull();
        assertThat(answered.partitions()).hasSize(3).allSatisfy(p -> assertThat(p.replicas()).hasSize(2));
        assertThat(answered.configs()).isEqualTo(Map.of("retention.ms", "60000"));
        assertThat(api().topics()).extracting(TopicMetadata::name).doesNotContain("dry-run");
        assertThat(api().metadataVersion()).isEqualTo(versionBefore);
    }

    @Test
    void whenAnInvalidCreationIsOnlyValidatedItIsRefusedAsARealOneWouldBe() {
        api().createTopic("taken", 1, 1);

        expectProblem(api().post("/internal/topics", Map.of("name", "taken", "partitions", 1, "replication_factor", 1,
                "validate_only", true)), ErrorCode.TOPIC_ALREADY_EXISTS);
        expectProblem(api().post("/internal/topics", Map.of("name", "too-many-replicas", "partitions", 1,
                "replication_factor", 4, "validate_only", true)), ErrorCode.INVALID_REPLICATION_FACTOR);
    }

    @Test
    void whenConfigsAreSetAndDeletedOnlyTheRemainingOverridesAreKept() {
        api().createTopic("configured", 1, 1, Map.of("retention.ms", "60000", "cleanup.policy", "delete"));

        TopicMetadata altered = api().patch("/internal/topics/configured/configs",
                        Map.of("set", Map.of("retention.ms", " 120000 ", "min.insync.replicas", "1"),
                                "delete", List.of("cleanup.policy")))
                .expectStatus().isOk().expectBody(TopicMetadata.class).returnResult().getResponseBody();

        assertThat(altered.configs()).isEqualTo(Map.of("retention.ms", "120000", "min.insync.replicas", "1"));
        assertThat(api().topic("configured")).isEqualTo(altered);
    }

    @Test
    void aTopicTurnsRemoteStorageOnButNeverOff() {
        api().createTopic("tiered", 1, 1, Map.of("remote.storage.enable", "true", "local.retention.ms", "1000"));

        expectProblem(api().patch("/internal/topics/tiered/configs", Map.of("set",
                Map.of("remote.storage.enable", "false"))), ErrorCode.INVALID_CONFIG);
        expectProblem(api().patch("/internal/topics/tiered/configs", Map.of("delete",
                List.of("remote.storage.enable"))), ErrorCode.INVALID_CONFIG);
        assertThat(api().topic("tiered").configs()).containsEntry("remote.storage.enable", "true");

        api().createTopic("tiered-later", 1, 1);
        TopicMetadata altered = api().patch("/internal/topics/tiered-later/configs",
                        Map.of("set", Map.of("remote.storage.enable", "true")))
                .expectStatus().isOk().expectBody(TopicMetadata.class).returnResult().getResponseBody();
        assertThat(altered.configs()).containsEntry("remote.storage.enable", "true");
    }

    @Test
    void withoutRemoteStorageInTheClusterATieredTopicIsRefused() {
        assertThatThrownBy(() -> TopicService.checkTiered(Map.of("remote.storage.enable", "true"), false))
                .isInstanceOfSatisfying(SluiceException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_CONFIG));
        assertThat(TopicService.checkTiered(Map.of("remote.storage.enable", "false"), false))
                .containsEntry("remote.storage.enable", "false");
        assertThat(TopicService.checkTiered(Map.of("remote.storage.enable", "true"), true))
                .containsEntry("remote.storage.enable", "true");
    }

    @Test
    void whenPartitionsAreAddedTheExistingOnesKeepTheirStateAndTheNewOnesArePlaced() {
        TopicMetadata before = api().createTopic("growing", 2, 2);

        TopicMetadata grown = api().post("/internal/topics/growing/partitions", Map.of("count", 5))
                .expectStatus().isOk().expectBody(TopicMetadata.class).returnResult().getResponseBody();

        assertThat(grown.partitions()).hasSize(5);
        assertThat(grown.partitions().subList(0, 2)).isEqualTo(before.partitions());
        assertThat(grown.partitions().subList(2, 5)).allSatisfy(p -> {
            assertThat(p.replicas()).hasSize(2).doesNotHaveDuplicates().isSubsetOf(1, 2, 3);
            assertThat(p.leader()).isEqualTo(p.replicas().getFirst());
            assertThat(p.isr()).isEqualTo(p.replicas());
        });
        assertThat(api().topic("growing")).isEqualTo(grown);
    }

    @Test
    void whenATopicIsDeletedItIsGoneAndTheNameCanBeUsedForANewTopic() {
        TopicMetadata first = api().createTopic("doomed", 1, 1);

        api().web().delete().uri("/internal/topics/doomed").exchange().expectStatus().isNoContent();

        expectProblem(api().web().get().uri("/internal/topics/doomed").exchange(), ErrorCode.UNKNOWN_TOPIC);
        assertThat(api().topics()).extracting(TopicMetadata::name).doesNotContain("doomed");
        TopicMetadata second = api().createTopic("doomed", 1, 1);
        assertThat(second.id()).as("a re-created topic is a different topic").isNotEqualTo(first.id());
    }
}

package io.sluice.coordinator.topic;

import static io.sluice.coordinator.testing.CoordinatorApi.expectProblem;
import static io.sluice.coordinator.testing.CoordinatorApi.topicRequest;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.coordinator.testing.CoordinatorTestSupport;
import io.sluice.coordinator.testing.TestNodes;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.protocol.ErrorCode;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.test.web.reactive.server.WebTestClient;

/** A refused topic request answers a precise 4xx problem and writes nothing: no topic, no new metadata version. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TopicValidationTest extends CoordinatorTestSupport {

    private TestNodes nodes;

    @BeforeAll
    void threeLiveNodes() {
        nodes = newNodes();
        nodes.start(1, 2, 3);
        api().createTopic("existing", 2, 2, Map.of("retention.ms", "60000"));
    }

    @AfterAll
    void stopNodes() {
        nodes.close();
    }

    static Stream<Arguments> invalidCreateRequests() {
        return Stream.of(
                Arguments.of("name with a space", topicRequest("bad name", 1, 1, Map.of()), ErrorCode.INVALID_TOPIC_NAME),
                Arguments.of("name '..'", topicRequest("..", 1, 1, Map.of()), ErrorCode.INVALID_TOPIC_NAME),
                Arguments.of("name '.'", topicRequest(".", 1, 1, Map.of()), ErrorCode.INVALID_TOPIC_NAME),
                Arguments.of("250-character name", topicRequest("t".repeat(250), 1, 1, Map.of()), ErrorCode.INVALID_TOPIC_NAME),
                Arguments.of("name with a slash", topicRequest("a/b", 1, 1, Map.of()), ErrorCode.INVALID_TOPIC_NAME),
                Arguments.of("no name", "{\"partitions\": 1, \"replication_factor\": 1}", ErrorCode.INVALID_TOPIC_NAME),
                Arguments.of("0 partitions", topicRequest("zero-partitions", 0, 1, Map.of()), ErrorCode.INVALID_PARTITIONS),
                Arguments.of("-1 partitions", topicRequest("negative-partitions", -1, 1, Map.of()), ErrorCode.INVALID_PARTITIONS),
                Arguments.of("no partitions", "{\"name\": \"no-partitions\", \"replication_factor\": 1}", ErrorCode.INVALID_PARTITIONS),
                Arguments.of("replication factor 0", topicRequest("rf-zero", 1, 0, Map.of()), ErrorCode.INVALID_REPLICATION_FACTOR),
                Arguments.of("replication factor above live nodes", topicRequest("rf-four", 3, 4, Map.of()),
                        ErrorCode.INVALID_REPLICATION_FACTOR),
                Arguments.of("unknown config", topicRequest("unknown-config", 1, 1, Map.of("retention.hours", "1")),
                        ErrorCode.INVALID_CONFIG),
                Arguments.of("bad config value", topicRequest("bad-config", 1, 1, Map.of("retention.ms", "soon")),
                        ErrorCode.INVALID_CONFIG),
                Arguments.of("unknown cleanup policy", topicRequest("compacted", 1, 1, Map.of("cleanup.policy", "compactify")),
                        ErrorCode.INVALID_CONFIG),
                Arguments.of("malformed JSON", "{\"name\": \"broken\", \"partitions\": ", ErrorCode.INVALID_REQUEST),
                Arguments.of("wrong JSON type", "{\"name\": \"typed\", \"partitions\": \"three\", \"replication_factor\": 1}",
                        ErrorCode.INVALID_REQUEST),
                Arguments.of("not an object", "[1, 2, 3]", ErrorCode.INVALID_REQUEST),
                Arguments.of("duplicate topic", topicRequest("existing", 1, 1, Map.of()), ErrorCode.TOPIC_ALREADY_EXISTS));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidCreateRequests")
    void whenATopicRequestIsInvalidShouldAnswerItsErrorCodeAndWriteNothing(String why, Object body, ErrorCode expected) {
        assertRefusedWithoutWriting(() -> api().post("/internal/topics", body), expected);
    }

    @Test
    void whenANameHasTheMaximumLengthShouldCreateTheTopic() {
        String name = "n".repeat(249);

        TopicMetadata created = api().createTopic(name, 1, 1);

        assertThat(api().topic(name)).isEqualTo(created);
    }

    @Test
    void whenAConfigChangeIsInvalidShouldAnswerInvalidConfigAndKeepTheTopicAsItWas() {
        assertRefusedWithoutWriting(() -> api().patch("/internal/topics/existing/configs",
                Map.of("set", Map.of("retention.ms", "-7"))), ErrorCode.INVALID_CONFIG);
        assertRefusedWithoutWriting(() -> api().patch("/internal/topics/existing/configs",
                Map.of("delete", List.of("no.such.config"))), ErrorCode.INVALID_CONFIG);
    }

    @Test
    void whenThePartitionCountWouldShrinkShouldAnswerInvalidPartitions() {
        assertRefusedWithoutWriting(() -> api().post("/internal/topics/existing/partitions", Map.of("count", 1)),
                ErrorCode.INVALID_PARTITIONS);
        assertRefusedWithoutWriting(() -> api().post("/internal/topics/existing/partitions", Map.of("count", 2)),
                ErrorCode.INVALID_PARTITIONS);
    }

    @Test
    void whenATopicDoesNotExistShouldAnswerUnknownTopic() {
        assertRefusedWithoutWriting(() -> api().web().get().uri("/internal/topics/missing").exchange(),
                ErrorCode.UNKNOWN_TOPIC);
        assertRefusedWithoutWriting(() -> api().web().delete().uri("/internal/topics/missing").exchange(),
                ErrorCode.UNKNOWN_TOPIC);
        assertRefusedWithoutWriting(() -> api().patch("/internal/topics/missing/configs",
                Map.of("set", Map.of("retention.ms", "1000"))), ErrorCode.UNKNOWN_TOPIC);
    }

    private void assertRefusedWithoutWriting(Supplier<WebTestClient.ResponseSpec> request,
                                             ErrorCode expected) {
        long versionBefore = api().metadataVersion();
        List<TopicMetadata> topicsBefore = api().topics();

        expectProblem(request.get(), expected);

        assertThat(api().topics()).isEqualTo(topicsBefore);
        assertThat(api().metadataVersion()).isEqualTo(versionBefore);
    }
}

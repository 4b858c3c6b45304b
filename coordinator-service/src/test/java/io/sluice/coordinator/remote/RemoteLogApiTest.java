package io.sluice.coordinator.remote;

import static io.sluice.coordinator.testing.CoordinatorApi.expectProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.coordinator.store.RedisKeys;
import io.sluice.coordinator.testing.CoordinatorTestSupport;
import io.sluice.coordinator.testing.TestNodes;
import io.sluice.coordinator.testing.TestRedis;
import io.sluice.internal.client.CoordinatorClient;
import io.sluice.internal.client.InternalClientSettings;
import io.sluice.internal.client.InternalHttp;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.internal.remote.RemoteLog;
import io.sluice.internal.remote.RemoteLogPaths;
import io.sluice.internal.remote.RemoteLogStart;
import io.sluice.internal.remote.RemoteSegment;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import io.sluice.protocol.TopicPartition;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The remote logs of tiered storage through the coordinator's internal API, as a partition leader calls it: the wire
 * shape (snake_case, the route of {@link RemoteLogPaths}), and the checks made against the metadata before anything is
 * stored (the update's fields, the topic and partition, the leader epoch), and that a topic's deletion takes its remote
 * logs with it. The moves themselves are {@link RemoteLogStoreTest}'s.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RemoteLogApiTest extends CoordinatorTestSupport {

    private TestNodes nodes;

    @BeforeAll
    void twoLiveNodes() {
        nodes = newNodes();
        nodes.start(1, 2);
    }

    @AfterAll
    void stopNodes() {
        nodes.close();
    }

    /** A segment update as the wire carries it; tests change or remove a field. */
    private static Map<String, Object> update(String id, String state) {
        Map<String, Object> body = new HashMap<>();
        body.put("id", id);
        body.put("base_offset", 0);
        body.put("end_offset", 99);
        body.put("max_timestamp", 1_700_000_000_000L);
        body.put("size_bytes", 4096);
        body.put("leader_epoch", 0);
        body.put("state", state);
        return body;
    }

    private WebTestClient.ResponseSpec post(TopicPartition partition, Object body) {
        return api().post(RemoteLogPaths.remoteSegments(partition), body);
    }

    private WebTestClient.ResponseSpec get(TopicPartition partition) {
        return web.get().uri(RemoteLogPaths.remoteSegments(partition)).exchange();
    }

    private static boolean stored(TopicMetadata topic, int partition) {
        return TestRedis.shared().commands().exists(RedisKeys.remoteLog(topic.id(), partition)) == 1;
    }

    @Test
    void whenALeaderRecordsACopyItIsAnsweredAndReadBackUnderTheTopicsId() {
        TopicMetadata topic = api().createTopic("tiered", 2, 1);
        TopicPartition partition = new TopicPartition("tiered", 1);
        get(partition).expectStatus().isOk().expectBody()
                .jsonPath("$.topic_id").isEqualTo(topic.id())
                .jsonPath("$.leader_epoch").isEqualTo(-1)
                .jsonPath("$.segments.length()").isEqualTo(0);

        RemoteLog started = post(partition, update("0b7f4c1e-5a1d-4c51-9c4e-2f7d2f0c1a9b", "COPY_STARTED"))
                .expectStatus().isOk().expectBody(RemoteLog.class).returnResult().getResponseBody();
        post(partition, update("0b7f4c1e-5a1d-4c51-9c4e-2f7d2f0c1a9b", "COPY_FINISHED")).expectStatus().isOk()
                .expectBody()
                .jsonPath("$.topic_id").isEqualTo(topic.id())
                .jsonPath("$.leader_epoch").isEqualTo(0)
                .jsonPath("$.segments[0].id").isEqualTo("0b7f4c1e-5a1d-4c51-9c4e-2f7d2f0c1a9b")
                .jsonPath("$.segments[0].base_offset").isEqualTo(0)
                .jsonPath("$.segments[0].end_offset").isEqualTo(99)
                .jsonPath("$.segments[0].max_timestamp").isEqualTo(1_700_000_000_000L)
                .jsonPath("$.segments[0].size_bytes").isEqualTo(4096)
                .jsonPath("$.segments[0].leader_epoch").isEqualTo(0)
                .jsonPath("$.segments[0].state").isEqualTo("COPY_FINISHED");

        assertThat(started.segments()).singleElement()
                .satisfies(segment -> assertThat(segment.state()).isEqualTo(RemoteSegment.State.COPY_STARTED));
        RemoteLog read = get(partition).expectStatus().isOk().expectBody(RemoteLog.class).returnResult()
                .getResponseBody();
        assertThat(read.readable()).extracting(RemoteSegment::endOffset).containsExactly(99L);
        assertThat(stored(topic, 0)).as("the other partition's log is untouched").isFalse();
    }

    @Test
    void whenTheTopicOrPartitionDoesNotExistTheCallsSaySoAndStoreNothing() {
        TopicMetadata topic = api().createTopic("one-partition", 1, 1);

        expectProblem(get(new TopicPartition("absent", 0)), ErrorCode.UNKNOWN_TOPIC);
        expectProblem(post(new TopicPartition("absent", 0), update("seg-a", "COPY_STARTED")), ErrorCode.UNKNOWN_TOPIC);
        expectProblem(get(new TopicPartition("one-partition", 1)), ErrorCode.UNKNOWN_PARTITION);
        expectProblem(post(new TopicPartition("one-partition", 1), update("seg-a", "COPY_STARTED")),
                ErrorCode.UNKNOWN_PARTITION);
        expectProblem(api().post("/internal/topics/one-partition/partitions/-1/remote-segments",
                update("seg-a", "COPY_STARTED")), ErrorCode.UNKNOWN_PARTITION);

        assertThat(stored(topic, 1)).isFalse();
    }

    @Test
    void whenTheUpdatesLeaderEpochIsNewerThanThePartitionsItIsUnknownLeaderEpochAndStoresNothing() {
        TopicMetadata topic = api().createTopic("epoch-zero", 1, 1);
        Map<String, Object> fromTheFuture = update("seg-a", "COPY_STARTED");
        fromTheFuture.put("leader_epoch", 1);

        expectProblem(post(new TopicPartition("epoch-zero", 0), fromTheFuture), ErrorCode.UNKNOWN_LEADER_EPOCH);
        assertThat(stored(topic, 0)).isFalse();
    }

    @Test
    void whenAMoveIsNotAllowedItIsInvalidRequestNamingTheStates() {
        api().createTopic("not-started", 1, 1);

        expectProblem(post(new TopicPartition("not-started", 0), update("seg-a", "COPY_FINISHED")),
                ErrorCode.INVALID_REQUEST);
        post(new TopicPartition("not-started", 0), update("seg-a", "COPY_FINISHED")).expectBody()
                .jsonPath("$.detail").isEqualTo(
                        "Remote segment seg-a of not-started-0 is not recorded: COPY_FINISHED needs it COPY_STARTED");
    }

    @Test
    void whenATopicIsDeletedItsRemoteLogsAreRemovedWithItAndATopicCreatedAgainStartsWithNone() {
        TopicMetadata deleted = api().createTopic("short-lived", 2, 1);
        post(new TopicPartition("short-lived", 0), update("seg-a", "COPY_STARTED")).expectStatus().isOk();
        post(new TopicPartition("short-lived", 1), update("seg-b", "COPY_STARTED")).expectStatus().isOk();
        assertThat(stored(deleted, 0)).isTrue();
        assertThat(stored(deleted, 1)).isTrue();

        web.delete().uri("/internal/topics/short-lived").exchange().expectStatus().isNoContent();

        assertThat(stored(deleted, 0)).isFalse();
        assertThat(stored(deleted, 1)).isFalse();
        expectProblem(get(new TopicPartition("short-lived", 0)), ErrorCode.UNKNOWN_TOPIC);
        TopicMetadata again = api().createTopic("short-lived", 1, 1);
        get(new TopicPartition("short-lived", 0)).expectStatus().isOk().expectBody()
                .jsonPath("$.topic_id").isEqualTo(again.id())
                .jsonPath("$.leader_epoch").isEqualTo(-1)
                .jsonPath("$.segments.length()").isEqualTo(0);
    }

    @Test
    void whenALeaderUsesTheCoordinatorClientItRecordsAndReadsTheLogAndGetsRefusalsAsErrorCodes() {
        TopicMetadata topic = api().createTopic("through-the-client", 1, 1);
        TopicPartition partition = new TopicPartition("through-the-client", 0);
        RemoteSegment started = new RemoteSegment("seg-a", 0, 99, 1_700_000_000_000L, 4096, 0,
                RemoteSegment.State.COPY_STARTED);
        try (InternalHttp http = new InternalHttp(InternalClientSettings.defaults()
                .withCallTimeout(Duration.ofSeconds(30)), new SimpleMeterRegistry())) {
            CoordinatorClient client = new CoordinatorClient(http, List.of(baseUrl()));

            assertThat(client.updateRemoteSegment(partition, started).block(Duration.ofSeconds(30)))
                    .isEqualTo(new RemoteLog(topic.id(), 0, List.of(started)));
            assertThat(client.remoteLog(partition).block(Duration.ofSeconds(30)))
                    .isEqualTo(new RemoteLog(topic.id(), 0, List.of(started)));
            assertThatThrownBy(() -> client.updateRemoteSegment(partition,
                    started.moveTo(RemoteSegment.State.DELETED, 0)).block(Duration.ofSeconds(30)))
                    .isInstanceOfSatisfying(SluiceException.class,
                            e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_REQUEST));
        }
    }

    @Test
    void whenALeaderDeletesRecordsTheLogStartIsRecordedAndEveryReadOfTheLogCarriesIt() {
        TopicMetadata topic = api().createTopic("records-deleted", 1, 1);
        TopicPartition partition = new TopicPartition("records-deleted", 0);
        get(partition).expectStatus().isOk().expectBody().jsonPath("$.log_start_offset").isEqualTo(0);

        api().post(RemoteLogPaths.remoteLogStart(partition), Map.of("leader_epoch", 0, "offset", 1234))
                .expectStatus().isOk().expectBody()
                .jsonPath("$.topic_id").isEqualTo(topic.id())
                .jsonPath("$.log_start_offset").isEqualTo(1234);
        try (InternalHttp http = new InternalHttp(InternalClientSettings.defaults()
                .withCallTimeout(Duration.ofSeconds(30)), new SimpleMeterRegistry())) {
            CoordinatorClient client = new CoordinatorClient(http, List.of(baseUrl()));
            assertThat(client.advanceLogStart(partition, new RemoteLogStart(0, 1000)).block(Duration.ofSeconds(30)))
                    .as("a lower offset changes nothing").isEqualTo(new RemoteLog(topic.id(), 0, 1234, List.of()));
            assertThatThrownBy(() -> client.advanceLogStart(partition, new RemoteLogStart(1, 2000))
                    .block(Duration.ofSeconds(30))).isInstanceOfSatisfying(SluiceException.class,
                    e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.UNKNOWN_LEADER_EPOCH));
        }
        expectProblem(api().post(RemoteLogPaths.remoteLogStart(partition), Map.of("leader_epoch", 0, "offset", -1)),
                ErrorCode.INVALID_REQUEST);
        expectProblem(api().post(RemoteLogPaths.remoteLogStart(new TopicPartition("absent", 0)),
                Map.of("leader_epoch", 0, "offset", 1)), ErrorCode.UNKNOWN_TOPIC);
        get(partition).expectStatus().isOk().expectBody().jsonPath("$.log_start_offset").isEqualTo(1234);
    }

    /** Updates each wrong in one field (or missing it), and the words the refusal uses. */
    static Stream<Arguments> invalidUpdates() {
        return Stream.of(
                Arguments.of("id", null, "id is required"),
                Arguments.of("id", " ", "id is required"),
                Arguments.of("id", "a".repeat(RemoteSegment.MAX_ID_LENGTH + 1), "more than 64"),
                Arguments.of("id", "seg:a", "only letters, digits and '-'"),
                Arguments.of("id", "seg_a", "only letters, digits and '-'"),
                Arguments.of("id", "../seg", "only letters, digits and '-'"),
                Arguments.of("base_offset", -1, "base_offset must be >= 0"),
                Arguments.of("end_offset", -1, "end_offset must be >= base_offset"),
                Arguments.of("size_bytes", -1, "size_bytes must be >= 0"),
                Arguments.of("leader_epoch", -1, "leader_epoch must be >= 0"),
                Arguments.of("state", null, "state is required"),
                Arguments.of("state", "MOVED", "state"));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("invalidUpdates")
    void whenAnUpdatesFieldIsInvalidItIsInvalidRequestAndStoresNothing(String field, Object value, String words) {
        TopicMetadata topic = api().topics().stream().filter(t -> t.name().equals("validated")).findFirst()
                .orElseGet(() -> api().createTopic("validated", 1, 1));
        Map<String, Object> invalid = update("seg-a", "COPY_STARTED");
        invalid.put(field, value);

        expectProblem(post(new TopicPartition("validated", 0), invalid), ErrorCode.INVALID_REQUEST);
        post(new TopicPartition("validated", 0), invalid).expectBody().jsonPath("$.detail")
                .value(String.class, detail -> assertThat(detail).contains(words));
        assertThat(stored(topic, 0)).isFalse();
    }

    @Test
    void whenAnUpdateHasNoBodyItIsInvalidRequest() {
        api().createTopic("bodiless", 1, 1);

        expectProblem(post(new TopicPartition("bodiless", 0), null), ErrorCode.INVALID_REQUEST);
        get(new TopicPartition("bodiless", 0)).expectStatus().isOk().expectBody()
                .jsonPath("$.leader_epoch").isEqualTo(-1);
    }
}

package io.sluice.coordinator.remote;

import static io.sluice.internal.remote.RemoteSegment.State.COPY_FINISHED;
import static io.sluice.internal.remote.RemoteSegment.State.COPY_STARTED;
import static io.sluice.internal.remote.RemoteSegment.State.DELETED;
import static io.sluice.internal.remote.RemoteSegment.State.DELETE_STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.coordinator.store.RedisKeys;
import io.sluice.coordinator.testing.OwnRedis;
import io.sluice.internal.SluiceJson;
import io.sluice.internal.metadata.PartitionState;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.internal.remote.RemoteLog;
import io.sluice.internal.remote.RemoteLogStart;
import io.sluice.internal.remote.RemoteSegment;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/**
 * The remote-log script on a Redis of the test's own ({@link OwnRedis}: the embedded 6.2 in the build's default test
 * run, Debian's Redis 7 in coordinator-redis7-tests; not the shared one, whose coordinator would take the lease
 * and bump the token under the test's writes). Every move the segment's state allows is stored, a retry of one changes
 * nothing, and a move that is not allowed, an older leader's, a deposed coordinator's or one for a topic deleted
 * meanwhile writes nothing. Each test uses topics of its own.
 */
class RemoteLogStoreTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final long TOKEN = 7;

    private static OwnRedis own;
    private static ReactiveStringRedisTemplate redis;
    private static RemoteLogStore store;

    @BeforeAll
    static void connect() throws IOException {
        own = OwnRedis.start("remote-log-store");
        redis = own.redis();
        store = new RemoteLogStore(redis);
        redis.opsForValue().set(RedisKeys.FENCING_TOKEN, Long.toString(TOKEN)).block(WAIT);
    }

    @AfterAll
    static void disconnect() throws IOException {
        own.close();
    }

    // ---------------------------------------------------------------- factories

    /** A topic stored as the metadata script stores it, with {@code partitions} partitions. */
    private static TopicMetadata topic(String name, int partitions) {
        TopicMetadata topic = new TopicMetadata(name, UUID.randomUUID().toString(), 1, Map.of(),
                IntStream.range(0, partitions).mapToObj(p -> new PartitionState(p, List.of(1), 1, List.of(1), 9, 0))
                        .toList());
        redis.opsForHash().put(RedisKeys.TOPICS, name, SluiceJson.mapper().writeValueAsString(topic)).block(WAIT);
        return topic;
    }

    private static RemoteSegment segment(String id, long baseOffset, long endOffset, int epoch,
                                         RemoteSegment.State state) {
        return new RemoteSegment(id, baseOffset, endOffset, 1_700_000_000_000L + endOffset,
                (endOffset - baseOffset + 1) * 100, epoch, state);
    }

    private static RemoteLog update(TopicMetadata topic, RemoteSegment update) {
        return store.update(TOKEN, topic, 0, update).block(WAIT);
    }

    /** Everything the partition's hash holds. */
    private static Map<String, String> stored(TopicMetadata topic, int partition) {
        return redis.<String, String>opsForHash().entries(RedisKeys.remoteLog(topic.id(), partition))
                .collectMap(Map.Entry::getKey, Map.Entry::getValue).block(WAIT);
    }

    private static void assertRefused(Runnable call, ErrorCode code, String... messageParts) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(SluiceException.class, e -> {
            assertThat(e.errorCode()).isEqualTo(code);
            for (String part : messageParts) {
                assertThat(e.getMessage()).contains(part);
            }
        });
    }

    // ---------------------------------------------------------------- moves allowed

    @Test
    void whenALogWasNeverUpdatedItReadsAsEpochMinusOneWithoutSegments() {
        TopicMetadata topic = topic("never-updated", 1);

        assertThat(store.remoteLog(topic, 0).block(WAIT)).isEqualTo(new RemoteLog(topic.id(), -1, List.of()));
        assertThat(stored(topic, 0)).isEmpty();
    }

    @Test
    void whenACopyStartsThenFinishesTheSegmentIsRecordedAndReadableOnlyOnceFinished() {
        TopicMetadata topic = topic("copied", 1);
        RemoteSegment started = segment("seg-a", 0, 99, 9, COPY_STARTED);

        RemoteLog afterStart = update(topic, started);
        assertThat(afterStart).isEqualTo(new RemoteLog(topic.id(), 9, List.of(started)));
        assertThat(afterStart.readable()).as("a copy under way is not served").isEmpty();

        RemoteSegment finished = started.moveTo(COPY_FINISHED, 9);
        RemoteLog afterFinish = update(topic, finished);
        assertThat(afterFinish).isEqualTo(new RemoteLog(topic.id(), 9, List.of(finished)));
        assertThat(afterFinish.copiedEndOffset()).isEqualTo(100);
        assertThat(store.remoteLog(topic, 0).block(WAIT)).isEqualTo(afterFinish);
        assertThat(stored(topic, 0)).containsOnlyKeys("epoch", "seg:seg-a").containsEntry("epoch", "9");
        assertThat(stored(topic, 0).get("seg:seg-a")).as("snake_case JSON, like every stored document")
                .contains("\"base_offset\":0", "\"end_offset\":99", "\"state\":\"COPY_FINISHED\"");
    }

    @Test
    void whenADeletionStartsThenEndsTheSegmentIsRemoved() {
        TopicMetadata topic = topic("deleted", 1);
        RemoteSegment started = segment("seg-a", 0, 99, 9, COPY_STARTED);
        RemoteSegment kept = segment("seg-b", 100, 199, 9, COPY_STARTED);
        update(topic, started);
        update(topic, kept);
        update(topic, started.moveTo(COPY_FINISHED, 9));

        RemoteLog deleting = update(topic, started.moveTo(DELETE_STARTED, 9));
        assertThat(deleting.segments()).containsExactly(started.moveTo(DELETE_STARTED, 9), kept);
        assertThat(deleting.readable()).as("a segment being deleted is not served").isEmpty();

        RemoteLog deleted = update(topic, started.moveTo(DELETED, 9));
        assertThat(deleted.segments()).containsExactly(kept);
        assertThat(stored(topic, 0)).containsOnlyKeys("epoch", "seg:seg-b");
    }

    @Test
    void whenACopyNeverFinishedItMayBeDeletedAllTheSame() {
        TopicMetadata topic = topic("abandoned", 1);
        RemoteSegment started = segment("seg-a", 0, 99, 8, COPY_STARTED);
        update(topic, started);

        update(topic, started.moveTo(DELETE_STARTED, 9));
        RemoteLog deleted = update(topic, started.moveTo(DELETED, 9));

        assertThat(deleted).isEqualTo(new RemoteLog(topic.id(), 9, List.of()));
    }

    @Test
    void whenEveryMoveIsSentTwiceTheRetrySucceedsAndChangesNothing() {
        TopicMetadata topic = topic("retried", 1);
        RemoteSegment started = segment("seg-a", 0, 99, 9, COPY_STARTED);
        List<RemoteSegment> moves = List.of(started, started.moveTo(COPY_FINISHED, 9),
                started.moveTo(DELETE_STARTED, 9), started.moveTo(DELETED, 9));

        for (RemoteSegment move : moves) {
            RemoteLog first = update(topic, move);
            Map<String, String> before = stored(topic, 0);

            assertThat(update(topic, move)).as("a retry of %s", move.state()).isEqualTo(first);
            assertThat(stored(topic, 0)).as("after a retry of %s", move.state()).isEqualTo(before);
        }
    }

    @Test
    void whenARetryOfACopyFinishedCarriesAnotherSizeItIsStillARetry() {
        TopicMetadata topic = topic("finished-twice", 1);
        RemoteSegment started = segment("seg-a", 0, 99, 9, COPY_STARTED);
        update(topic, started);
        RemoteLog finished = update(topic, started.moveTo(COPY_FINISHED, 9));

        RemoteSegment resized = new RemoteSegment("seg-a", 0, 99, 1, 5, 9, COPY_FINISHED);
        assertThat(update(topic, resized)).as("the offsets are the same: the record stays").isEqualTo(finished);
    }

    // ---------------------------------------------------------------- moves refused

    /** The segment (recorded in {@code recorded}, or not at all when null) and the move asked, which is not allowed. */
    static Stream<Arguments> movesNotAllowed() {
        return Stream.of(
                Arguments.of(null, COPY_FINISHED, "is not recorded: COPY_FINISHED needs it COPY_STARTED"),
                Arguments.of(null, DELETE_STARTED, "is not recorded: DELETE_STARTED needs it recorded"),
                Arguments.of(COPY_FINISHED, COPY_STARTED, "is COPY_FINISHED: COPY_STARTED needs it not recorded"),
                Arguments.of(DELETE_STARTED, COPY_STARTED, "is DELETE_STARTED: COPY_STARTED needs it not recorded"),
                Arguments.of(DELETE_STARTED, COPY_FINISHED, "is DELETE_STARTED: COPY_FINISHED needs it COPY_STARTED"),
                Arguments.of(COPY_STARTED, DELETED, "is COPY_STARTED: DELETED needs it DELETE_STARTED"),
                Arguments.of(COPY_FINISHED, DELETED, "is COPY_FINISHED: DELETED needs it DELETE_STARTED"));
    }

    @ParameterizedTest(name = "recorded {0}, asked {1}")
    @MethodSource("movesNotAllowed")
    void whenTheRecordedStateDoesNotAllowTheMoveItIsInvalidAndChangesNothing(RemoteSegment.State recorded,
                                                                            RemoteSegment.State asked,
                                                                            String message) {
        TopicMetadata topic = topic("refused-" + recorded + "-" + asked, 1);
        RemoteSegment started = segment("seg-a", 0, 99, 9, COPY_STARTED);
        if (recorded != null) {
            List<RemoteSegment.State> path = switch (recorded) {
                case COPY_STARTED -> List.of(COPY_STARTED);
                case COPY_FINISHED -> List.of(COPY_STARTED, COPY_FINISHED);
                case DELETE_STARTED -> List.of(COPY_STARTED, DELETE_STARTED);
                case DELETED -> throw new IllegalArgumentException("never recorded");
            };
            path.forEach(state -> update(topic, started.moveTo(state, 9)));
        }
        Map<String, String> before = stored(topic, 0);

        assertRefused(() -> update(topic, started.moveTo(asked, 9)), ErrorCode.INVALID_REQUEST,
                "Remote segment seg-a of " + topic.name() + "-0 " + message);
        assertThat(stored(topic, 0)).isEqualTo(before);
    }

    @Test
    void whenACopyIsStartedAgainWithOtherFieldsItIsInvalidAndChangesNothing() {
        TopicMetadata topic = topic("started-twice", 1);
        RemoteSegment started = segment("seg-a", 0, 99, 9, COPY_STARTED);
        update(topic, started);
        Map<String, String> before = stored(topic, 0);

        assertRefused(() -> update(topic, segment("seg-a", 0, 150, 9, COPY_STARTED)), ErrorCode.INVALID_REQUEST,
                "is recorded COPY_STARTED with other fields");
        assertRefused(() -> update(topic, new RemoteSegment("seg-a", 0, 99, 1, 1, 9, COPY_STARTED)),
                ErrorCode.INVALID_REQUEST, "is recorded COPY_STARTED with other fields");
        assertThat(stored(topic, 0)).isEqualTo(before);
    }

    @Test
    void whenAMoveNamesOtherOffsetsThanTheRecordedOnesItIsInvalidAndChangesNothing() {
        TopicMetadata topic = topic("moved-elsewhere", 1);
        RemoteSegment started = segment("seg-a", 0, 99, 9, COPY_STARTED);
        update(topic, started);
        Map<String, String> before = stored(topic, 0);

        assertRefused(() -> update(topic, segment("seg-a", 0, 120, 9, COPY_FINISHED)), ErrorCode.INVALID_REQUEST,
                "is recorded COPY_STARTED with offsets 0 to 99, not 0 to 120");
        assertRefused(() -> update(topic, segment("seg-a", 1, 99, 9, DELETE_STARTED)), ErrorCode.INVALID_REQUEST,
                "with offsets 0 to 99, not 1 to 99");
        assertThat(stored(topic, 0)).isEqualTo(before);
    }

    // ---------------------------------------------------------------- fencing

    @Test
    void whenANewerLeaderEpochHasWrittenAnOlderOneIsFencedAndAnEqualOneIsNot() {
        TopicMetadata topic = topic("fenced-by-epoch", 1);
        RemoteSegment olderLeaders = segment("seg-a", 0, 99, 3, COPY_STARTED);
        update(topic, olderLeaders);
        RemoteSegment newerLeaders = segment("seg-b", 0, 149, 5, COPY_STARTED);
        update(topic, newerLeaders);
        Map<String, String> before = stored(topic, 0);

        assertRefused(() -> update(topic, olderLeaders.moveTo(COPY_FINISHED, 3)), ErrorCode.FENCED_LEADER_EPOCH,
                "Leader epoch 3 of fenced-by-epoch-0 is older than 5");
        assertThat(stored(topic, 0)).isEqualTo(before);

        RemoteLog after = update(topic, olderLeaders.moveTo(DELETE_STARTED, 5));
        assertThat(after.leaderEpoch()).isEqualTo(5);
        assertThat(after.segments()).containsExactly(olderLeaders.moveTo(DELETE_STARTED, 5), newerLeaders);
    }

    @Test
    void whenANewLeadersFirstUpdateChangesNoSegmentItStillFencesTheOlderLeader() {
        TopicMetadata topic = topic("fenced-by-a-retry", 1);
        RemoteSegment olderLeaders = segment("seg-a", 0, 99, 3, COPY_STARTED);
        update(topic, olderLeaders);

        RemoteLog after = update(topic, segment("seg-gone", 0, 10, 4, DELETED));
        assertThat(after).isEqualTo(new RemoteLog(topic.id(), 4, List.of(olderLeaders)));

        assertRefused(() -> update(topic, olderLeaders.moveTo(COPY_FINISHED, 3)), ErrorCode.FENCED_LEADER_EPOCH);
    }

    @Test
    void whenTheFencingTokenIsNotTheCurrentOneNothingIsWritten() {
        TopicMetadata topic = topic("deposed", 1);
        RemoteSegment started = segment("seg-a", 0, 99, 9, COPY_STARTED);
        update(topic, started);
        Map<String, String> before = stored(topic, 0);

        assertRefused(() -> store.update(TOKEN - 1, topic, 0, started.moveTo(COPY_FINISHED, 9)).block(WAIT),
                ErrorCode.FENCED_COORDINATOR, "Fencing token 6 is no longer current");
        assertRefused(() -> store.update(TOKEN - 1, topic, 0, segment("seg-b", 100, 199, 9, COPY_STARTED))
                .block(WAIT), ErrorCode.FENCED_COORDINATOR);
        assertThat(stored(topic, 0)).isEqualTo(before);
    }

    // ---------------------------------------------------------------- the log start (DeleteRecords)

    @Test
    void whenTheLogStartIsRaisedItIsStoredAndAnsweredAndALowerOneChangesNothing() {
        TopicMetadata topic = topic("records-deleted", 1);
        RemoteSegment first = segment("seg-a", 0, 99, 3, COPY_STARTED);
        update(topic, first);
        RemoteSegment second = segment("seg-b", 100, 199, 3, COPY_STARTED);
        update(topic, second);

        RemoteLog raised = store.advanceLogStart(TOKEN, topic, 0, new RemoteLogStart(3, 150)).block(WAIT);
        assertThat(raised).isEqualTo(new RemoteLog(topic.id(), 3, 150, List.of(first, second)));
        assertThat(stored(topic, 0)).containsEntry("start", "150");
        assertThat(store.remoteLog(topic, 0).block(WAIT)).isEqualTo(raised);

        assertThat(store.advanceLogStart(TOKEN, topic, 0, new RemoteLogStart(3, 120)).block(WAIT))
                .as("a lower offset (or a retry) changes nothing").isEqualTo(raised);
        assertThat(update(topic, second.moveTo(COPY_FINISHED, 3)).logStartOffset())
                .as("a segment's move answers the log start too").isEqualTo(150);
    }

    @Test
    void whenAnOlderLeaderRaisesTheLogStartItIsFencedAndANewerLeadersRaiseFencesTheOlderOne() {
        TopicMetadata topic = topic("records-deleted-fenced", 1);
        RemoteSegment olderLeaders = segment("seg-a", 0, 99, 3, COPY_STARTED);
        update(topic, olderLeaders);
        store.advanceLogStart(TOKEN, topic, 0, new RemoteLogStart(5, 10)).block(WAIT);
        Map<String, String> before = stored(topic, 0);

        assertRefused(() -> store.advanceLogStart(TOKEN, topic, 0, new RemoteLogStart(4, 50)).block(WAIT),
                ErrorCode.FENCED_LEADER_EPOCH, "Leader epoch 4 of records-deleted-fenced-0 is older than 5");
        assertRefused(() -> update(topic, olderLeaders.moveTo(COPY_FINISHED, 3)), ErrorCode.FENCED_LEADER_EPOCH);
        assertRefused(() -> store.advanceLogStart(TOKEN - 1, topic, 0, new RemoteLogStart(5, 50)).block(WAIT),
                ErrorCode.FENCED_COORDINATOR);
        assertThat(stored(topic, 0)).isEqualTo(before).containsEntry("start", "10").containsEntry("epoch", "5");
    }

    // ---------------------------------------------------------------- the topic

    @Test
    void whenTheTopicWasDeletedOrCreatedAgainMeanwhileNoLogIsWritten() {
        TopicMetadata deleted = topic("deleted-meanwhile", 1);
        redis.opsForHash().remove(RedisKeys.TOPICS, deleted.name()).block(WAIT);

        assertRefused(() -> update(deleted, segment("seg-a", 0, 99, 9, COPY_STARTED)), ErrorCode.UNKNOWN_TOPIC,
                "Topic 'deleted-meanwhile' does not exist");
        topic("deleted-meanwhile", 1);
        assertRefused(() -> update(deleted, segment("seg-a", 0, 99, 9, COPY_STARTED)), ErrorCode.UNKNOWN_TOPIC);
        assertThat(redis.hasKey(RedisKeys.remoteLog(deleted.id(), 0)).block(WAIT)).isFalse();
    }

    @Test
    void whenThePartitionIsNotTheTopicsNoLogIsWritten() {
        TopicMetadata topic = topic("one-partition", 1);

        assertRefused(() -> store.update(TOKEN, topic, 1, segment("seg-a", 0, 99, 9, COPY_STARTED)).block(WAIT),
                ErrorCode.UNKNOWN_PARTITION, "Topic 'one-partition' has no partition 1");
        assertThat(redis.hasKey(RedisKeys.remoteLog(topic.id(), 1)).block(WAIT)).isFalse();
    }

    @Test
    void whenPartitionsOfOneTopicAreUpdatedEachHasItsOwnLog() {
        TopicMetadata topic = topic("two-partitions", 2);
        RemoteSegment first = segment("seg-a", 0, 99, 9, COPY_STARTED);
        RemoteSegment second = segment("seg-b", 0, 49, 2, COPY_STARTED);

        update(topic, first);
        store.update(TOKEN, topic, 1, second).block(WAIT);

        assertThat(store.remoteLog(topic, 0).block(WAIT)).isEqualTo(new RemoteLog(topic.id(), 9, List.of(first)));
        assertThat(store.remoteLog(topic, 1).block(WAIT)).isEqualTo(new RemoteLog(topic.id(), 2, List.of(second)));
    }
}

package io.sluice.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.FetchResponseData.PartitionData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.FetchMetadata;
import org.junit.jupiter.api.Test;

/** KIP-227 as one connection's session keeps it: epochs, what an incremental request changes, what an answer carries. */
class FetchSessionTest {

    private final AtomicInteger ids = new AtomicInteger(100);
    private final FetchSession session = new FetchSession(ids::incrementAndGet);

    private static FetchRequestData request(int sessionId, int epoch, long... offsets) {
        FetchRequestData.FetchTopic topic = new FetchRequestData.FetchTopic().setTopic("t");
        for (int partition = 0; partition < offsets.length; partition++) {
            if (offsets[partition] >= 0) {
                topic.partitions().add(new FetchRequestData.FetchPartition().setPartition(partition)
                        .setFetchOffset(offsets[partition]).setPartitionMaxBytes(1024));
            }
        }
        return new FetchRequestData().setSessionId(sessionId).setSessionEpoch(epoch)
                .setTopics(topic.partitions().isEmpty() ? List.of() : List.of(topic));
    }

    private static List<String> read(FetchSession.Plan plan) {
        return plan.partitions().stream().map(e -> e.key().partition() + "@" + e.fetchOffset()).toList();
    }

    private static PartitionData answer(int partition, long highWatermark, boolean records) {
        return new PartitionData().setPartitionIndex(partition).setHighWatermark(highWatermark)
                .setLastStableOffset(highWatermark).setLogStartOffset(0)
                .setRecords(records ? MemoryRecords.withRecords(org.apache.kafka.common.compress.Compression.NONE,
                        new SimpleRecord("v".getBytes())) : MemoryRecords.EMPTY);
    }

    @Test
    void whenAFullRequestOpensASessionAnIncrementalOneShouldReadEveryPartitionWithTheChangedPositions() {
        FetchSession.Plan opened = session.plan(request(0, FetchMetadata.INITIAL_EPOCH, 5, 7, 9), false);
        assertThat(opened.sessionId()).isEqualTo(101);
        assertThat(opened.incremental()).isFalse();
        assertThat(read(opened)).containsExactly("0@5", "1@7", "2@9");

        FetchRequestData next = request(101, 1, -1, 8);
        next.forgottenTopicsData().add(new FetchRequestData.ForgottenTopic().setTopic("t").setPartitions(List.of(2)));
        FetchSession.Plan incremental = session.plan(next, false);

        assertThat(incremental.incremental()).isTrue();
        assertThat(incremental.sessionId()).isEqualTo(101);
        assertThat(read(incremental)).as("0 unchanged, 1 moved on, 2 forgotten").containsExactly("0@5", "1@8");
    }

    @Test
    void whenTheSessionOrItsEpochIsNotTheConnectionsShouldRefuseTheRequestWhole() {
        session.plan(request(0, FetchMetadata.INITIAL_EPOCH, 5), false);

        assertThat(session.plan(request(999, 1, 5), false).error()).isEqualTo(Errors.FETCH_SESSION_ID_NOT_FOUND);
        assertThat(session.plan(request(101, 2, 5), false).error()).isEqualTo(Errors.INVALID_FETCH_SESSION_EPOCH);
        assertThat(session.plan(request(101, 1, 5), false).error()).isEqualTo(Errors.NONE);
        assertThat(session.plan(request(101, 2, 5), false).error()).as("the epoch moved on").isEqualTo(Errors.NONE);
        assertThat(new FetchSession(ids::incrementAndGet).plan(request(0, 1, 5), false).error())
                .as("no session open").isEqualTo(Errors.FETCH_SESSION_ID_NOT_FOUND);
    }

    @Test
    void whenAFinalRequestNamesTheSessionShouldCloseItAndServeInFullWithoutOne() {
        session.plan(request(0, FetchMetadata.INITIAL_EPOCH, 5), false);

        FetchSession.Plan last = session.plan(request(101, FetchMetadata.FINAL_EPOCH, 6, 3), false);

        assertThat(last.sessionId()).isZero();
        assertThat(read(last)).containsExactly("0@6", "1@3");
        assertThat(session.id()).isZero();
        assertThat(session.plan(request(101, 1, 5), false).error()).isEqualTo(Errors.FETCH_SESSION_ID_NOT_FOUND);
    }

    @Test
    void whenPartitionsHaveNoNewsAnIncrementalAnswerShouldLeaveThemOut() {
        FetchSession.Plan opened = session.plan(request(0, FetchMetadata.INITIAL_EPOCH, 5, 7), false);
        FetchSession.Entry zero = opened.partitions().get(0);
        FetchSession.Entry one = opened.partitions().get(1);
        assertThat(session.answered(zero, answer(0, 10, true))).isTrue();
        assertThat(session.answered(one, answer(1, 7, false))).isTrue();

        assertThat(session.answered(one, answer(1, 7, false))).as("nothing new").isFalse();
        assertThat(session.answered(one, answer(1, 8, false))).as("high watermark moved").isTrue();
        assertThat(session.answered(one, answer(1, 8, true))).as("records").isTrue();
        assertThat(session.answered(one, answer(1, 8, false).setErrorCode(Errors.NOT_LEADER_OR_FOLLOWER.code())))
                .as("an error").isTrue();
        assertThat(session.answered(one, answer(1, 8, false))).as("after an error the offsets are told again")
                .isTrue();
        assertThat(session.answered(one, answer(1, 8, false).setPreferredReadReplica(2)))
                .as("a replica to read from instead (KIP-392)").isTrue();
    }

    @Test
    void theAnswerToAFullRequestCarriesEveryPartitionAndToAnIncrementalOneThoseWithNews() {
        FetchSession.Plan opened = session.plan(request(0, FetchMetadata.INITIAL_EPOCH, 5, 7), false);
        FetchResponseData full = session.respond(opened, List.of(answer(0, 5, false), answer(1, 7, false)), false);
        assertThat(full.sessionId()).isEqualTo(101);
        assertThat(full.responses()).singleElement().satisfies(topic -> {
            assertThat(topic.topic()).isEqualTo("t");
            assertThat(topic.partitions()).extracting(PartitionData::partitionIndex).containsExactly(0, 1);
        });

        FetchSession.Plan next = session.plan(request(101, 1), false);
        FetchResponseData incremental = session.respond(next, List.of(answer(0, 5, false), answer(1, 8, true)),
                false);

        assertThat(incremental.responses()).singleElement().satisfies(topic ->
                assertThat(topic.partitions()).extracting(PartitionData::partitionIndex).as("only 1 has news")
                        .containsExactly(1));
        assertThat(session.respond(session.plan(request(101, 2), false), List.of(answer(0, 5, false),
                answer(1, 8, false)), false).responses()).as("nothing new anywhere").isEmpty();
    }

    @Test
    void whenAPartitionIsAnsweredWithRecordsItShouldMoveToTheEndOfTheSessionsOrder() {
        FetchSession.Plan opened = session.plan(request(0, FetchMetadata.INITIAL_EPOCH, 5, 7, 9), false);
        session.answered(opened.partitions().get(0), answer(0, 10, true));

        assertThat(read(session.plan(request(101, 1), false))).containsExactly("1@7", "2@9", "0@5");
    }

    @Test
    void whenTopicsAreNamedByIdShouldKeyPartitionsById() {
        Uuid id = Uuid.randomUuid();
        FetchRequestData full = request(0, FetchMetadata.INITIAL_EPOCH, 5);
        full.topics().getFirst().setTopic(null).setTopicId(id);
        session.plan(full, true);
        FetchRequestData forget = request(101, 1);
        forget.forgottenTopicsData().add(new FetchRequestData.ForgottenTopic().setTopicId(id)
                .setPartitions(List.of(0)));

        assertThat(session.plan(forget, true).partitions()).isEmpty();
    }
}

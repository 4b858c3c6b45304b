package io.sluice.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.protocol.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsRequestData.ListOffsetsPartition;
import org.apache.kafka.common.message.ListOffsetsRequestData.ListOffsetsTopic;
import org.apache.kafka.common.message.ListOffsetsResponseData.ListOffsetsPartitionResponse;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData.OffsetForLeaderPartition;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData.OffsetForLeaderTopic;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData.EpochEndOffset;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * The offset rules both Kafka listeners answer by: what each ListOffsets timestamp asks of the leader, the leader
 * epoch fences, authorization, and the errors of a leader that cannot answer, as Kafka's consumer expects them.
 */
class OffsetLookupsTest {

    private static final int EPOCH = 5;

    /** What the leader was asked: partition, timestamp, read_committed. */
    private final List<String> asked = new ArrayList<>();

    private final OffsetLookups.OffsetLookup leader = (tp, timestamp, readCommitted) -> {
        asked.add(tp + "@" + timestamp + (readCommitted ? " committed" : ""));
        return tp.partition() == 3 ? Mono.error(ErrorCode.NOT_LEADER.exception("moved"))
                : Mono.just(new OffsetLookups.Found(42L, 1_700L));
    };

    @Test
    void eachTimestampAsksTheLeaderWhatKafkaMeansByIt() {
        List<ListOffsetsPartitionResponse> answers = list(true, partition(0, -1), partition(1, -2), partition(2, -4),
                partition(4, -3), partition(5, 1_000), partition(6, -5), partition(7, -7));

        // Earliest local (-4) and latest tiered (-5) are the leader's to answer: it knows what is in remote storage.
        assertThat(asked).containsExactly("t-0@-1 committed", "t-1@-2 committed", "t-2@-4 committed",
                "t-4@-3 committed", "t-5@1000 committed", "t-6@-5 committed");
        assertThat(answers).extracting(ListOffsetsPartitionResponse::offset)
                .containsExactly(42L, 42L, 42L, 42L, 42L, 42L, -1L);
        assertThat(answers).extracting(ListOffsetsPartitionResponse::timestamp).as("only timed lookups carry one")
                .containsExactly(-1L, -1L, -1L, 1_700L, 1_700L, -1L, -1L);
        assertThat(answers).extracting(a -> Errors.forCode(a.errorCode())).containsExactly(Errors.NONE, Errors.NONE,
                Errors.NONE, Errors.NONE, Errors.NONE, Errors.NONE, Errors.UNSUPPORTED_VERSION);
        assertThat(answers).extracting(ListOffsetsPartitionResponse::leaderEpoch).containsOnly(-1);
    }

    @Test
    void aPartitionThatCannotBeAnsweredGetsKafkasErrorAndTheLeaderIsNotAsked() {
        List<ListOffsetsPartitionResponse> answers = list(false, partition(-1, -1), partition(9, -1),
                fenced(0, EPOCH - 1), fenced(1, EPOCH + 1), fenced(2, EPOCH), partition(3, -1));

        assertThat(answers).extracting(a -> Errors.forCode(a.errorCode())).containsExactly(
                Errors.UNKNOWN_TOPIC_OR_PARTITION, Errors.UNKNOWN_TOPIC_OR_PARTITION, Errors.FENCED_LEADER_EPOCH,
                Errors.UNKNOWN_LEADER_EPOCH, Errors.NONE, Errors.NOT_LEADER_OR_FOLLOWER);
        assertThat(asked).containsExactly("t-2@-1", "t-3@-1");
    }

    @Test
    void aTopicThePrincipalMayNotDescribeIsRefusedWithoutAskingTheLeader() {
        ListOffsetsRequestData data = new ListOffsetsRequestData().setTopics(List.of(
                new ListOffsetsTopic().setName("t").setPartitions(List.of(partition(0, -1)))));

        ListOffsetsPartitionResponse answer = OffsetLookups.listOffsets(data, topic -> false, (t, p) -> EPOCH, leader)
                .block().topics().getFirst().partitions().getFirst();

        assertThat(Errors.forCode(answer.errorCode())).isEqualTo(Errors.TOPIC_AUTHORIZATION_FAILED);
        assertThat(asked).isEmpty();
    }

    @Test
    void anEpochsEndIsTheLeadersAnswerWithItsErrorsAsAReadsErrors() {
        OffsetLookups.EpochLookup epochs = (tp, current, epoch) -> switch (tp.partition()) {
            case 0 -> Mono.just(new OffsetLookups.EpochEnd(null, epoch, 100L + current));
            case 1 -> Mono.just(new OffsetLookups.EpochEnd(ErrorCode.FENCED_LEADER_EPOCH, -1, -1));
            case 2 -> Mono.just(new OffsetLookups.EpochEnd(ErrorCode.NOT_LEADER, -1, -1));
            default -> Mono.error(ErrorCode.REQUEST_TIMED_OUT.exception("no answer"));
        };
        OffsetForLeaderTopic topic = new OffsetForLeaderTopic().setTopic("t");
        for (int p = 0; p < 4; p++) {
            topic.partitions().add(new OffsetForLeaderPartition().setPartition(p).setCurrentLeaderEpoch(2)
                    .setLeaderEpoch(1));
        }
        OffsetForLeaderEpochRequestData data = new OffsetForLeaderEpochRequestData();
        data.topics().add(topic);

        List<EpochEndOffset> answers = OffsetLookups.epochEndOffsets(data, name -> true, epochs).block().topics()
                .find("t").partitions();
        List<EpochEndOffset> refused = OffsetLookups.epochEndOffsets(data, name -> false, epochs).block().topics()
                .find("t").partitions();

        assertThat(answers).extracting(a -> Errors.forCode(a.errorCode())).containsExactly(Errors.NONE,
                Errors.FENCED_LEADER_EPOCH, Errors.NOT_LEADER_OR_FOLLOWER, Errors.NOT_LEADER_OR_FOLLOWER);
        assertThat(answers.getFirst().leaderEpoch()).isEqualTo(1);
        assertThat(answers.getFirst().endOffset()).isEqualTo(102L);
        assertThat(refused).extracting(a -> Errors.forCode(a.errorCode()))
                .containsOnly(Errors.TOPIC_AUTHORIZATION_FAILED);
    }

    /** The answers to a ListOffsets of topic t, whose partitions 0 to 7 exist at leader epoch {@value #EPOCH}. */
    private List<ListOffsetsPartitionResponse> list(boolean readCommitted, ListOffsetsPartition... partitions) {
        ListOffsetsRequestData data = new ListOffsetsRequestData().setIsolationLevel((byte) (readCommitted ? 1 : 0))
                .setTopics(List.of(new ListOffsetsTopic().setName("t").setPartitions(List.of(partitions))));
        return OffsetLookups.listOffsets(data, topic -> true, (t, p) -> p < 8 ? EPOCH : null, leader).block()
                .topics().getFirst().partitions();
    }

    private static ListOffsetsPartition partition(int index, long timestamp) {
        return new ListOffsetsPartition().setPartitionIndex(index).setTimestamp(timestamp);
    }

    private static ListOffsetsPartition fenced(int index, int currentLeaderEpoch) {
        return partition(index, -1).setCurrentLeaderEpoch(currentLeaderEpoch);
    }
}

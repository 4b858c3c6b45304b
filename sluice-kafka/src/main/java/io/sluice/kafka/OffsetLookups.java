package io.sluice.kafka;

import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import io.sluice.protocol.TopicPartition;
import java.util.function.Predicate;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.message.ListOffsetsResponseData.ListOffsetsPartitionResponse;
import org.apache.kafka.common.message.ListOffsetsResponseData.ListOffsetsTopicResponse;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData.EpochEndOffset;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData.OffsetForLeaderTopicResult;
import org.apache.kafka.common.protocol.Errors;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Kafka's two offset questions, answered the same way by every Kafka listener — a gateway's, which asks each
 * partition's leader over the internal API, and a partition service's, which looks in its own logs. Each listener
 * gives what only it knows (who may DESCRIBE a topic, the partitions' leader epochs, how to ask the leader); the
 * rules of the answer are here.
 *
 * <p><b>ListOffsets:</b> per partition the earliest offset (-2, and -4, the earliest local one: Sluice keeps no
 * remote tier), the latest (-1: the high watermark; under read_committed the last stable offset), the first record
 * with the largest timestamp below that bound (-3, KIP-734: its offset and timestamp), or the first offset whose
 * record's timestamp is at or after a time. The latest tiered offset (-5) is -1 with no timestamp, as Kafka answers
 * without tiered storage. Any other negative timestamp is UNSUPPORTED_VERSION for its partition; a current leader
 * epoch older than the partition's is FENCED_LEADER_EPOCH, a newer one UNKNOWN_LEADER_EPOCH; the answer's leader epoch
 * is -1 (unknown), so a consumer does not validate a position against it. Every partition is asked at once, so that
 * the answer is near one moment, as a Kafka broker's is: clients compare one answer's offsets with the next's.
 *
 * <p><b>OffsetsForLeaderEpoch</b> (KIP-320), which a consumer asks after a leader change to learn whether the log it
 * read was truncated: each partition's leader answers where the epoch ends in its log, fenced by the epoch the consumer
 * believes current, as it answers a follower.
 *
 * <p>A topic the principal may not DESCRIBE is TOPIC_AUTHORIZATION_FAILED for each of its partitions.
 */
public final class OffsetLookups {

    /** Kafka's -1 to -5 (latest, earliest, max timestamp, earliest local, latest tiered) are the internal API's. */
    private static final long MAX_TIMESTAMP = -3;
    private static final long LATEST_TIERED = -5;

    private OffsetLookups() {
    }

    /** A partition's leader epoch now, or null when the topic or the partition does not exist. */
    @FunctionalInterface
    public interface LeaderEpochs {
        Integer of(String topic, int partition);
    }

    /**
     * Asks {@code partition}'s leader for the offset at {@code timestamp}: a time, or Kafka's -1, -2 or -3 (the
     * internal API's constants are the same numbers). Fails with the leader's error.
     */
    @FunctionalInterface
    public interface OffsetLookup {
        Mono<Found> find(TopicPartition partition, long timestamp, boolean readCommitted);
    }

    /** An offset found, and its record's timestamp; either null when there is none. */
    public record Found(Long offset, Long timestamp) {
    }

    /** Asks {@code partition}'s leader where {@code leaderEpoch} ends, fenced by {@code currentLeaderEpoch}. */
    @FunctionalInterface
    public interface EpochLookup {
        Mono<EpochEnd> find(TopicPartition partition, int currentLeaderEpoch, int leaderEpoch);
    }

    /** The leader's answer: its error (null for none), and the epoch and end offset it found. */
    public record EpochEnd(ErrorCode error, int leaderEpoch, long endOffset) {
    }

    public static Mono<ListOffsetsResponseData> listOffsets(ListOffsetsRequestData data, Predicate<String> mayDescribe,
                                                            LeaderEpochs epochs, OffsetLookup lookup) {
        boolean readCommitted = data.isolationLevel() == 1;
        return Flux.fromIterable(data.topics())
                .flatMapSequential(topic -> Flux.fromIterable(topic.partitions())
                        .flatMapSequential(partition -> mayDescribe.test(topic.name())
                                ? listOffset(topic.name(), partition, epochs, lookup, readCommitted)
                                : Mono.just(listFailed(partition.partitionIndex(), Errors.TOPIC_AUTHORIZATION_FAILED)))
                        .collectList()
                        .map(partitions -> new ListOffsetsTopicResponse().setName(topic.name())
                                .setPartitions(partitions)))
                .collectList()
                .map(topics -> new ListOffsetsResponseData().setTopics(topics));
    }

    private static Mono<ListOffsetsPartitionResponse> listOffset(String topic,
                                                                 ListOffsetsRequestData.ListOffsetsPartition partition,
                                                                 LeaderEpochs epochs, OffsetLookup lookup,
                                                                 boolean readCommitted) {
        int index = partition.partitionIndex();
        Integer epoch = index < 0 ? null : epochs.of(topic, index);
        if (epoch == null) {
            return Mono.just(listFailed(index, Errors.UNKNOWN_TOPIC_OR_PARTITION));
        }
        if (partition.currentLeaderEpoch() >= 0 && partition.currentLeaderEpoch() < epoch) {
            return Mono.just(listFailed(index, Errors.FENCED_LEADER_EPOCH));
        }
        if (partition.currentLeaderEpoch() > epoch) {
            return Mono.just(listFailed(index, Errors.UNKNOWN_LEADER_EPOCH));
        }
        long asked = partition.timestamp();
        if (asked < LATEST_TIERED) {
            return Mono.just(listFailed(index, Errors.UNSUPPORTED_VERSION));
        }
        boolean timed = asked >= 0 || asked == MAX_TIMESTAMP;
        return lookup.find(new TopicPartition(topic, index), asked, readCommitted)
                .map(found -> new ListOffsetsPartitionResponse().setPartitionIndex(index)
                        .setOffset(found.offset() == null ? -1 : found.offset())
                        .setTimestamp(!timed || found.timestamp() == null ? -1 : found.timestamp())
                        .setLeaderEpoch(-1))
                .onErrorResume(e -> Mono.just(listFailed(index, Errors.forException(KafkaErrors.exception(e)))));
    }

    private static ListOffsetsPartitionResponse listFailed(int index, Errors error) {
        return new ListOffsetsPartitionResponse().setPartitionIndex(index).setErrorCode(error.code())
                .setOffset(-1).setTimestamp(-1).setLeaderEpoch(-1);
    }

    public static Mono<OffsetForLeaderEpochResponseData> epochEndOffsets(OffsetForLeaderEpochRequestData data,
                                                                         Predicate<String> mayDescribe,
                                                                         EpochLookup lookup) {
        return Flux.fromIterable(data.topics())
                .concatMap(topic -> Flux.fromIterable(topic.partitions())
                        .flatMapSequential(partition -> !mayDescribe.test(topic.topic())
                                ? Mono.just(epochFailed(partition.partition(), Errors.TOPIC_AUTHORIZATION_FAILED))
                                : lookup.find(new TopicPartition(topic.topic(), partition.partition()),
                                                partition.currentLeaderEpoch(), partition.leaderEpoch())
                                        .map(answer -> new EpochEndOffset().setPartition(partition.partition())
                                                .setErrorCode(KafkaErrors.ofRead(answer.error()).code())
                                                .setLeaderEpoch(answer.leaderEpoch())
                                                .setEndOffset(answer.endOffset()))
                                        .onErrorResume(e -> Mono.just(epochFailed(partition.partition(),
                                                e instanceof SluiceException failure
                                                        ? KafkaErrors.ofRead(failure.errorCode())
                                                        : Errors.forException(KafkaErrors.exception(e))))))
                        .collectList()
                        .map(partitions -> new OffsetForLeaderTopicResult().setTopic(topic.topic())
                                .setPartitions(partitions)))
                .collectList()
                .map(topics -> {
                    OffsetForLeaderEpochResponseData.OffsetForLeaderTopicResultCollection results =
                            new OffsetForLeaderEpochResponseData.OffsetForLeaderTopicResultCollection();
                    topics.forEach(results::add);
                    return new OffsetForLeaderEpochResponseData().setTopics(results);
                });
    }

    private static EpochEndOffset epochFailed(int partition, Errors error) {
        return new EpochEndOffset().setPartition(partition).setErrorCode(error.code()).setLeaderEpoch(-1)
                .setEndOffset(-1);
    }
}

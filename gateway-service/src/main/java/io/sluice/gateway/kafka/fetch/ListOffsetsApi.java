package io.sluice.gateway.kafka.fetch;

import io.sluice.gateway.cluster.ClusterView;
import io.sluice.gateway.kafka.KafkaApi;
import io.sluice.gateway.kafka.KafkaSession;
import io.sluice.gateway.kafka.TopicAccess;
import io.sluice.gateway.routing.PartitionReader;
import io.sluice.internal.acl.AclOperation;
import io.sluice.internal.metadata.MetadataView;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.internal.partition.ListOffsetsRequest;
import io.sluice.kafka.KafkaErrors;
import io.sluice.kafka.KafkaRequest;
import io.sluice.protocol.TopicPartition;
import java.util.Optional;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.message.ListOffsetsResponseData.ListOffsetsPartitionResponse;
import org.apache.kafka.common.message.ListOffsetsResponseData.ListOffsetsTopicResponse;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * ListOffsets: per partition the earliest offset (-2, and -4, the earliest local one: Sluice keeps no remote tier),
 * the latest (-1: the high watermark; under read_committed the last stable offset), the first record with the largest
 * timestamp below that bound (-3, KIP-734: its offset and timestamp), or the first offset whose record's timestamp is
 * at or after a time, each asked of the partition's leader through the
 * {@link PartitionReader}. The latest tiered offset (-5) is -1 with no timestamp, as Kafka answers without tiered
 * storage: nothing is tiered. Any other negative timestamp is UNSUPPORTED_VERSION for its partition, and a topic the
 * principal may not DESCRIBE TOPIC_AUTHORIZATION_FAILED; the answer's leader epoch is -1 (unknown), so a consumer does
 * not validate a position against it.
 */
@Component
class ListOffsetsApi implements KafkaApi {

    private static final long LATEST = -1;
    private static final long EARLIEST = -2;
    private static final long MAX_TIMESTAMP = -3;
    private static final long EARLIEST_LOCAL = -4;
    private static final long LATEST_TIERED = -5;

    private final ClusterView cluster;
    private final PartitionReader reader;
    private final TopicAccess access;

    ListOffsetsApi(ClusterView cluster, PartitionReader reader, TopicAccess access) {
        this.cluster = cluster;
        this.reader = reader;
        this.access = access;
    }

    @Override
    public ApiKeys key() {
        return ApiKeys.LIST_OFFSETS;
    }

    @Override
    public Mono<ApiMessage> handle(KafkaRequest request, KafkaSession session) {
        ListOffsetsRequestData data = ((org.apache.kafka.common.requests.ListOffsetsRequest) request.body()).data();
        MetadataView view = cluster.current();
        // Every partition at once, topics too, so that the answer is near one moment, as a Kafka broker's is: clients
        // compare one answer's offsets with the next's (a read_committed end offset beyond the high watermark read
        // just before is a failure to Kafka's Streams smoke test driver).
        return Flux.fromIterable(data.topics())
                .flatMapSequential(topic -> Flux.fromIterable(topic.partitions())
                        .flatMapSequential(partition -> access.allowed(session, request, AclOperation.DESCRIBE,
                                topic.name()) ? lookUp(view.topic(topic.name()), topic.name(), partition,
                                data.isolationLevel() == 1)
                                : Mono.just(failed(partition.partitionIndex(), Errors.TOPIC_AUTHORIZATION_FAILED)))
                        .collectList()
                        .map(partitions -> new ListOffsetsTopicResponse().setName(topic.name())
                                .setPartitions(partitions)))
                .collectList()
                .map(topics -> new ListOffsetsResponseData().setTopics(topics));
    }

    private Mono<ListOffsetsPartitionResponse> lookUp(Optional<TopicMetadata> topic, String name,
                                                      ListOffsetsRequestData.ListOffsetsPartition partition,
                                                      boolean readCommitted) {
        int index = partition.partitionIndex();
        if (topic.isEmpty() || index < 0 || index >= topic.get().partitions().size()) {
            return Mono.just(failed(index, Errors.UNKNOWN_TOPIC_OR_PARTITION));
        }
        int epoch = topic.get().partition(index).leaderEpoch();
        if (partition.currentLeaderEpoch() >= 0 && partition.currentLeaderEpoch() < epoch) {
            return Mono.just(failed(index, Errors.FENCED_LEADER_EPOCH));
        }
        if (partition.currentLeaderEpoch() > epoch) {
            return Mono.just(failed(index, Errors.UNKNOWN_LEADER_EPOCH));
        }
        long timestamp = partition.timestamp();
        if (timestamp == EARLIEST_LOCAL) {
            timestamp = EARLIEST;
        }
        if (timestamp == LATEST_TIERED) {
            return Mono.just(new ListOffsetsPartitionResponse().setPartitionIndex(index).setOffset(-1).setTimestamp(-1)
                    .setLeaderEpoch(-1));
        }
        if (timestamp < 0 && timestamp != LATEST && timestamp != EARLIEST && timestamp != MAX_TIMESTAMP) {
            return Mono.just(failed(index, Errors.UNSUPPORTED_VERSION));
        }
        long asked = timestamp;
        boolean timed = asked >= 0 || asked == MAX_TIMESTAMP;
        return reader.listOffset(new TopicPartition(name, index), asked == LATEST ? ListOffsetsRequest.LATEST
                        : asked == EARLIEST ? ListOffsetsRequest.EARLIEST
                        : asked == MAX_TIMESTAMP ? ListOffsetsRequest.MAX_TIMESTAMP : asked, readCommitted)
                .map(found -> new ListOffsetsPartitionResponse().setPartitionIndex(index)
                        .setOffset(found.offset() == null ? -1 : found.offset())
                        .setTimestamp(!timed || found.timestamp() == null ? -1 : found.timestamp())
                        .setLeaderEpoch(-1))
                .onErrorResume(e -> Mono.just(failed(index, Errors.forException(KafkaErrors.exception(e)))));
    }

    private static ListOffsetsPartitionResponse failed(int index, Errors error) {
        return new ListOffsetsPartitionResponse().setPartitionIndex(index).setErrorCode(error.code())
                .setOffset(-1).setTimestamp(-1).setLeaderEpoch(-1);
    }
}

package io.sluice.gateway.kafka.admin;

import io.sluice.gateway.cluster.ClusterView;
import io.sluice.gateway.kafka.KafkaApi;
import io.sluice.gateway.kafka.KafkaSession;
import io.sluice.gateway.kafka.TopicAccess;
import io.sluice.gateway.routing.PartitionReader;
import io.sluice.internal.acl.AclOperation;
import io.sluice.internal.metadata.MetadataView;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.kafka.KafkaErrors;
import io.sluice.kafka.KafkaRequest;
import io.sluice.protocol.TopicPartition;
import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.common.message.DeleteRecordsRequestData;
import org.apache.kafka.common.message.DeleteRecordsRequestData.DeleteRecordsPartition;
import org.apache.kafka.common.message.DeleteRecordsResponseData;
import org.apache.kafka.common.message.DeleteRecordsResponseData.DeleteRecordsPartitionResult;
import org.apache.kafka.common.message.DeleteRecordsResponseData.DeleteRecordsPartitionResultCollection;
import org.apache.kafka.common.message.DeleteRecordsResponseData.DeleteRecordsTopicResult;
import org.apache.kafka.common.message.DeleteRecordsResponseData.DeleteRecordsTopicResultCollection;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * DeleteRecords (KIP-107): per partition, the records below an offset ({@code -1}: the high watermark) are deleted at
 * the partition's leader through the {@link PartitionReader}, which answers the low watermark once every in-sync
 * replica has moved its log start there, within the request's timeout. Per partition: TOPIC_AUTHORIZATION_FAILED
 * without DELETE on the topic (Kafka's rule, asked of the one authorizer), UNKNOWN_TOPIC_OR_PARTITION,
 * OFFSET_OUT_OF_RANGE above the high watermark, NOT_LEADER_OR_FOLLOWER, REQUEST_TIMED_OUT; the low watermark is then
 * -1. Partitions are asked all at once, each on its own.
 */
@Component
class DeleteRecordsApi implements KafkaApi {

    private final ClusterView cluster;
    private final PartitionReader reader;
    private final TopicAccess access;

    DeleteRecordsApi(ClusterView cluster, PartitionReader reader, TopicAccess access) {
        this.cluster = cluster;
        this.reader = reader;
        this.access = access;
    }

    @Override
    public ApiKeys key() {
        return ApiKeys.DELETE_RECORDS;
    }

    @Override
    public Mono<ApiMessage> handle(KafkaRequest request, KafkaSession session) {
        DeleteRecordsRequestData data = ((org.apache.kafka.common.requests.DeleteRecordsRequest) request.body()).data();
        MetadataView view = cluster.current();
        Duration timeout = Duration.ofMillis(Math.max(0, data.timeoutMs()));
        return Flux.fromIterable(data.topics())
                .concatMap(topic -> {
                    boolean allowed = access.allowed(session, request, AclOperation.DELETE, topic.name());
                    return Flux.fromIterable(topic.partitions())
                            .flatMapSequential(partition -> allowed
                                    ? delete(view.topic(topic.name()), topic.name(), partition, timeout)
                                    : Mono.just(failed(partition.partitionIndex(), Errors.TOPIC_AUTHORIZATION_FAILED)))
                            .collect(DeleteRecordsPartitionResultCollection::new,
                                    DeleteRecordsPartitionResultCollection::add)
                            .map(partitions -> new DeleteRecordsTopicResult().setName(topic.name())
                                    .setPartitions(partitions));
                })
                .collect(DeleteRecordsTopicResultCollection::new, DeleteRecordsTopicResultCollection::add)
                .map(topics -> new DeleteRecordsResponseData().setTopics(topics));
    }

    private Mono<DeleteRecordsPartitionResult> delete(Optional<TopicMetadata> topic, String name,
                                                      DeleteRecordsPartition partition, Duration timeout) {
        int index = partition.partitionIndex();
        if (topic.isEmpty() || index < 0 || index >= topic.get().partitions().size()) {
            return Mono.just(failed(index, Errors.UNKNOWN_TOPIC_OR_PARTITION));
        }
        return reader.deleteRecordsBefore(new TopicPartition(name, index), partition.offset(), timeout)
                .map(lowWatermark -> new DeleteRecordsPartitionResult().setPartitionIndex(index)
                        .setLowWatermark(lowWatermark))
                .onErrorResume(e -> Mono.just(failed(index, Errors.forException(KafkaErrors.exception(e)))));
    }

    private static DeleteRecordsPartitionResult failed(int index, Errors error) {
        return new DeleteRecordsPartitionResult().setPartitionIndex(index).setErrorCode(error.code()).setLowWatermark(-1);
    }
}

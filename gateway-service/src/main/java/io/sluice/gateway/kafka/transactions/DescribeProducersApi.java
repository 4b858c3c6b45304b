package io.sluice.gateway.kafka.transactions;

import io.sluice.gateway.cluster.ClusterView;
import io.sluice.gateway.kafka.KafkaApi;
import io.sluice.gateway.kafka.KafkaSession;
import io.sluice.gateway.kafka.TopicAccess;
import io.sluice.gateway.routing.PartitionReader;
import io.sluice.internal.acl.AclOperation;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.internal.partition.DescribeProducersResponse.Producer;
import io.sluice.kafka.KafkaErrors;
import io.sluice.kafka.KafkaRequest;
import io.sluice.protocol.SluiceException;
import io.sluice.protocol.TopicPartition;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.message.DescribeProducersRequestData;
import org.apache.kafka.common.message.DescribeProducersResponseData;
import org.apache.kafka.common.message.DescribeProducersResponseData.PartitionResponse;
import org.apache.kafka.common.message.DescribeProducersResponseData.ProducerState;
import org.apache.kafka.common.message.DescribeProducersResponseData.TopicResponse;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * DescribeProducers (KIP-664): per partition, the producers its leader's producer state holds — id, epoch, last
 * sequence and timestamp, the coordinator epoch of its last marker, the start offset of its open transaction — as
 * {@code kafka-transactions describe-producers}, {@code find-hanging} and {@code abort} read them. Asked of each
 * partition's leader through the {@link PartitionReader}. Per partition: TOPIC_AUTHORIZATION_FAILED without READ on
 * the topic (Kafka's rule), UNKNOWN_TOPIC_OR_PARTITION, and NOT_LEADER_OR_FOLLOWER for every retriable way of not
 * reaching the leader (the admin client then asks again where newer metadata points).
 */
@Component
class DescribeProducersApi implements KafkaApi {

    private final ClusterView cluster;
    private final PartitionReader reader;
    private final TopicAccess access;

    DescribeProducersApi(ClusterView cluster, PartitionReader reader, TopicAccess access) {
        this.cluster = cluster;
        this.reader = reader;
        this.access = access;
    }

    @Override
    public ApiKeys key() {
        return ApiKeys.DESCRIBE_PRODUCERS;
    }

    @Override
    public Mono<ApiMessage> handle(KafkaRequest request, KafkaSession session) {
        DescribeProducersRequestData data =
                ((org.apache.kafka.common.requests.DescribeProducersRequest) request.body()).data();
        return Flux.fromIterable(data.topics())
                .concatMap(topic -> {
                    boolean allowed = access.allowed(session, request, AclOperation.READ, topic.name());
                    Optional<TopicMetadata> known = cluster.current().topic(topic.name());
                    return Flux.fromIterable(topic.partitionIndexes())
                            .flatMapSequential(index -> !allowed ? Mono.just(failed(index,
                                            Errors.TOPIC_AUTHORIZATION_FAILED.exception()))
                                    : known.isEmpty() || index < 0 || index >= known.get().partitions().size()
                                            ? Mono.just(failed(index, Errors.UNKNOWN_TOPIC_OR_PARTITION.exception()))
                                            : describe(new TopicPartition(topic.name(), index)))
                            .collectList()
                            .map(partitions -> new TopicResponse().setName(topic.name()).setPartitions(partitions));
                })
                .collectList()
                .map(topics -> new DescribeProducersResponseData().setTopics(topics));
    }

    private Mono<PartitionResponse> describe(TopicPartition tp) {
        return reader.describeProducers(tp)
                .map(producers -> new PartitionResponse().setPartitionIndex(tp.partition())
                        .setActiveProducers(producers.stream().map(DescribeProducersApi::state).toList()))
                .onErrorResume(e -> Mono.just(failed(tp.partition(), e instanceof SluiceException refused
                        ? KafkaErrors.ofRead(refused.errorCode()).exception(refused.getMessage())
                        : KafkaErrors.exception(e))));
    }

    private static ProducerState state(Producer producer) {
        return new ProducerState().setProducerId(producer.producerId()).setProducerEpoch(producer.producerEpoch())
                .setLastSequence(producer.lastSequence()).setLastTimestamp(producer.lastTimestamp())
                .setCoordinatorEpoch(producer.coordinatorEpoch())
                .setCurrentTxnStartOffset(producer.currentTxnStartOffset());
    }

    private static PartitionResponse failed(int index, ApiException error) {
        return new PartitionResponse().setPartitionIndex(index).setErrorCode(Errors.forException(error).code())
                .setErrorMessage(error.getMessage()).setActiveProducers(List.of());
    }
}

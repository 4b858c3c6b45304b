package io.sluice.gateway.kafka.transactions;

import io.sluice.gateway.cluster.ClusterView;
import io.sluice.gateway.kafka.KafkaApi;
import io.sluice.gateway.kafka.KafkaSession;
import io.sluice.internal.metadata.MetadataView;
import io.sluice.internal.metadata.NodeInfo;
import io.sluice.internal.partition.PartitionBatches;
import io.sluice.internal.partition.TransactionMarkersApi;
import io.sluice.internal.partition.WriteMarkersRequest;
import io.sluice.internal.partition.WriteMarkersResponse;
import io.sluice.kafka.KafkaErrors;
import io.sluice.kafka.KafkaRequest;
import io.sluice.kafka.SupportedApis;
import io.sluice.protocol.TopicPartition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData.WritableTxnMarker;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData.WritableTxnMarkerPartitionResult;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData.WritableTxnMarkerResult;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData.WritableTxnMarkerTopicResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * WriteTxnMarkers from a client: what Kafka's {@code Admin.abortTransaction} sends (and so
 * {@code kafka-transactions abort}) to end a hanging transaction at a partition. Each marker's partitions are grouped
 * by their leaders and written there by the same route the transaction coordinator uses, with the same rules: the
 * leader refuses an older producer epoch (INVALID_PRODUCER_EPOCH) or coordinator epoch
 * (TRANSACTION_COORDINATOR_FENCED) than its producer state holds, writes at the leader epoch of the moment, and
 * answers once the marker is committed (acks=all, min.insync.replicas), so a marker answered NONE is durable.
 * Needs ALTER on the cluster ({@link io.sluice.gateway.kafka.AdminAccess AdminAccess}; Kafka asks for CLUSTER_ACTION,
 * which Sluice's ACLs do not have).
 *
 * <p>Version 1 only: version 2 adds the marker's transaction version (KIP-1228), and Sluice's transactions are
 * version 1, so a client is never offered a version whose field would be ignored.
 */
@Component
class WriteTxnMarkersApi implements KafkaApi {

    private static final short VERSION = 1;

    private final ClusterView cluster;
    private final TransactionMarkersApi markers;

    WriteTxnMarkersApi(ClusterView cluster, TransactionMarkersApi markers) {
        this.cluster = cluster;
        this.markers = markers;
    }

    @Override
    public ApiKeys key() {
        return ApiKeys.WRITE_TXN_MARKERS;
    }

    @Override
    public SupportedApis.Versions versions() {
        return new SupportedApis.Versions(VERSION, VERSION);
    }

    @Override
    public Mono<ApiMessage> handle(KafkaRequest request, KafkaSession session) {
        WriteTxnMarkersRequestData data =
                ((org.apache.kafka.common.requests.WriteTxnMarkersRequest) request.body()).data();
        MetadataView view = cluster.current();
        return Flux.fromIterable(data.markers())
                .concatMap(marker -> write(view, marker))
                .collectList()
                .map(results -> new WriteTxnMarkersResponseData().setMarkers(results));
    }

    /** One marker: its partitions grouped by leader, each leader asked once, the answers in request order. */
    private Mono<WritableTxnMarkerResult> write(MetadataView view, WritableTxnMarker marker) {
        Map<TopicPartition, Errors> answers = new LinkedHashMap<>();
        Map<NodeInfo, List<WriteMarkersRequest.Partition>> byLeader = new LinkedHashMap<>();
        marker.topics().forEach(topic -> topic.partitionIndexes().forEach(index -> {
            TopicPartition tp = new TopicPartition(topic.name(), index);
            answers.put(tp, Errors.NONE);
            try {
                NodeInfo leader = ClusterView.leader(view, tp);
                byLeader.computeIfAbsent(leader, node -> new ArrayList<>()).add(new WriteMarkersRequest.Partition(
                        tp.topic(), tp.partition(), PartitionBatches.ANY_EPOCH));
            } catch (RuntimeException e) {
                answers.put(tp, Errors.forException(KafkaErrors.exception(e)));
            }
        }));
        return Flux.fromIterable(byLeader.entrySet())
                .flatMap(entry -> markers.writeMarkers(entry.getKey(), new WriteMarkersRequest(0, List.of(
                                new WriteMarkersRequest.Marker(marker.producerId(), marker.producerEpoch(),
                                        marker.coordinatorEpoch(), marker.transactionResult(), entry.getValue()))))
                        .map(WriteTxnMarkersApi::answered)
                        .onErrorResume(e -> Mono.just(failed(entry.getValue(), e))))
                .doOnNext(answers::putAll)
                .then(Mono.fromSupplier(() -> result(marker.producerId(), answers)));
    }

    private static Map<TopicPartition, Errors> answered(WriteMarkersResponse response) {
        Map<TopicPartition, Errors> answers = new LinkedHashMap<>();
        response.markers().forEach(written -> written.partitions().forEach(partition -> answers.put(
                new TopicPartition(partition.topic(), partition.partition()), KafkaErrors.of(partition.errorCode()))));
        return answers;
    }

    private static Map<TopicPartition, Errors> failed(List<WriteMarkersRequest.Partition> partitions, Throwable e) {
        Errors error = Errors.forException(KafkaErrors.exception(e));
        Map<TopicPartition, Errors> answers = new LinkedHashMap<>();
        partitions.forEach(partition -> answers.put(new TopicPartition(partition.topic(), partition.partition()),
                error));
        return answers;
    }

    private static WritableTxnMarkerResult result(long producerId, Map<TopicPartition, Errors> answers) {
        Map<String, WritableTxnMarkerTopicResult> topics = new LinkedHashMap<>();
        answers.forEach((tp, error) -> topics.computeIfAbsent(tp.topic(),
                        name -> new WritableTxnMarkerTopicResult().setName(name))
                .partitions().add(new WritableTxnMarkerPartitionResult().setPartitionIndex(tp.partition())
                        .setErrorCode(error.code())));
        return new WritableTxnMarkerResult().setProducerId(producerId).setTopics(new ArrayList<>(topics.values()));
    }
}

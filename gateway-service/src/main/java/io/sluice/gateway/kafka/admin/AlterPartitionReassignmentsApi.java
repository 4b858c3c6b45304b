package io.sluice.gateway.kafka.admin;

import io.sluice.gateway.cluster.ClusterView;
import io.sluice.gateway.kafka.KafkaApi;
import io.sluice.gateway.kafka.KafkaSession;
import io.sluice.internal.coordinator.AlterReassignmentsRequest;
import io.sluice.internal.coordinator.AlterReassignmentsResponse;
import io.sluice.internal.coordinator.CoordinatorApi;
import io.sluice.internal.metadata.PartitionState;
import io.sluice.kafka.KafkaErrors;
import io.sluice.kafka.KafkaRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData;
import org.apache.kafka.common.message.AlterPartitionReassignmentsResponseData;
import org.apache.kafka.common.message.AlterPartitionReassignmentsResponseData.ReassignablePartitionResponse;
import org.apache.kafka.common.message.AlterPartitionReassignmentsResponseData.ReassignableTopicResponse;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AlterPartitionReassignmentsRequest;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * AlterPartitionReassignments (KIP-455; {@code kafka-reassign-partitions --execute} and {@code --cancel}, Admin's
 * {@code alterPartitionReassignments}): each partition's target replicas (the partition services' node ids, as
 * Metadata lists replicas) handed to the coordinator, which moves the partition there (new replicas catch up and join
 * the ISR, leadership moves if the leader leaves, then the old replicas go), or null replicas, which cancel a move.
 * Answered once the coordinator has taken each partition's change, not once the move is done (as Kafka answers);
 * ListPartitionReassignments shows what is still moving. Per partition: INVALID_REPLICA_ASSIGNMENT (an empty target,
 * a node named twice or unknown), UNKNOWN_TOPIC_OR_PARTITION, NO_REASSIGNMENT_IN_PROGRESS (a cancel of nothing), and
 * from version 1, when the request does not allow the replication factor to change (KIP-860), INVALID_REPLICATION_FACTOR
 * for a target of another size. Needs ALTER on the cluster
 * ({@link io.sluice.gateway.kafka.AdminAccess AdminAccess}).
 */
@Component
class AlterPartitionReassignmentsApi implements KafkaApi {

    private final CoordinatorApi coordinator;
    private final ClusterView cluster;

    AlterPartitionReassignmentsApi(CoordinatorApi coordinator, ClusterView cluster) {
        this.coordinator = coordinator;
        this.cluster = cluster;
    }

    @Override
    public ApiKeys key() {
        return ApiKeys.ALTER_PARTITION_REASSIGNMENTS;
    }

    /** One partition asked for, and its answer when refused here. */
    private record Asked(String topic, int partition, List<Integer> replicas, Errors refusal) {
    }

    @Override
    public Mono<ApiMessage> handle(KafkaRequest request, KafkaSession session) {
        AlterPartitionReassignmentsRequestData data = ((AlterPartitionReassignmentsRequest) request.body()).data();
        boolean fixedFactor = request.version() >= 1 && !data.allowReplicationFactorChange();
        List<Asked> asked = new ArrayList<>();
        List<AlterReassignmentsRequest.Target> targets = new ArrayList<>();
        for (AlterPartitionReassignmentsRequestData.ReassignableTopic topic : data.topics()) {
            for (AlterPartitionReassignmentsRequestData.ReassignablePartition partition : topic.partitions()) {
                Errors refusal = fixedFactor && partition.replicas() != null
                        && factor(topic.name(), partition.partitionIndex())
                                .filter(factor -> factor != partition.replicas().size()).isPresent()
                        ? Errors.INVALID_REPLICATION_FACTOR : Errors.NONE;
                asked.add(new Asked(topic.name(), partition.partitionIndex(), partition.replicas(), refusal));
                if (refusal == Errors.NONE) {
                    targets.add(new AlterReassignmentsRequest.Target(topic.name(), partition.partitionIndex(),
                            partition.replicas()));
                }
            }
        }
        Mono<Map<String, AlterReassignmentsResponse.Result>> results = targets.isEmpty() ? Mono.just(Map.of())
                : coordinator.alterReassignments(new AlterReassignmentsRequest(targets)).map(answer -> {
                    Map<String, AlterReassignmentsResponse.Result> byPartition = new LinkedHashMap<>();
                    answer.partitions().forEach(r -> byPartition.put(r.topic() + "-" + r.partition(), r));
                    return byPartition;
                });
        return results.map(byPartition -> (ApiMessage) response(data, asked, byPartition))
                .onErrorResume(e -> {
                    Errors error = Errors.forException(KafkaErrors.exception(e));
                    return Mono.just(new AlterPartitionReassignmentsResponseData().setErrorCode(error.code())
                            .setErrorMessage(e.getMessage()).setAllowReplicationFactorChange(
                                    data.allowReplicationFactorChange()));
                });
    }

    /** The partition's replication factor now (its original set's size while it moves), empty when unknown. */
    private Optional<Integer> factor(String topic, int partition) {
        return cluster.current().topic(topic).filter(t -> partition >= 0 && partition < t.partitions().size())
                .map(t -> t.partition(partition)).map(PartitionState::replicationFactor);
    }

    private static AlterPartitionReassignmentsResponseData response(AlterPartitionReassignmentsRequestData data,
            List<Asked> asked, Map<String, AlterReassignmentsResponse.Result> results) {
        Map<String, ReassignableTopicResponse> topics = new LinkedHashMap<>();
        for (Asked partition : asked) {
            ReassignablePartitionResponse answer = new ReassignablePartitionResponse()
                    .setPartitionIndex(partition.partition());
            if (partition.refusal() != Errors.NONE) {
                answer.setErrorCode(partition.refusal().code()).setErrorMessage("The replication factor of "
                        + partition.topic() + "-" + partition.partition() + " may not change (target "
                        + partition.replicas() + ")");
            } else {
                AlterReassignmentsResponse.Result result = results.get(partition.topic() + "-" + partition.partition());
                if (result != null && result.errorCode() != null) {
                    answer.setErrorCode(KafkaErrors.of(result.errorCode()).code())
                            .setErrorMessage(result.message());
                }
            }
            topics.computeIfAbsent(partition.topic(), name -> new ReassignableTopicResponse().setName(name))
                    .partitions().add(answer);
        }
        return new AlterPartitionReassignmentsResponseData().setResponses(new ArrayList<>(topics.values()))
                .setAllowReplicationFactorChange(data.allowReplicationFactorChange());
    }
}

package io.sluice.gateway.kafka.admin;

import io.sluice.gateway.kafka.KafkaApi;
import io.sluice.gateway.kafka.KafkaSession;
import io.sluice.internal.coordinator.CoordinatorApi;
import io.sluice.internal.coordinator.ElectLeadersRequest;
import io.sluice.internal.coordinator.ElectLeadersResponse;
import io.sluice.kafka.KafkaErrors;
import io.sluice.kafka.KafkaRequest;
import io.sluice.protocol.TopicNames;
import io.sluice.protocol.TopicPartition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.message.ElectLeadersRequestData;
import org.apache.kafka.common.message.ElectLeadersResponseData;
import org.apache.kafka.common.message.ElectLeadersResponseData.PartitionResult;
import org.apache.kafka.common.message.ElectLeadersResponseData.ReplicaElectionResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * ElectLeaders ({@code kafka-leader-election}, Admin's {@code electLeaders}): preferred elections (version 0, and
 * election type 0 from version 1) move a partition's leadership to its preferred replica when that one is alive and in
 * sync, unclean ones (type 1) give a leaderless partition a leader even from outside its ISR, as Kafka's do; the
 * coordinator decides them ({@link ElectLeadersRequest}). Per partition, as Kafka answers: NONE when elected,
 * ELECTION_NOT_NEEDED when its preferred replica already leads (or, unclean, it has a leader),
 * PREFERRED_LEADER_NOT_AVAILABLE, ELIGIBLE_LEADERS_NOT_AVAILABLE when no live replica can lead, and
 * UNKNOWN_TOPIC_OR_PARTITION. A request naming no partitions elects for all of them and answers those whose leader
 * changed. Needs ALTER on the cluster ({@link io.sluice.gateway.kafka.AdminAccess AdminAccess}).
 */
@Component
class ElectLeadersApi implements KafkaApi {

    private final CoordinatorApi coordinator;

    ElectLeadersApi(CoordinatorApi coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public ApiKeys key() {
        return ApiKeys.ELECT_LEADERS;
    }

    @Override
    public Mono<ApiMessage> handle(KafkaRequest request, KafkaSession session) {
        ElectLeadersRequestData data = ((org.apache.kafka.common.requests.ElectLeadersRequest) request.body())
                .data();
        ElectLeadersRequest.Type type;
        byte electionType = request.version() >= 1 ? data.electionType() : 0;
        if (electionType == 0) {
            type = ElectLeadersRequest.Type.PREFERRED;
        } else if (electionType == 1) {
            type = ElectLeadersRequest.Type.UNCLEAN;
        } else {
            return Mono.just(failed(Errors.INVALID_REQUEST, null, request.version()));
        }
        List<TopicPartition> partitions = null;
        Map<String, List<PartitionResult>> unknown = new LinkedHashMap<>();
        if (data.topicPartitions() != null) {
            partitions = new ArrayList<>();
            for (ElectLeadersRequestData.TopicPartitions topic : data.topicPartitions()) {
                for (int partition : topic.partitions()) {
                    if (TopicNames.isValid(topic.topic()) && partition >= 0) {
                        partitions.add(new TopicPartition(topic.topic(), partition));
                    } else {
                        unknown.computeIfAbsent(topic.topic(), t -> new ArrayList<>()).add(new PartitionResult()
                                .setPartitionId(partition).setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code()));
                    }
                }
            }
        }
        List<TopicPartition> asked = partitions;
        return coordinator.electLeaders(new ElectLeadersRequest(type, partitions))
                .map(answer -> (ApiMessage) response(answer, unknown))
                .onErrorResume(e -> Mono.just(failed(Errors.forException(KafkaErrors.exception(e)), asked,
                        request.version())));
    }

    /** A failure of the whole call: at the top from version 1, which has the field; per partition asked in v0. */
    private static ElectLeadersResponseData failed(Errors error, List<TopicPartition> asked, short version) {
        if (version >= 1) {
            return new ElectLeadersResponseData().setErrorCode(error.code());
        }
        Map<String, ReplicaElectionResult> topics = new LinkedHashMap<>();
        for (TopicPartition tp : asked == null ? List.<TopicPartition>of() : asked) {
            topics.computeIfAbsent(tp.topic(), topic -> new ReplicaElectionResult().setTopic(topic)).partitionResult()
                    .add(new PartitionResult().setPartitionId(tp.partition()).setErrorCode(error.code())
                            .setErrorMessage(error.message()));
        }
        return new ElectLeadersResponseData().setReplicaElectionResults(new ArrayList<>(topics.values()));
    }

    private static ElectLeadersResponseData response(ElectLeadersResponse answer,
                                                     Map<String, List<PartitionResult>> unknown) {
        Map<String, ReplicaElectionResult> topics = new LinkedHashMap<>();
        for (ElectLeadersResponse.Result result : answer.partitions()) {
            Errors error = switch (result.outcome()) {
                case ELECTED -> Errors.NONE;
                case NOT_NEEDED -> Errors.ELECTION_NOT_NEEDED;
                case PREFERRED_NOT_AVAILABLE -> Errors.PREFERRED_LEADER_NOT_AVAILABLE;
                case NO_ELIGIBLE_LEADER -> Errors.ELIGIBLE_LEADERS_NOT_AVAILABLE;
                case UNKNOWN_PARTITION -> Errors.UNKNOWN_TOPIC_OR_PARTITION;
            };
            topics.computeIfAbsent(result.topic(), topic -> new ReplicaElectionResult().setTopic(topic))
                    .partitionResult().add(new PartitionResult().setPartitionId(result.partition())
                            .setErrorCode(error.code())
                            .setErrorMessage(error == Errors.NONE ? null : error.message()));
        }
        unknown.forEach((topic, results) -> topics.computeIfAbsent(topic,
                name -> new ReplicaElectionResult().setTopic(name)).partitionResult().addAll(results));
        return new ElectLeadersResponseData().setReplicaElectionResults(new ArrayList<>(topics.values()));
    }
}

package io.sluice.gateway.kafka.admin;

import io.sluice.gateway.kafka.KafkaApi;
import io.sluice.gateway.kafka.KafkaSession;
import io.sluice.internal.coordinator.CoordinatorApi;
import io.sluice.internal.coordinator.ReassignmentListing;
import io.sluice.kafka.KafkaErrors;
import io.sluice.kafka.KafkaRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.message.ListPartitionReassignmentsRequestData;
import org.apache.kafka.common.message.ListPartitionReassignmentsResponseData;
import org.apache.kafka.common.message.ListPartitionReassignmentsResponseData.OngoingPartitionReassignment;
import org.apache.kafka.common.message.ListPartitionReassignmentsResponseData.OngoingTopicReassignment;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ListPartitionReassignmentsRequest;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * ListPartitionReassignments ({@code kafka-reassign-partitions --list} and {@code --verify}, Admin's
 * {@code listPartitionReassignments}): the partitions still moving, of those asked (all when the request names none),
 * each with its replicas (target and original together), the replicas being added and those being removed, as the
 * coordinator holds them. A partition that is not moving, or does not exist, is left out, as Kafka leaves it out.
 * Needs DESCRIBE on the cluster ({@link io.sluice.gateway.kafka.AdminAccess AdminAccess}).
 */
@Component
class ListPartitionReassignmentsApi implements KafkaApi {

    private final CoordinatorApi coordinator;

    ListPartitionReassignmentsApi(CoordinatorApi coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public ApiKeys key() {
        return ApiKeys.LIST_PARTITION_REASSIGNMENTS;
    }

    @Override
    public Mono<ApiMessage> handle(KafkaRequest request, KafkaSession session) {
        ListPartitionReassignmentsRequestData data = ((ListPartitionReassignmentsRequest) request.body()).data();
        return coordinator.listReassignments()
                .map(listing -> (ApiMessage) response(data, listing))
                .onErrorResume(e -> Mono.just(new ListPartitionReassignmentsResponseData()
                        .setErrorCode(Errors.forException(KafkaErrors.exception(e)).code())
                        .setErrorMessage(e.getMessage())));
    }

    private static ListPartitionReassignmentsResponseData response(ListPartitionReassignmentsRequestData data,
                                                                   ReassignmentListing listing) {
        Map<String, OngoingTopicReassignment> topics = new LinkedHashMap<>();
        for (ReassignmentListing.Ongoing moving : listing.partitions()) {
            if (data.topics() != null && data.topics().stream().noneMatch(topic -> topic.name().equals(moving.topic())
                    && topic.partitionIndexes().contains(moving.partition()))) {
                continue;
            }
            topics.computeIfAbsent(moving.topic(), name -> new OngoingTopicReassignment().setName(name))
                    .partitions().add(new OngoingPartitionReassignment().setPartitionIndex(moving.partition())
                            .setReplicas(moving.replicas()).setAddingReplicas(moving.addingReplicas())
                            .setRemovingReplicas(moving.removingReplicas()));
        }
        return new ListPartitionReassignmentsResponseData().setTopics(new ArrayList<>(topics.values()));
    }
}

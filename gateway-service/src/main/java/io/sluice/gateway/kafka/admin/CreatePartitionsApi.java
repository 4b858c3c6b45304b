package io.sluice.gateway.kafka.admin;

import io.sluice.gateway.admin.TopicAdmin;
import io.sluice.gateway.kafka.KafkaApi;
import io.sluice.gateway.kafka.KafkaSession;
import io.sluice.kafka.KafkaErrors;
import io.sluice.kafka.KafkaRequest;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.CreatePartitionsRequestData.CreatePartitionsTopic;
import org.apache.kafka.common.message.CreatePartitionsResponseData;
import org.apache.kafka.common.message.CreatePartitionsResponseData.CreatePartitionsTopicResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.CreatePartitionsRequest;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * CreatePartitions: each topic grown to its new partition count through the {@link TopicAdmin} (INVALID_PARTITIONS
 * unless the count is greater, UNKNOWN_TOPIC_OR_PARTITION for a topic that does not exist); with {@code validate_only}
 * checked as far as {@link TopicAdmin#addPartitions} can without placing replicas, nothing changed. Manual replica
 * assignments are INVALID_REQUEST (the coordinator places the new replicas), and so is a topic named twice.
 */
@Component
class CreatePartitionsApi implements KafkaApi {

    private final TopicAdmin topics;

    CreatePartitionsApi(TopicAdmin topics) {
        this.topics = topics;
    }

    @Override
    public ApiKeys key() {
        return ApiKeys.CREATE_PARTITIONS;
    }

    @Override
    public Mono<ApiMessage> handle(KafkaRequest request, KafkaSession session) {
        CreatePartitionsRequestData data = ((CreatePartitionsRequest) request.body()).data();
        Map<String, Long> mentions = data.topics().stream()
                .collect(Collectors.groupingBy(CreatePartitionsTopic::name, Collectors.counting()));
        return Flux.fromIterable(data.topics())
                .concatMap(topic -> mentions.get(topic.name()) > 1
                        ? Mono.just(failed(topic.name(), Errors.INVALID_REQUEST.exception("Topic '" + topic.name()
                                + "' is named more than once in the request")))
                        : grow(topic, data.validateOnly()))
                .collectList()
                .map(results -> new CreatePartitionsResponseData().setResults(results));
    }

    private Mono<CreatePartitionsTopicResult> grow(CreatePartitionsTopic topic, boolean validateOnly) {
        if (topic.assignments() != null) {
            return Mono.just(failed(topic.name(), Errors.INVALID_REQUEST.exception("Sluice places replicas itself: "
                    + "grow topic '" + topic.name() + "' by a partition count, without replica assignments")));
        }
        return Mono.defer(() -> topics.addPartitions(topic.name(), topic.count(), validateOnly))
                .thenReturn(new CreatePartitionsTopicResult().setName(topic.name()))
                .onErrorResume(e -> Mono.just(failed(topic.name(), KafkaErrors.exception(e))));
    }

    private static CreatePartitionsTopicResult failed(String name, ApiException error) {
        return new CreatePartitionsTopicResult().setName(name).setErrorCode(Errors.forException(error).code())
                .setErrorMessage(error.getMessage());
    }
}

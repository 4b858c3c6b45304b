package io.sluice.gateway.kafka.admin;

import io.sluice.gateway.admin.TopicAdmin;
import io.sluice.gateway.cluster.ClusterView;
import io.sluice.gateway.kafka.KafkaApi;
import io.sluice.gateway.kafka.KafkaSession;
import io.sluice.gateway.kafka.KafkaTopics;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.kafka.KafkaErrors;
import io.sluice.kafka.KafkaRequest;
import io.sluice.kafka.TopicIds;
import java.util.Optional;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.message.DeleteTopicsRequestData.DeleteTopicState;
import org.apache.kafka.common.message.DeleteTopicsResponseData;
import org.apache.kafka.common.message.DeleteTopicsResponseData.DeletableTopicResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DeleteTopicsRequest;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * DeleteTopics: each topic deleted through the {@link TopicAdmin}, named by its name or, from v6 on, by its topic id
 * (KIP-516), which this gateway's metadata resolves ({@link KafkaTopics#byId}): an id no topic has is
 * UNKNOWN_TOPIC_ID, a name no topic has UNKNOWN_TOPIC_OR_PARTITION. A topic's answer names it both ways once it is
 * known.
 */
@Component
class DeleteTopicsApi implements KafkaApi {

    private final TopicAdmin topics;
    private final ClusterView cluster;

    DeleteTopicsApi(TopicAdmin topics, ClusterView cluster) {
        this.topics = topics;
        this.cluster = cluster;
    }

    @Override
    public ApiKeys key() {
        return ApiKeys.DELETE_TOPICS;
    }

    @Override
    public Mono<ApiMessage> handle(KafkaRequest request, KafkaSession session) {
        DeleteTopicsRequest delete = (DeleteTopicsRequest) request.body();
        return Flux.fromIterable(delete.topics())
                .concatMap(topic -> delete(topic, request.version()))
                .collectList()
                .map(results -> {
                    DeleteTopicsResponseData.DeletableTopicResultCollection collection =
                            new DeleteTopicsResponseData.DeletableTopicResultCollection();
                    results.forEach(collection::add);
                    return new DeleteTopicsResponseData().setResponses(collection);
                });
    }

    private Mono<DeletableTopicResult> delete(DeleteTopicState topic, short version) {
        String name = topic.name();
        Uuid id = topic.topicId();
        if (name == null) {
            Optional<TopicMetadata> known = KafkaTopics.byId(cluster.current(), id);
            if (known.isEmpty()) {
                return Mono.just(failed(new DeletableTopicResult().setTopicId(id),
                        Errors.UNKNOWN_TOPIC_ID.exception("No topic has the id " + id), version));
            }
            name = known.get().name();
        }
        DeletableTopicResult result = new DeletableTopicResult().setName(name);
        if (version >= 6) {
            result.setTopicId(id != null && !Uuid.ZERO_UUID.equals(id) ? id : cluster.current().topic(name)
                    .map(known -> TopicIds.of(known.id())).orElse(Uuid.ZERO_UUID));
        }
        return topics.delete(name)
                .thenReturn(result)
                .onErrorResume(e -> Mono.just(failed(result, KafkaErrors.exception(e), version)));
    }

    private static DeletableTopicResult failed(DeletableTopicResult result, ApiException error, short version) {
        result.setErrorCode(Errors.forException(error).code());
        return version >= 5 ? result.setErrorMessage(error.getMessage()) : result;
    }
}

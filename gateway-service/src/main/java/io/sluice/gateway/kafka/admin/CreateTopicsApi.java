package io.sluice.gateway.kafka.admin;

import io.sluice.gateway.admin.TopicAdmin;
import io.sluice.gateway.brokerconfig.BrokerConfigs;
import io.sluice.gateway.brokerconfig.TopicDefaults;
import io.sluice.gateway.kafka.KafkaApi;
import io.sluice.gateway.kafka.KafkaSession;
import io.sluice.internal.coordinator.CreateTopicRequest;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.kafka.KafkaErrors;
import io.sluice.kafka.KafkaRequest;
import io.sluice.kafka.TopicIds;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableTopic;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableTopicConfig;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.message.CreateTopicsResponseData.CreatableTopicResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.CreateTopicsRequest;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * CreateTopics: each topic created (or with {@code validate_only} checked, nothing created) through the
 * {@link TopicAdmin}, so with the coordinator's checks and errors, as over HTTP: INVALID_TOPIC_EXCEPTION,
 * TOPIC_ALREADY_EXISTS, INVALID_PARTITIONS, INVALID_REPLICATION_FACTOR (also when fewer nodes are alive), INVALID_CONFIG,
 * each with the coordinator's message. A partition count or replication factor of -1 is the cluster's
 * {@code num.partitions} or {@code default.replication.factor} as they are now ({@link BrokerConfigs#topicDefaults}:
 * set at run time, else the gateway's {@code sluice.gateway.auto-create-topics.*}), as at Kafka.
 * Manual replica assignments are INVALID_REQUEST (the coordinator places replicas), and so is a topic named twice in
 * one request, as Kafka answers it. From v5 on a created topic's answer carries its partition count, replication
 * factor and every config with its source ({@link KafkaTopicConfigs}); from v7 its id.
 */
@Component
class CreateTopicsApi implements KafkaApi {

    private final TopicAdmin topics;
    private final BrokerConfigs brokers;

    CreateTopicsApi(TopicAdmin topics, BrokerConfigs brokers) {
        this.topics = topics;
        this.brokers = brokers;
    }

    @Override
    public ApiKeys key() {
        return ApiKeys.CREATE_TOPICS;
    }

    @Override
    public Mono<ApiMessage> handle(KafkaRequest request, KafkaSession session) {
        CreateTopicsRequestData data = ((CreateTopicsRequest) request.body()).data();
        Map<String, Long> mentions = data.topics().stream()
                .collect(Collectors.groupingBy(CreatableTopic::name, Collectors.counting()));
        return Flux.fromIterable(data.topics())
                .concatMap(topic -> mentions.get(topic.name()) > 1
                        ? Mono.just(failed(topic.name(), Errors.INVALID_REQUEST.exception("Topic '" + topic.name()
                                + "' is named more than once in the request")))
                        : create(topic, data.validateOnly(), request.version()))
                .collectList()
                .map(results -> {
                    CreateTopicsResponseData.CreatableTopicResultCollection collection =
                            new CreateTopicsResponseData.CreatableTopicResultCollection();
                    results.forEach(collection::add);
                    return new CreateTopicsResponseData().setTopics(collection);
                });
    }

    private Mono<CreatableTopicResult> create(CreatableTopic topic, boolean validateOnly, short version) {
        if (!topic.assignments().isEmpty()) {
            return Mono.just(failed(topic.name(), Errors.INVALID_REQUEST.exception("Sluice places replicas itself: "
                    + "create topic '" + topic.name() + "' with a partition count and replication factor, not "
                    + "replica assignments")));
        }
        // A null value reaches the coordinator, which refuses it by name (INVALID_CONFIG).
        Map<String, String> configs = new LinkedHashMap<>();
        for (CreatableTopicConfig config : topic.configs()) {
            configs.put(config.name(), config.value());
        }
        boolean defaulted = topic.numPartitions() == -1 || topic.replicationFactor() == -1;
        Mono<TopicDefaults> defaults = defaulted ? brokers.topicDefaults() : Mono.just(new TopicDefaults(false, 0, 0));
        return defaults.map(given -> new CreateTopicRequest(topic.name(),
                        topic.numPartitions() == -1 ? given.partitions() : topic.numPartitions(),
                        topic.replicationFactor() == -1 ? given.replicationFactor() : (int) topic.replicationFactor(),
                        configs, validateOnly))
                .flatMap(topics::create)
                .map(created -> created(created, version))
                .onErrorResume(e -> Mono.just(failed(topic.name(), KafkaErrors.exception(e))));
    }

    private static CreatableTopicResult created(TopicMetadata topic, short version) {
        CreatableTopicResult result = new CreatableTopicResult().setName(topic.name());
        if (version >= 5) {
            result.setNumPartitions(topic.partitions().size())
                    .setReplicationFactor((short) topic.replicationFactor())
                    .setConfigs(KafkaTopicConfigs.created(topic.configs()));
        }
        if (version >= 7) {
            result.setTopicId(topic.id() == null ? Uuid.ZERO_UUID : TopicIds.of(topic.id()));
        }
        return result;
    }

    private static CreatableTopicResult failed(String name, ApiException error) {
        return new CreatableTopicResult().setName(name).setErrorCode(Errors.forException(error).code())
                .setErrorMessage(error.getMessage());
    }
}

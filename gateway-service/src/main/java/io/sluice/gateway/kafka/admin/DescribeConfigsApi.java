package io.sluice.gateway.kafka.admin;

import io.sluice.gateway.GatewayProperties;
import io.sluice.gateway.admin.TopicAdmin;
import io.sluice.gateway.kafka.KafkaApi;
import io.sluice.gateway.kafka.KafkaBroker;
import io.sluice.gateway.kafka.KafkaSession;
import io.sluice.internal.share.ShareGroupApi;
import io.sluice.kafka.KafkaErrors;
import io.sluice.kafka.KafkaRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsRequestData.DescribeConfigsResource;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResourceResult;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResult;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsSynonym;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeConfigsRequest;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigSource;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * DescribeConfigs of topics, groups and this broker.
 *
 * <p>A topic's configs are the coordinator's, asked through the {@link TopicAdmin} (so a change just made is seen):
 * every config Sluice knows with its value and source ({@link KafkaTopicConfigs}), UNKNOWN_TOPIC_OR_PARTITION for a
 * topic that does not exist.
 *
 * <p>A group's configs are its share group configs at the coordinator ({@link KafkaGroupConfigs}): every key, the
 * group's value (GROUP_CONFIG) or the cluster default (DEFAULT_CONFIG). Any valid group id has them, as at Kafka,
 * whether or not the group exists yet; an empty name is INVALID_REQUEST.
 *
 * <p>The broker ({@code "0"}, this gateway's node id) answers a minimal list, so that
 * {@code kafka-configs --describe --entity-type brokers} works: the three broker settings Sluice really has, the
 * gateway's topic defaults — {@code auto.create.topics.enable}, {@code num.partitions} and
 * {@code default.replication.factor} (from {@code sluice.gateway.auto-create-topics}, what CreateTopics' -1 means) —
 * read-only and STATIC_BROKER_CONFIG, as a broker's server.properties shows. The cluster-wide default broker resource
 * ({@code ""}) has no dynamic configs: its list is empty. Any other broker id, and every other resource type (broker
 * loggers, client metrics), is INVALID_REQUEST with a message.
 */
@Component
class DescribeConfigsApi implements KafkaApi {

    private final TopicAdmin topics;
    private final ShareGroupApi groups;
    private final KafkaBroker broker;
    private final GatewayProperties.AutoCreateTopics topicDefaults;

    DescribeConfigsApi(TopicAdmin topics, ShareGroupApi groups, KafkaBroker broker, GatewayProperties properties) {
        this.topics = topics;
        this.groups = groups;
        this.broker = broker;
        this.topicDefaults = properties.autoCreateTopics();
    }

    @Override
    public ApiKeys key() {
        return ApiKeys.DESCRIBE_CONFIGS;
    }

    @Override
    public Mono<ApiMessage> handle(KafkaRequest request, KafkaSession session) {
        DescribeConfigsRequestData data = ((DescribeConfigsRequest) request.body()).data();
        return Flux.fromIterable(data.resources())
                .concatMap(resource -> describe(resource, data.includeSynonyms(), data.includeDocumentation())
                        .onErrorResume(e -> Mono.just(failed(resource, KafkaErrors.exception(e)))))
                .collectList()
                .map(results -> new DescribeConfigsResponseData().setResults(results));
    }

    private Mono<DescribeConfigsResult> describe(DescribeConfigsResource resource, boolean synonyms,
                                                 boolean documentation) {
        ConfigResource.Type type = ConfigResource.Type.forId(resource.resourceType());
        if (type == ConfigResource.Type.TOPIC) {
            return topics.topic(resource.resourceName()).map(topic -> result(resource, KafkaTopicConfigs.describe(
                    topic.configs(), resource.configurationKeys(), synonyms, documentation)));
        }
        if (type == ConfigResource.Type.GROUP) {
            if (resource.resourceName() == null || resource.resourceName().isEmpty()) {
                return Mono.just(failed(resource, Errors.INVALID_REQUEST.exception("Group name must not be empty")));
            }
            return groups.describeShareGroupConfigs(resource.resourceName()).map(configs -> result(resource,
                    KafkaGroupConfigs.describe(configs, resource.configurationKeys(), synonyms, documentation)));
        }
        if (type == ConfigResource.Type.BROKER && resource.resourceName().isEmpty()) {
            return Mono.just(result(resource, List.of()));
        }
        if (type == ConfigResource.Type.BROKER && resource.resourceName().equals(String.valueOf(broker.nodeId()))) {
            return Mono.just(result(resource, brokerConfigs(resource.configurationKeys(), synonyms)));
        }
        if (type == ConfigResource.Type.BROKER) {
            return Mono.just(failed(resource, Errors.INVALID_REQUEST.exception("This broker is "
                    + broker.nodeId() + ", not '" + resource.resourceName() + "': ask that broker for its configs")));
        }
        return Mono.just(failed(resource, Errors.INVALID_REQUEST.exception("Sluice describes the configs of topics, "
                + "groups and broker " + broker.nodeId() + ", not of " + type)));
    }

    private List<DescribeConfigsResourceResult> brokerConfigs(List<String> keys, boolean synonyms) {
        Map<String, String> values = Map.of(
                "auto.create.topics.enable", String.valueOf(topicDefaults.enabled()),
                "num.partitions", String.valueOf(topicDefaults.partitions()),
                "default.replication.factor", String.valueOf(topicDefaults.replicationFactor()));
        List<DescribeConfigsResourceResult> results = new ArrayList<>();
        values.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .filter(config -> keys == null || keys.contains(config.getKey()))
                .forEach(config -> results.add(new DescribeConfigsResourceResult()
                        .setName(config.getKey())
                        .setValue(config.getValue())
                        .setReadOnly(true)
                        .setConfigSource(ConfigSource.STATIC_BROKER_CONFIG.id())
                        .setIsSensitive(false)
                        .setSynonyms(synonyms ? List.of(new DescribeConfigsSynonym().setName(config.getKey())
                                .setValue(config.getValue()).setSource(ConfigSource.STATIC_BROKER_CONFIG.id()))
                                : List.of())));
        return results;
    }

    private static DescribeConfigsResult result(DescribeConfigsResource resource,
                                                List<DescribeConfigsResourceResult> configs) {
        return new DescribeConfigsResult().setResourceType(resource.resourceType())
                .setResourceName(resource.resourceName()).setConfigs(configs);
    }

    private static DescribeConfigsResult failed(DescribeConfigsResource resource, ApiException error) {
        return result(resource, List.of()).setErrorCode(Errors.forException(error).code())
                .setErrorMessage(error.getMessage());
    }
}

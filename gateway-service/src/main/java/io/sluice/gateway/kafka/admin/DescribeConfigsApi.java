package io.sluice.gateway.kafka.admin;

import io.sluice.gateway.admin.TopicAdmin;
import io.sluice.gateway.brokerconfig.BrokerConfigs;
import io.sluice.gateway.cluster.ClusterView;
import io.sluice.gateway.kafka.KafkaApi;
import io.sluice.gateway.kafka.KafkaBrokers;
import io.sluice.gateway.kafka.KafkaSession;
import io.sluice.internal.share.ShareGroupApi;
import io.sluice.kafka.KafkaErrors;
import io.sluice.kafka.KafkaRequest;
import java.util.List;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsRequestData.DescribeConfigsResource;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResourceResult;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeConfigsRequest;
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
 * <p>A broker's configs ({@link BrokerConfigs}, the same as {@code GET /v1/cluster/configs}): for this gateway's
 * broker id, every broker config Sluice has, under Kafka's names ({@link KafkaBrokerConfigs}); for the cluster-wide
 * default broker resource ({@code ""}), the configs set at run time for every broker (DYNAMIC_DEFAULT_BROKER_CONFIG).
 * Kafka's Admin sends a broker's DescribeConfigs to that broker. A partition service that Metadata names a broker
 * (the direct data path) forwards it to a gateway, which answers for the node ({@link BrokerConfigs#describeNode}).
 * Any other id reaches this gateway only from a hand-made request: INVALID_REQUEST with a message, as is every other
 * resource type (broker loggers, client metrics).
 */
@Component
class DescribeConfigsApi implements KafkaApi {

    private final TopicAdmin topics;
    private final ShareGroupApi groups;
    private final BrokerConfigs brokers;
    private final KafkaBrokers known;
    private final ClusterView cluster;

    DescribeConfigsApi(TopicAdmin topics, ShareGroupApi groups, BrokerConfigs brokers, KafkaBrokers known,
                       ClusterView cluster) {
        this.topics = topics;
        this.groups = groups;
        this.brokers = brokers;
        this.known = known;
        this.cluster = cluster;
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
            return brokers.describeClusterDefaults().map(configs -> result(resource,
                    KafkaBrokerConfigs.describe(configs, resource.configurationKeys(), synonyms, documentation)));
        }
        if (type == ConfigResource.Type.BROKER && resource.resourceName().equals(String.valueOf(brokers.brokerId()))) {
            return brokers.describe().map(configs -> result(resource,
                    KafkaBrokerConfigs.describe(configs, resource.configurationKeys(), synonyms, documentation)));
        }
        if (type == ConfigResource.Type.BROKER && isDirectLeader(resource.resourceName())) {
            return brokers.describeNode(Integer.parseInt(resource.resourceName())).map(configs -> result(resource,
                    KafkaBrokerConfigs.describe(configs, resource.configurationKeys(), synonyms, documentation)));
        }
        if (type == ConfigResource.Type.BROKER) {
            return Mono.just(failed(resource, Errors.INVALID_REQUEST.exception("This broker is "
                    + brokers.brokerId() + ", not '" + resource.resourceName() + "': ask that broker for its configs")));
        }
        return Mono.just(failed(resource, Errors.INVALID_REQUEST.exception("Sluice describes the configs of topics, "
                + "groups and broker " + brokers.brokerId() + ", not of " + type)));
    }

    /** Whether {@code name} is the id of a partition service that Metadata names a broker now. */
    private boolean isDirectLeader(String name) {
        int id;
        try {
            id = Integer.parseInt(name);
        } catch (NumberFormatException e) {
            return false;
        }
        return known.directLeaders(cluster.current(), known.live()).containsKey(id);
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

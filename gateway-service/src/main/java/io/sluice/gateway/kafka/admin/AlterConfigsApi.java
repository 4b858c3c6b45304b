package io.sluice.gateway.kafka.admin;

import io.sluice.gateway.admin.TopicAdmin;
import io.sluice.gateway.brokerconfig.BrokerConfigs;
import io.sluice.gateway.kafka.KafkaApi;
import io.sluice.gateway.kafka.KafkaSession;
import io.sluice.internal.brokerconfig.BrokerConfigChange;
import io.sluice.internal.coordinator.AlterConfigsRequest;
import io.sluice.internal.share.ShareGroupApi;
import io.sluice.internal.share.ShareGroupConfigChange;
import io.sluice.kafka.KafkaErrors;
import io.sluice.kafka.KafkaRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.message.AlterConfigsRequestData;
import org.apache.kafka.common.message.AlterConfigsRequestData.AlterConfigsResource;
import org.apache.kafka.common.message.AlterConfigsRequestData.AlterableConfig;
import org.apache.kafka.common.message.AlterConfigsResponseData;
import org.apache.kafka.common.message.AlterConfigsResponseData.AlterConfigsResourceResponse;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * AlterConfigs (the older, whole-set form, which kafka-clients' Admin still offers): a topic's overrides become
 * exactly the configs given — any override not given is removed — through the {@link TopicAdmin}, validated as a
 * whole (INVALID_CONFIG naming the bad name or value); {@code validate_only} changes nothing. A config named twice is
 * INVALID_REQUEST. A group's configs (its share group configs) become exactly those given, at the coordinator, in the
 * same way. The cluster-wide broker configs (the default broker resource, {@code ""}) become exactly those given
 * ({@link BrokerConfigs}): a read-only config is INVALID_REQUEST, an unknown one or a bad value INVALID_CONFIG, nothing
 * changed. A single broker has no configs of its own to alter ({@link #alterBroker}); any other resource type is
 * INVALID_REQUEST with a message ({@link #notAlterable}).
 */
@Component
class AlterConfigsApi implements KafkaApi {

    private final TopicAdmin topics;
    private final ShareGroupApi groups;
    private final BrokerConfigs brokers;

    AlterConfigsApi(TopicAdmin topics, ShareGroupApi groups, BrokerConfigs brokers) {
        this.topics = topics;
        this.groups = groups;
        this.brokers = brokers;
    }

    @Override
    public ApiKeys key() {
        return ApiKeys.ALTER_CONFIGS;
    }

    @Override
    public Mono<ApiMessage> handle(KafkaRequest request, KafkaSession session) {
        AlterConfigsRequestData data = ((org.apache.kafka.common.requests.AlterConfigsRequest) request.body()).data();
        return Flux.fromIterable(data.resources())
                .concatMap(resource -> alter(resource, data.validateOnly())
                        .thenReturn(response(resource))
                        .onErrorResume(e -> Mono.just(failed(resource, KafkaErrors.exception(e)))))
                .collectList()
                .map(responses -> new AlterConfigsResponseData().setResponses(responses));
    }

    private Mono<Void> alter(AlterConfigsResource resource, boolean validateOnly) {
        ConfigResource.Type type = ConfigResource.Type.forId(resource.resourceType());
        if (type != ConfigResource.Type.TOPIC && type != ConfigResource.Type.GROUP
                && type != ConfigResource.Type.BROKER) {
            return Mono.error(notAlterable(type));
        }
        if (type == ConfigResource.Type.GROUP && (resource.resourceName() == null
                || resource.resourceName().isEmpty())) {
            return Mono.error(Errors.INVALID_REQUEST.exception("Group name must not be empty"));
        }
        Map<String, String> set = new LinkedHashMap<>();
        List<String> unset = new ArrayList<>();
        for (AlterableConfig config : resource.configs()) {
            if (set.containsKey(config.name()) || unset.contains(config.name())) {
                return Mono.error(Errors.INVALID_REQUEST.exception("Config '" + config.name() + "' is given twice"));
            }
            if (config.value() == null) {
                unset.add(config.name());
            } else {
                set.put(config.name(), config.value());
            }
        }
        if (type == ConfigResource.Type.GROUP) {
            return groups.alterShareGroupConfigs(resource.resourceName(),
                    new ShareGroupConfigChange(set, List.of(), true, validateOnly)).then();
        }
        if (type == ConfigResource.Type.BROKER) {
            return alterBroker(brokers, resource.resourceName(), new BrokerConfigChange(set, List.of(), true,
                    validateOnly));
        }
        String topic = resource.resourceName();
        return topics.topic(topic).flatMap(current -> {
            List<String> delete = new ArrayList<>(unset);
            current.configs().keySet().stream().filter(name -> !set.containsKey(name) && !unset.contains(name))
                    .forEach(delete::add);
            return topics.alterConfigs(topic, new AlterConfigsRequest(set, delete), validateOnly);
        }).then();
    }

    /**
     * Alters the broker resource {@code name} (AlterConfigs and its incremental form): the cluster-wide configs for
     * {@code ""}; a single broker is INVALID_REQUEST, since Sluice's dynamic broker configs are cluster-wide (the
     * gateways are interchangeable) and the rest are start-up settings.
     */
    static Mono<Void> alterBroker(BrokerConfigs brokers, String name, BrokerConfigChange change) {
        if (name == null || name.isEmpty()) {
            return brokers.alter(change).then();
        }
        return Mono.error(Errors.INVALID_REQUEST.exception("Sluice's broker configs that can change at run time are "
                + "cluster-wide: alter them on the default broker resource (kafka-configs --entity-type brokers "
                + "--entity-default); broker " + name + " has no values of its own, and its other configs are "
                + "start-up settings"));
    }

    /** The refusal of an alteration of a resource that is no topic, group or broker. */
    static ApiException notAlterable(ConfigResource.Type type) {
        return Errors.INVALID_REQUEST.exception("Sluice alters the configs of topics, groups and brokers only, not of "
                + type);
    }

    private static AlterConfigsResourceResponse response(AlterConfigsResource resource) {
        return new AlterConfigsResourceResponse().setResourceType(resource.resourceType())
                .setResourceName(resource.resourceName());
    }

    private static AlterConfigsResourceResponse failed(AlterConfigsResource resource, ApiException error) {
        return response(resource).setErrorCode(Errors.forException(error).code()).setErrorMessage(error.getMessage());
    }
}

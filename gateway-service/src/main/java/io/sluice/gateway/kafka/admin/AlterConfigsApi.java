package io.sluice.gateway.kafka.admin;

import io.sluice.gateway.admin.TopicAdmin;
import io.sluice.gateway.kafka.KafkaApi;
import io.sluice.gateway.kafka.KafkaSession;
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
 * same way. Broker configs are the gateway's start-up settings and cannot be altered: a broker resource is
 * INVALID_REQUEST with a message ({@link #notAlterable}), as is any other resource type.
 */
@Component
class AlterConfigsApi implements KafkaApi {

    private final TopicAdmin topics;
    private final ShareGroupApi groups;

    AlterConfigsApi(TopicAdmin topics, ShareGroupApi groups) {
        this.topics = topics;
        this.groups = groups;
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
        if (type != ConfigResource.Type.TOPIC && type != ConfigResource.Type.GROUP) {
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
        String topic = resource.resourceName();
        return topics.topic(topic).flatMap(current -> {
            List<String> delete = new ArrayList<>(unset);
            current.configs().keySet().stream().filter(name -> !set.containsKey(name) && !unset.contains(name))
                    .forEach(delete::add);
            return topics.alterConfigs(topic, new AlterConfigsRequest(set, delete), validateOnly);
        }).then();
    }

    /** The refusal of an alteration of a resource that is no topic or group (AlterConfigs and its incremental form). */
    static ApiException notAlterable(ConfigResource.Type type) {
        if (type == ConfigResource.Type.BROKER) {
            return Errors.INVALID_REQUEST.exception("Sluice's broker configs are its gateways' start-up settings "
                    + "(sluice.gateway.*): they cannot be altered at run time");
        }
        return Errors.INVALID_REQUEST.exception("Sluice alters the configs of topics and groups only, not of " + type);
    }

    private static AlterConfigsResourceResponse response(AlterConfigsResource resource) {
        return new AlterConfigsResourceResponse().setResourceType(resource.resourceType())
                .setResourceName(resource.resourceName());
    }

    private static AlterConfigsResourceResponse failed(AlterConfigsResource resource, ApiException error) {
        return response(resource).setErrorCode(Errors.forException(error).code()).setErrorMessage(error.getMessage());
    }
}

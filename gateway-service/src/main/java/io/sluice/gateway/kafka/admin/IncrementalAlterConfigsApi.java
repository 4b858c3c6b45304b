package io.sluice.gateway.kafka.admin;

import io.sluice.gateway.admin.TopicAdmin;
import io.sluice.gateway.brokerconfig.BrokerConfigs;
import io.sluice.gateway.kafka.KafkaApi;
import io.sluice.gateway.kafka.KafkaSession;
import io.sluice.internal.brokerconfig.BrokerConfigChange;
import io.sluice.internal.coordinator.AlterConfigsRequest;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.internal.share.ShareGroupApi;
import io.sluice.internal.share.ShareGroupConfigChange;
import io.sluice.kafka.KafkaErrors;
import io.sluice.kafka.KafkaRequest;
import io.sluice.protocol.config.TopicConfigs;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData.AlterConfigsResource;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData.AlterableConfig;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.IncrementalAlterConfigsRequest;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * IncrementalAlterConfigs, what {@code kafka-configs --alter} and Admin's {@code incrementalAlterConfigs} send: a
 * topic's overrides SET and DELETEd (back to the default) through the {@link TopicAdmin}, all of a resource's changes
 * at once and validated as a whole (INVALID_CONFIG naming the bad name or value); {@code validate_only} changes
 * nothing. APPEND and SUBTRACT apply to list configs, as in Kafka: Sluice's one list config is
 * {@code cleanup.policy}, whose current value (override or default) the listed policies are added to or taken from;
 * on any other config they are INVALID_CONFIG, Kafka's answer. A config named twice in a resource is INVALID_REQUEST.
 *
 * <p>A group's configs (its share group configs, {@code kafka-configs --entity-type groups}) are SET and DELETEd at the
 * coordinator, all at once, with {@code validate_only} honoured there: INVALID_CONFIG for an unknown key or a value
 * out of range (nothing changed). Group configs are no lists: APPEND and SUBTRACT on them are INVALID_CONFIG.
 * The cluster-wide broker configs (the default broker resource, {@code ""}; {@link BrokerConfigs}) are SET and
 * DELETEd at the coordinator in the same way, {@code validate_only} honoured: a read-only config is INVALID_REQUEST
 * ("Cannot update these configs dynamically", as Kafka answers), an unknown one or a bad value INVALID_CONFIG, nothing
 * changed; no broker config is a list, so APPEND and SUBTRACT are INVALID_CONFIG. A single broker has no values of its
 * own ({@link AlterConfigsApi#alterBroker}); other resources are INVALID_REQUEST
 * ({@link AlterConfigsApi#notAlterable}).
 */
@Component
class IncrementalAlterConfigsApi implements KafkaApi {

    private final TopicAdmin topics;
    private final ShareGroupApi groups;
    private final BrokerConfigs brokers;

    IncrementalAlterConfigsApi(TopicAdmin topics, ShareGroupApi groups, BrokerConfigs brokers) {
        this.topics = topics;
        this.groups = groups;
        this.brokers = brokers;
    }

    @Override
    public ApiKeys key() {
        return ApiKeys.INCREMENTAL_ALTER_CONFIGS;
    }

    @Override
    public Mono<ApiMessage> handle(KafkaRequest request, KafkaSession session) {
        IncrementalAlterConfigsRequestData data = ((IncrementalAlterConfigsRequest) request.body()).data();
        return Flux.fromIterable(data.resources())
                .concatMap(resource -> Mono.defer(() -> alter(resource, data.validateOnly()))
                        .thenReturn(response(resource))
                        .onErrorResume(e -> Mono.just(failed(resource, KafkaErrors.exception(e)))))
                .collectList()
                .map(responses -> new IncrementalAlterConfigsResponseData().setResponses(responses));
    }

    private Mono<Void> alter(AlterConfigsResource resource, boolean validateOnly) {
        ConfigResource.Type type = ConfigResource.Type.forId(resource.resourceType());
        if (type != ConfigResource.Type.TOPIC && type != ConfigResource.Type.GROUP
                && type != ConfigResource.Type.BROKER) {
            return Mono.error(AlterConfigsApi.notAlterable(type));
        }
        if (type == ConfigResource.Type.GROUP && (resource.resourceName() == null
                || resource.resourceName().isEmpty())) {
            return Mono.error(Errors.INVALID_REQUEST.exception("Group name must not be empty"));
        }
        Set<String> named = new HashSet<>();
        boolean listChange = false;
        for (AlterableConfig config : resource.configs()) {
            if (!named.add(config.name())) {
                return Mono.error(Errors.INVALID_REQUEST.exception("Config '" + config.name() + "' is given twice"));
            }
            AlterConfigOp.OpType op = AlterConfigOp.OpType.forId(config.configOperation());
            if (op == null) {
                return Mono.error(Errors.INVALID_REQUEST.exception("Unknown config operation "
                        + config.configOperation() + " on '" + config.name() + "'"));
            }
            if ((op == AlterConfigOp.OpType.APPEND || op == AlterConfigOp.OpType.SUBTRACT)
                    && (type != ConfigResource.Type.TOPIC || !config.name().equals(TopicConfigs.CLEANUP_POLICY))) {
                return Mono.error(Errors.INVALID_CONFIG.exception("Config value " + op.name().toLowerCase(Locale.ROOT)
                        + " is not allowed for config key: " + config.name() + " (only list configs, in Sluice "
                        + TopicConfigs.CLEANUP_POLICY + ", take APPEND and SUBTRACT)"));
            }
            listChange |= op == AlterConfigOp.OpType.APPEND || op == AlterConfigOp.OpType.SUBTRACT;
        }
        if (type == ConfigResource.Type.GROUP) {
            AlterConfigsRequest change = change(resource, Map.of());
            return groups.alterShareGroupConfigs(resource.resourceName(), new ShareGroupConfigChange(change.set(),
                    change.delete(), false, validateOnly)).then();
        }
        if (type == ConfigResource.Type.BROKER) {
            AlterConfigsRequest change = change(resource, Map.of());
            return AlterConfigsApi.alterBroker(brokers, resource.resourceName(), new BrokerConfigChange(change.set(),
                    change.delete(), false, validateOnly));
        }
        String topic = resource.resourceName();
        Mono<Map<String, String>> overrides = listChange ? topics.topic(topic).map(TopicMetadata::configs)
                : Mono.just(Map.of());
        return overrides.flatMap(current -> topics.alterConfigs(topic, change(resource, current), validateOnly))
                .then();
    }

    /** The resource's operations as overrides to set and remove; {@code current} for APPEND and SUBTRACT. */
    private static AlterConfigsRequest change(AlterConfigsResource resource, Map<String, String> current) {
        Map<String, String> set = new LinkedHashMap<>();
        List<String> delete = new ArrayList<>();
        for (AlterableConfig config : resource.configs()) {
            AlterConfigOp.OpType op = AlterConfigOp.OpType.forId(config.configOperation());
            switch (op) {
                case SET -> set.put(config.name(), config.value());
                case DELETE -> delete.add(config.name());
                case APPEND, SUBTRACT -> {
                    Set<String> values = new LinkedHashSet<>(list(current.getOrDefault(config.name(),
                            TopicConfigs.defaultValue(config.name()))));
                    List<String> changed = list(config.value());
                    if (op == AlterConfigOp.OpType.APPEND) {
                        values.addAll(changed);
                    } else {
                        changed.forEach(values::remove);
                    }
                    set.put(config.name(), String.join(",", values));
                }
            }
        }
        return new AlterConfigsRequest(set, delete);
    }

    private static List<String> list(String value) {
        return value == null ? List.of() : Arrays.stream(value.split(",")).map(String::trim)
                .filter(part -> !part.isEmpty()).toList();
    }

    private static AlterConfigsResourceResponse response(AlterConfigsResource resource) {
        return new AlterConfigsResourceResponse().setResourceType(resource.resourceType())
                .setResourceName(resource.resourceName());
    }

    private static AlterConfigsResourceResponse failed(AlterConfigsResource resource, ApiException error) {
        return response(resource).setErrorCode(Errors.forException(error).code()).setErrorMessage(error.getMessage());
    }
}

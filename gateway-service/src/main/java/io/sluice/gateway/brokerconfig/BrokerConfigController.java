package io.sluice.gateway.brokerconfig;

import io.sluice.internal.brokerconfig.BrokerConfigChange;
import io.sluice.protocol.ErrorCode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * The broker configs over HTTP, the same values and rules as over Kafka ({@link BrokerConfigs}): the answering
 * gateway's configs, and changes of the cluster-wide ones. Reading needs DESCRIBE_CONFIGS and changing ALTER_CONFIGS on
 * the cluster (the authorization filter's routes).
 */
@RestController
class BrokerConfigController {

    private final BrokerConfigs configs;

    BrokerConfigController(BrokerConfigs configs) {
        this.configs = configs;
    }

    @GetMapping("/v1/cluster/configs")
    Mono<BrokerConfigList> configs() {
        return configs.describe().map(list -> new BrokerConfigList(configs.brokerId(), list));
    }

    /** Sets (a value) and deletes (null) cluster-wide configs together; with {@code validate_only} changes nothing. */
    @PatchMapping("/v1/cluster/configs")
    Mono<BrokerConfigList> alter(@RequestBody BrokerConfigUpdate update,
                                 @RequestParam(name = "validate_only", defaultValue = "false") boolean validateOnly) {
        return Mono.defer(() -> configs.alter(update.toChange(validateOnly)))
                .map(list -> new BrokerConfigList(configs.brokerId(), list));
    }

    /** A gateway's broker configs, with the broker id it answers as. */
    record BrokerConfigList(int brokerId, List<BrokerConfig> configs) {
    }

    /** Configs to set (a value) or delete (null), each named once. */
    record BrokerConfigUpdate(List<Value> configs) {

        BrokerConfigChange toChange(boolean validateOnly) {
            if (configs == null || configs.isEmpty()) {
                throw ErrorCode.INVALID_CONFIG.exception("configs (a list of {\"name\", \"value\"}; a null value "
                        + "deletes the config set at run time) is required");
            }
            Map<String, String> set = new LinkedHashMap<>();
            List<String> delete = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            for (Value config : configs) {
                if (config == null || config.name() == null) {
                    throw ErrorCode.INVALID_CONFIG.exception("Every config needs a \"name\"");
                }
                if (!seen.add(config.name())) {
                    throw ErrorCode.INVALID_CONFIG.exception("Config '" + config.name() + "' is given twice");
                }
                if (config.value() == null) {
                    delete.add(config.name());
                } else {
                    set.put(config.name(), config.value());
                }
            }
            return new BrokerConfigChange(set, delete, false, validateOnly);
        }
    }

    record Value(String name, String value) {
    }
}

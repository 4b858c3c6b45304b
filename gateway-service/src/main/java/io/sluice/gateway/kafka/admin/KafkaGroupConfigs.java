package io.sluice.gateway.kafka.admin;

import io.sluice.internal.share.ShareGroupConfigList;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResourceResult;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigSource;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigType;

/**
 * A group's configs (the coordinator's share group configs, {@link ShareGroupConfigList}) as Kafka's DescribeConfigs
 * shows a GROUP resource: a value the group sets has the group as its source (GROUP_CONFIG, which kafka-configs lists
 * as the group's "dynamic configs"), any other value is the cluster default (DEFAULT_CONFIG). Synonyms are the value
 * and, for a value the group sets, the default it hides. No group config is read-only or sensitive.
 */
final class KafkaGroupConfigs {

    private KafkaGroupConfigs() {
    }

    /**
     * The configs named in {@code keys} (every one when null; a name Sluice does not know is left out, as Kafka leaves
     * out a name it does not know), with synonyms and documentation when asked for.
     */
    static List<DescribeConfigsResourceResult> describe(ShareGroupConfigList configs, Collection<String> keys,
                                                        boolean synonyms, boolean documentation) {
        List<DescribeConfigsResourceResult> results = new ArrayList<>();
        for (ShareGroupConfigList.Entry entry : configs.configs()) {
            if (keys != null && !keys.contains(entry.name())) {
                continue;
            }
            ConfigSource source = entry.isDefault() ? ConfigSource.DEFAULT_CONFIG : ConfigSource.GROUP_CONFIG;
            results.add(DescribedConfigs.of(entry.name(), entry.value(), entry.defaultValue(), source, synonyms,
                    documentation ? entry.documentation() : null).setConfigType(type(entry.type()).id()));
        }
        return results;
    }

    private static ConfigType type(ShareGroupConfigList.Type type) {
        return switch (type) {
            case INT -> ConfigType.INT;
            case LONG -> ConfigType.LONG;
            case STRING -> ConfigType.STRING;
            case BOOLEAN -> ConfigType.BOOLEAN;
        };
    }
}

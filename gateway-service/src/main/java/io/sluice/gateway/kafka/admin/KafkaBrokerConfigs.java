package io.sluice.gateway.kafka.admin;

import io.sluice.gateway.brokerconfig.BrokerConfig;
import java.util.Collection;
import java.util.List;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResourceResult;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsSynonym;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigSource;

/**
 * Broker configs ({@link BrokerConfig}) as Kafka's DescribeConfigs shows a BROKER resource: each with its source,
 * whether it is read-only and sensitive (a sensitive value is null, as at Kafka), its synonyms and documentation when
 * asked for.
 */
final class KafkaBrokerConfigs {

    private KafkaBrokerConfigs() {
    }

    /**
     * The configs named in {@code keys} (every one when null; a name Sluice does not have is left out, as Kafka leaves
     * out a name it does not know), with synonyms and documentation when asked for.
     */
    static List<DescribeConfigsResourceResult> describe(List<BrokerConfig> configs, Collection<String> keys,
                                                        boolean synonyms, boolean documentation) {
        return configs.stream()
                .filter(config -> keys == null || keys.contains(config.name()))
                .map(config -> new DescribeConfigsResourceResult()
                        .setName(config.name())
                        .setValue(config.sensitive() ? null : config.value())
                        .setReadOnly(config.readOnly())
                        .setConfigSource(source(config.source()).id())
                        .setIsSensitive(config.sensitive())
                        .setSynonyms(synonyms ? config.synonyms().stream()
                                .map(synonym -> new DescribeConfigsSynonym().setName(synonym.name())
                                        .setValue(config.sensitive() ? null : synonym.value())
                                        .setSource(source(synonym.source()).id()))
                                .toList() : List.of())
                        .setDocumentation(documentation ? config.documentation() : null))
                .toList();
    }

    private static ConfigSource source(BrokerConfig.Source source) {
        return switch (source) {
            case DYNAMIC_DEFAULT_BROKER_CONFIG -> ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG;
            case STATIC_BROKER_CONFIG -> ConfigSource.STATIC_BROKER_CONFIG;
            case DEFAULT_CONFIG -> ConfigSource.DEFAULT_CONFIG;
        };
    }
}

package io.sluice.gateway.kafka.admin;

import io.sluice.protocol.config.ConfigEntry;
import io.sluice.protocol.config.TopicConfigs;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.message.CreateTopicsResponseData.CreatableTopicConfigs;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResourceResult;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigSource;

/**
 * A topic's configs ({@link TopicConfigs}: every config Sluice knows, its override or its default) as Kafka's
 * answers show them: an override's source is the topic (DYNAMIC_TOPIC_CONFIG, which kafka-configs lists as the
 * topic's "dynamic configs"), any other value is the default (DEFAULT_CONFIG). Sluice has no broker-level topic
 * defaults, so there is nothing between the two. No topic config is read-only or sensitive.
 */
final class KafkaTopicConfigs {

    private KafkaTopicConfigs() {
    }

    static ConfigSource source(ConfigEntry entry) {
        return entry.isDefault() ? ConfigSource.DEFAULT_CONFIG : ConfigSource.TOPIC_CONFIG;
    }

    /**
     * The configs of a topic with {@code overrides} that DescribeConfigs answers: those named in {@code keys} (every
     * one when null; a name Sluice does not know is left out, as Kafka leaves out a name it does not know), with
     * synonyms — the value and, for an override, the default it hides — and documentation when asked for.
     */
    static List<DescribeConfigsResourceResult> describe(Map<String, String> overrides, Collection<String> keys,
                                                        boolean synonyms, boolean documentation) {
        List<DescribeConfigsResourceResult> results = new ArrayList<>();
        for (ConfigEntry entry : TopicConfigs.describe(overrides)) {
            if (keys != null && !keys.contains(entry.name())) {
                continue;
            }
            results.add(DescribedConfigs.of(entry.name(), entry.value(), TopicConfigs.defaultValue(entry.name()),
                    source(entry), synonyms, documentation ? entry.documentation() : null));
        }
        return results;
    }

    /** Every config of a topic with {@code overrides}, as CreateTopics answers them from v5 on. */
    static List<CreatableTopicConfigs> created(Map<String, String> overrides) {
        return TopicConfigs.describe(overrides).stream()
                .map(entry -> new CreatableTopicConfigs().setName(entry.name()).setValue(entry.value())
                        .setReadOnly(false).setConfigSource(source(entry).id()).setIsSensitive(false))
                .toList();
    }
}

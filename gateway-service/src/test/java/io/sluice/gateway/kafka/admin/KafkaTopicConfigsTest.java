package io.sluice.gateway.kafka.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.protocol.config.TopicConfigs;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResourceResult;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsSynonym;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigSource;
import org.junit.jupiter.api.Test;

/** A topic's configs as DescribeConfigs and CreateTopics show them: overrides from the topic, the rest defaults. */
class KafkaTopicConfigsTest {

    @Test
    void everyKnownConfigIsDescribedAnOverrideFromTheTopicTheRestAsDefaults() {
        List<DescribeConfigsResourceResult> configs = KafkaTopicConfigs.describe(Map.of("retention.ms", "1000"), null,
                false, false);

        assertThat(configs).extracting(DescribeConfigsResourceResult::name)
                .containsExactlyElementsOf(TopicConfigs.names());
        assertThat(configs).allSatisfy(config -> {
            boolean override = config.name().equals("retention.ms");
            assertThat(config.configSource()).as(config.name()).isEqualTo(
                    (override ? ConfigSource.TOPIC_CONFIG : ConfigSource.DEFAULT_CONFIG).id());
            assertThat(config.value()).isEqualTo(override ? "1000" : TopicConfigs.defaultValue(config.name()));
            assertThat(config.readOnly()).isFalse();
            assertThat(config.isSensitive()).isFalse();
            assertThat(config.synonyms()).isEmpty();
            assertThat(config.documentation()).isNull();
        });
    }

    @Test
    void anOverridesSynonymsAreItselfThenTheDefaultItHides() {
        DescribeConfigsResourceResult config = KafkaTopicConfigs.describe(Map.of("retention.ms", "1000"),
                List.of("retention.ms"), true, true).getFirst();

        assertThat(config.synonyms()).extracting(DescribeConfigsSynonym::value, DescribeConfigsSynonym::source)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("1000", ConfigSource.TOPIC_CONFIG.id()),
                        org.assertj.core.groups.Tuple.tuple(TopicConfigs.defaultValue("retention.ms"),
                                ConfigSource.DEFAULT_CONFIG.id()));
        assertThat(config.documentation()).isEqualTo(TopicConfigs.documentation("retention.ms"));
    }

    @Test
    void keysSelectConfigsAndANameSluiceDoesNotKnowIsLeftOut() {
        assertThat(KafkaTopicConfigs.describe(Map.of(), List.of("cleanup.policy", "no.such.config"), false, false))
                .extracting(DescribeConfigsResourceResult::name).containsExactly("cleanup.policy");
    }

    @Test
    void aCreatedTopicsConfigsCarryTheirSources() {
        assertThat(KafkaTopicConfigs.created(Map.of("cleanup.policy", "compact")))
                .hasSize(TopicConfigs.names().size())
                .filteredOn(config -> config.configSource() == ConfigSource.TOPIC_CONFIG.id())
                .singleElement()
                .satisfies(config -> assertThat(config.name() + "=" + config.value())
                        .isEqualTo("cleanup.policy=compact"));
    }
}

package io.sluice.gateway.kafka.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.sluice.internal.share.ShareGroupConfigList;
import io.sluice.internal.share.ShareGroupConfigList.Entry;
import io.sluice.internal.share.ShareGroupConfigList.Type;
import java.util.List;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResourceResult;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsSynonym;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigSource;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigType;
import org.junit.jupiter.api.Test;

/** A group's configs as DescribeConfigs shows them: the group's values from the group, the rest defaults. */
class KafkaGroupConfigsTest {

    private static final ShareGroupConfigList CONFIGS = new ShareGroupConfigList("g", List.of(
            new Entry("share.auto.offset.reset", "latest", true, "latest", Type.STRING, "where"),
            new Entry("share.record.lock.duration.ms", "1000", false, "30000", Type.INT, "how long"),
            new Entry("errors.deadletterqueue.copy.record.enable", "false", true, "false", Type.BOOLEAN, "copy")));

    @Test
    void aValueTheGroupSetsIsFromTheGroupTheRestAreDefaultsWithTheirTypes() {
        List<DescribeConfigsResourceResult> configs = KafkaGroupConfigs.describe(CONFIGS, null, false, false);

        assertThat(configs).extracting(DescribeConfigsResourceResult::name, DescribeConfigsResourceResult::value,
                DescribeConfigsResourceResult::configSource, DescribeConfigsResourceResult::configType).containsExactly(
                tuple("share.auto.offset.reset", "latest", ConfigSource.DEFAULT_CONFIG.id(), ConfigType.STRING.id()),
                tuple("share.record.lock.duration.ms", "1000", ConfigSource.GROUP_CONFIG.id(), ConfigType.INT.id()),
                tuple("errors.deadletterqueue.copy.record.enable", "false", ConfigSource.DEFAULT_CONFIG.id(),
                        ConfigType.BOOLEAN.id()));
        assertThat(configs).allSatisfy(config -> {
            assertThat(config.readOnly()).isFalse();
            assertThat(config.isSensitive()).isFalse();
            assertThat(config.synonyms()).isEmpty();
            assertThat(config.documentation()).isNull();
        });
    }

    @Test
    void aGroupValuesSynonymsAreItselfThenTheDefaultItHidesAndKeysSelect() {
        List<DescribeConfigsResourceResult> configs = KafkaGroupConfigs.describe(CONFIGS,
                List.of("share.record.lock.duration.ms", "no.such.config"), true, true);

        assertThat(configs).singleElement().satisfies(config -> {
            assertThat(config.synonyms()).extracting(DescribeConfigsSynonym::value, DescribeConfigsSynonym::source)
                    .containsExactly(tuple("1000", ConfigSource.GROUP_CONFIG.id()),
                            tuple("30000", ConfigSource.DEFAULT_CONFIG.id()));
            assertThat(config.documentation()).isEqualTo("how long");
        });
    }
}

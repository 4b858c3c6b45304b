package io.sluice.gateway.kafka.admin;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResourceResult;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsSynonym;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigSource;

/**
 * One config as DescribeConfigs shows it, whatever the resource: its value and source, and, when asked for, the
 * synonyms (the value, then for a value that is not the default the default it hides) and documentation. Sluice has
 * nothing between a resource's own value and the default, and no config of a topic or group is read-only or
 * sensitive.
 */
final class DescribedConfigs {

    private DescribedConfigs() {
    }

    /**
     * @param documentation the config's documentation, or null when the request did not ask for it
     */
    static DescribeConfigsResourceResult of(String name, String value, String defaultValue, ConfigSource source,
                                            boolean synonyms, String documentation) {
        List<DescribeConfigsSynonym> synonymList = new ArrayList<>();
        if (synonyms) {
            synonymList.add(new DescribeConfigsSynonym().setName(name).setValue(value).setSource(source.id()));
            if (source != ConfigSource.DEFAULT_CONFIG) {
                synonymList.add(new DescribeConfigsSynonym().setName(name).setValue(defaultValue)
                        .setSource(ConfigSource.DEFAULT_CONFIG.id()));
            }
        }
        return new DescribeConfigsResourceResult()
                .setName(name)
                .setValue(value)
                .setReadOnly(false)
                .setConfigSource(source.id())
                .setIsSensitive(false)
                .setSynonyms(synonymList)
                .setDocumentation(documentation);
    }
}

package io.sluice.gateway.brokerconfig;

import java.util.List;

/**
 * One broker config as Kafka's DescribeConfigs and {@code GET /v1/cluster/configs} show it: Kafka's name, the value
 * in effect (null for a sensitive one), where that value comes from, whether it can be altered at run time, and its
 * synonyms — every value that applies, in Kafka's order of precedence, the one in effect first.
 */
public record BrokerConfig(String name, String value, Source source, boolean readOnly, boolean sensitive,
                           String documentation, List<Synonym> synonyms) {

    public BrokerConfig {
        synonyms = List.copyOf(synonyms);
    }

    /** Where a value comes from, as Kafka names its config sources. */
    public enum Source {
        /** Set at run time for every broker (the default broker resource, {@code ""}). */
        DYNAMIC_DEFAULT_BROKER_CONFIG,
        /** A gateway's start-up setting ({@code sluice.gateway.*}). */
        STATIC_BROKER_CONFIG,
        /** Sluice's built-in default. */
        DEFAULT_CONFIG
    }

    /** A value that applies to a config, with its source. */
    public record Synonym(String name, String value, Source source) {
    }
}

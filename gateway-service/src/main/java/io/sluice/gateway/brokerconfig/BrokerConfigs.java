package io.sluice.gateway.brokerconfig;

import io.sluice.gateway.GatewayProperties;
import io.sluice.gateway.brokerconfig.BrokerConfig.Source;
import io.sluice.gateway.brokerconfig.BrokerConfig.Synonym;
import io.sluice.internal.brokerconfig.BrokerConfigApi;
import io.sluice.internal.brokerconfig.BrokerConfigChange;
import io.sluice.internal.brokerconfig.BrokerConfigKey;
import io.sluice.internal.brokerconfig.BrokerConfigSnapshot;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import io.sluice.protocol.config.TopicConfigs;
import io.sluice.security.SaslExchange;
import io.sluice.security.SecurityProperties;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * A gateway's broker configs under Kafka's names, the same over Kafka (DescribeConfigs, IncrementalAlterConfigs and
 * AlterConfigs on BROKER resources) and HTTP ({@code /v1/cluster/configs}).
 *
 * <p>Three kinds, each read from what the code uses:
 * <ul>
 *   <li>Dynamic ({@link BrokerConfigKey}: {@code auto.create.topics.enable}, {@code num.partitions},
 *   {@code default.replication.factor}): a value set at run time for the whole cluster, stored at the coordinator
 *   (DYNAMIC_DEFAULT_BROKER_CONFIG), else this gateway's {@code sluice.gateway.auto-create-topics.*} setting
 *   (STATIC_BROKER_CONFIG). Every gateway reads the coordinator's values when it uses them ({@link #topicDefaults}), so
 *   a change holds on every gateway at once. They are cluster-wide only: gateways are interchangeable, so Sluice has
 *   no per-broker values.</li>
 *   <li>This gateway's start-up settings, read-only STATIC_BROKER_CONFIG: {@code broker.id} and {@code node.id}
 *   ({@code sluice.gateway.kafka.node-id}), {@code socket.request.max.bytes} ({@code .max-request-size}), and its
 *   Kafka listener's security: {@code sasl.enabled.mechanisms}, {@code connections.max.reauth.ms},
 *   {@code ssl.client.auth}, {@code ssl.principal.mapping.rules} ({@code sluice.security.*}).</li>
 *   <li>The topic config defaults under their broker names ({@code log.retention.ms} for {@code retention.ms},
 *   {@code message.max.bytes} for {@code max.message.bytes}, ...; {@link #TOPIC_DEFAULTS}), read-only DEFAULT_CONFIG:
 *   Sluice's built-in defaults ({@link TopicConfigs}), which a topic without an override has.</li>
 * </ul>
 * None is sensitive. Altering a read-only config is INVALID_REQUEST ("Cannot update these configs dynamically"), as at
 * Kafka; an unknown config or a bad value is the coordinator's INVALID_CONFIG; nothing is changed then.
 */
@Component
public class BrokerConfigs {

    /** Kafka's broker name of each topic config default Sluice has (Kafka's ServerTopicConfigSynonyms). */
    static final Map<String, String> TOPIC_DEFAULTS = new TreeMap<>(Map.ofEntries(
            Map.entry("log.cleanup.policy", TopicConfigs.CLEANUP_POLICY),
            Map.entry("compression.type", TopicConfigs.COMPRESSION_TYPE),
            Map.entry("log.cleaner.delete.retention.ms", TopicConfigs.DELETE_RETENTION_MS),
            Map.entry("log.segment.delete.delay.ms", TopicConfigs.FILE_DELETE_DELAY_MS),
            Map.entry("log.flush.interval.messages", TopicConfigs.FLUSH_MESSAGES),
            Map.entry("log.flush.interval.ms", TopicConfigs.FLUSH_MS),
            Map.entry("log.index.interval.bytes", TopicConfigs.INDEX_INTERVAL_BYTES),
            Map.entry("log.cleaner.max.compaction.lag.ms", TopicConfigs.MAX_COMPACTION_LAG_MS),
            Map.entry("message.max.bytes", TopicConfigs.MAX_MESSAGE_BYTES),
            Map.entry("log.message.timestamp.type", TopicConfigs.MESSAGE_TIMESTAMP_TYPE),
            Map.entry("log.cleaner.min.cleanable.ratio", TopicConfigs.MIN_CLEANABLE_DIRTY_RATIO),
            Map.entry("log.cleaner.min.compaction.lag.ms", TopicConfigs.MIN_COMPACTION_LAG_MS),
            Map.entry("min.insync.replicas", TopicConfigs.MIN_INSYNC_REPLICAS),
            Map.entry("log.retention.bytes", TopicConfigs.RETENTION_BYTES),
            Map.entry("log.retention.ms", TopicConfigs.RETENTION_MS),
            Map.entry("log.segment.bytes", TopicConfigs.SEGMENT_BYTES),
            Map.entry("log.index.size.max.bytes", TopicConfigs.SEGMENT_INDEX_BYTES),
            Map.entry("log.roll.ms", TopicConfigs.SEGMENT_MS),
            Map.entry("unclean.leader.election.enable", TopicConfigs.UNCLEAN_LEADER_ELECTION_ENABLE)));

    private final BrokerConfigApi coordinator;
    private final GatewayProperties.AutoCreateTopics startup;
    private final GatewayProperties.Kafka kafka;
    private final SecurityProperties security;
    private final SaslExchange sasl;

    BrokerConfigs(BrokerConfigApi coordinator, GatewayProperties properties, SecurityProperties security,
                  SaslExchange sasl) {
        this.coordinator = coordinator;
        this.startup = properties.autoCreateTopics();
        this.kafka = properties.kafka();
        this.security = security;
        this.sasl = sasl;
    }

    /** The broker id this gateway answers as: the broker whose configs {@link #describe} gives. */
    public int brokerId() {
        return kafka.nodeId();
    }

    /** Every config of this gateway as a broker, by name, with the cluster-wide values set now. */
    public Mono<List<BrokerConfig>> describe() {
        return coordinator.brokerConfigs().map(this::describe);
    }

    /**
     * The configs of partition service {@code nodeId} where Metadata names it a broker (the direct data path): its
     * listener forwards the DescribeConfigs Kafka's Admin sends it to a gateway, which answers without asking the node
     * — {@code broker.id} and {@code node.id}, the cluster-wide configs (a node creates no topics; these are what the
     * gateways create them with) and the topic config defaults. The node's own start-up settings ({@code log.dirs},
     * its listener) are not among them.
     */
    public Mono<List<BrokerConfig>> describeNode(int nodeId) {
        return coordinator.brokerConfigs().map(set -> describe(set, nodeSettings(nodeId)));
    }

    /** The configs set cluster-wide (Kafka's default broker resource, {@code ""}), by name. */
    public Mono<List<BrokerConfig>> describeClusterDefaults() {
        return coordinator.brokerConfigs().map(BrokerConfigs::clusterDefaults);
    }

    /** What a topic created without saying gets now. */
    public Mono<TopicDefaults> topicDefaults() {
        return coordinator.brokerConfigs().map(this::topicDefaults);
    }

    /**
     * What a topic that a produce or a Metadata request names gets now, for auto-creation: as {@link #topicDefaults},
     * but while the coordinator cannot be asked (a retriable failure: none active, unreachable) this gateway's own
     * settings decide, so that a missing topic is UNKNOWN_TOPIC as before rather than a failure of its own; creating
     * one needs the coordinator anyway.
     */
    public Mono<TopicDefaults> autoCreateDefaults() {
        return coordinator.brokerConfigs().map(this::topicDefaults)
                .onErrorResume(e -> e instanceof SluiceException s && s.errorCode().retriable(),
                        e -> Mono.fromSupplier(() -> topicDefaults(BrokerConfigSnapshot.of(0, Map.of()))));
    }

    private TopicDefaults topicDefaults(BrokerConfigSnapshot set) {
        return new TopicDefaults(Boolean.parseBoolean(value(set, BrokerConfigKey.AUTO_CREATE_TOPICS_ENABLE)),
                Integer.parseInt(value(set, BrokerConfigKey.NUM_PARTITIONS)),
                Integer.parseInt(value(set, BrokerConfigKey.DEFAULT_REPLICATION_FACTOR)));
    }

    /**
     * Applies {@code change} to the cluster-wide configs, all or nothing, and answers this gateway's configs after it
     * (with validate-only, what they would be). INVALID_REQUEST, nothing changed, when it names a read-only config.
     */
    public Mono<List<BrokerConfig>> alter(BrokerConfigChange change) {
        return Mono.defer(() -> {
            List<String> readOnly = new ArrayList<>();
            change.set().keySet().stream().filter(this::isReadOnly).sorted().forEach(readOnly::add);
            change.delete().stream().filter(this::isReadOnly).sorted().forEach(readOnly::add);
            if (!readOnly.isEmpty()) {
                return Mono.error(ErrorCode.INVALID_REQUEST.exception("Cannot update these configs dynamically: "
                        + readOnly + " (Sluice alters " + dynamicNames() + " at run time, for the whole cluster)"));
            }
            return coordinator.alterBrokerConfigs(change).map(this::describe);
        });
    }

    private boolean isReadOnly(String name) {
        return staticSettings().containsKey(name) || TOPIC_DEFAULTS.containsKey(name);
    }

    private static List<String> dynamicNames() {
        return Arrays.stream(BrokerConfigKey.values()).map(BrokerConfigKey::configName).sorted().toList();
    }

    private List<BrokerConfig> describe(BrokerConfigSnapshot set) {
        return describe(set, staticSettings());
    }

    private List<BrokerConfig> describe(BrokerConfigSnapshot set, SortedMap<String, Setting> startupSettings) {
        SortedMap<String, BrokerConfig> configs = new TreeMap<>();
        for (BrokerConfigKey key : BrokerConfigKey.values()) {
            String fromStartup = startupValue(key);
            List<Synonym> synonyms = new ArrayList<>();
            set.value(key).ifPresent(value -> synonyms.add(new Synonym(key.configName(), value,
                    Source.DYNAMIC_DEFAULT_BROKER_CONFIG)));
            synonyms.add(new Synonym(key.configName(), fromStartup, Source.STATIC_BROKER_CONFIG));
            Synonym effective = synonyms.getFirst();
            configs.put(key.configName(), new BrokerConfig(key.configName(), effective.value(), effective.source(),
                    false, false, key.documentation(), synonyms));
        }
        startupSettings.forEach((name, setting) -> configs.put(name, new BrokerConfig(name, setting.value(),
                Source.STATIC_BROKER_CONFIG, true, false, setting.documentation(),
                List.of(new Synonym(name, setting.value(), Source.STATIC_BROKER_CONFIG)))));
        TOPIC_DEFAULTS.forEach((name, topicConfig) -> {
            String value = TopicConfigs.defaultValue(topicConfig);
            configs.put(name, new BrokerConfig(name, value, Source.DEFAULT_CONFIG, true, false,
                    "The default of the topic config " + topicConfig + ", which a topic that does not set it has "
                            + "(Sluice's built-in default): " + TopicConfigs.documentation(topicConfig),
                    List.of(new Synonym(name, value, Source.DEFAULT_CONFIG))));
        });
        return List.copyOf(configs.values());
    }

    private static List<BrokerConfig> clusterDefaults(BrokerConfigSnapshot set) {
        List<BrokerConfig> configs = new ArrayList<>();
        set.values().forEach((name, value) -> configs.add(new BrokerConfig(name, value,
                Source.DYNAMIC_DEFAULT_BROKER_CONFIG, false, false,
                BrokerConfigKey.named(name).map(BrokerConfigKey::documentation).orElse(null),
                List.of(new Synonym(name, value, Source.DYNAMIC_DEFAULT_BROKER_CONFIG)))));
        return configs;
    }

    private String value(BrokerConfigSnapshot set, BrokerConfigKey key) {
        return set.value(key).orElseGet(() -> startupValue(key));
    }

    private String startupValue(BrokerConfigKey key) {
        return switch (key) {
            case AUTO_CREATE_TOPICS_ENABLE -> Boolean.toString(startup.enabled());
            case NUM_PARTITIONS -> Integer.toString(startup.partitions());
            case DEFAULT_REPLICATION_FACTOR -> Integer.toString(startup.replicationFactor());
        };
    }

    /** A partition service's read-only settings that a gateway knows: its node id, as its broker id. */
    private static SortedMap<String, Setting> nodeSettings(int nodeId) {
        SortedMap<String, Setting> settings = new TreeMap<>();
        String id = Integer.toString(nodeId);
        String documentation = "The partition service's node id, its broker id on the direct data path "
                + "(sluice.partition.node-id).";
        settings.put("broker.id", new Setting(id, documentation));
        settings.put("node.id", new Setting(id, documentation));
        return settings;
    }

    /** This gateway's read-only start-up settings under Kafka's names. */
    private SortedMap<String, Setting> staticSettings() {
        SortedMap<String, Setting> settings = new TreeMap<>();
        String id = Integer.toString(kafka.nodeId());
        settings.put("broker.id", new Setting(id, "The broker id this gateway answers as "
                + "(sluice.gateway.kafka.node-id)."));
        settings.put("node.id", new Setting(id, "The broker id this gateway answers as "
                + "(sluice.gateway.kafka.node-id)."));
        settings.put("socket.request.max.bytes", new Setting(Long.toString(kafka.maxRequestSize().toBytes()),
                "The largest Kafka request frame this gateway reads; a larger one closes the connection "
                        + "(sluice.gateway.kafka.max-request-size)."));
        settings.put("sasl.enabled.mechanisms", new Setting(String.join(",", sasl.mechanisms()),
                "The SASL mechanisms the Kafka listener offers: PLAIN with a users file or SCRAM users, OAUTHBEARER "
                        + "with JWT settings, SCRAM-SHA-256 and SCRAM-SHA-512 (sluice.security.*)."));
        settings.put("connections.max.reauth.ms", new Setting(
                Long.toString(security.sasl().maxSessionLifetime().toMillis()),
                "How long a SASL sign-in lasts at most before the client signs in again, KIP-368; 0: no limit but "
                        + "an OAUTHBEARER token's own (sluice.security.sasl.max-session-lifetime)."));
        settings.put("ssl.client.auth", new Setting(security.tls().clientAuth().name().toLowerCase(Locale.ROOT),
                "Whether the Kafka listener asks clients for a certificate (sluice.security.tls.client-auth)."));
        settings.put("ssl.principal.mapping.rules", new Setting(security.tls().principalMappingRules(),
                "How a client certificate's subject becomes its principal "
                        + "(sluice.security.tls.principal-mapping-rules)."));
        return settings;
    }

    private record Setting(String value, String documentation) {
    }
}

package io.sluice.gateway.kafka;

import static io.sluice.gateway.kafka.KafkaTools.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import io.sluice.gateway.kafka.KafkaTools.ToolRun;
import io.sluice.gateway.testing.GatewayCluster;
import io.sluice.gateway.testing.GatewayCluster.Response;
import io.sluice.gateway.testing.SharedGatewayCluster;
import io.sluice.kafka.TopicIds;
import io.sluice.testing.KafkaWire;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.AlterConfigsOptions;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.CreatePartitionsOptions;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.NewPartitionReassignment;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicCollection;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidReplicaAssignmentException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.NoReassignmentInProgressException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicIdException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.message.DescribeClusterRequestData;
import org.apache.kafka.common.message.DescribeClusterResponseData;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.AlterConfigsRequest;
import org.apache.kafka.common.requests.AlterConfigsResponse;
import org.apache.kafka.common.requests.DescribeClusterRequest;
import org.apache.kafka.common.requests.DescribeClusterResponse;
import org.apache.kafka.common.requests.DescribeConfigsRequest;
import org.apache.kafka.common.requests.DescribeConfigsResponse;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.tools.ConfigCommand;
import org.apache.kafka.tools.LeaderElectionCommand;
import org.apache.kafka.tools.LogDirsCommand;
import org.apache.kafka.tools.TopicCommand;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Kafka's own admin client and command-line tools (kafka-clients and kafka-tools from Maven Central) administering
 * Sluice through the gateway's Kafka listener, with real processes (a coordinator, three partition services, the
 * gateway jar): topics created, grown, described, re-configured and deleted, the partition services as log dirs, each
 * error a Kafka client can meet with the message it reads, and what each change did as Sluice's HTTP admin API shows
 * it. Security is off: ACLs are stored and listed all the same, over Kafka as over HTTP (KafkaAclsIT administers ACLs
 * with security on).
 */
@ExtendWith(SharedGatewayCluster.class)
class KafkaAdminIT {

    private static GatewayCluster cluster;
    private static Admin admin;

    @BeforeAll
    static void useSharedCluster(GatewayCluster shared) {
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.apache.kafka"))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        cluster = shared;
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.kafkaBootstrap()));
    }

    @AfterAll
    static void stopCluster() {
        if (admin != null) {
            admin.close();
        }
    }

    @Test
    void aTopicCreatedWithoutCountsGetsTheGatewaysDefaultsAndAnswersItsConfigsWithSources() throws Exception {
        CreateTopicsResult created = admin.createTopics(List.of(new NewTopic("admin-defaults", Optional.empty(),
                Optional.empty()).configs(Map.of("retention.ms", "3600000"))));

        assertThat(get(created.numPartitions("admin-defaults"))).isEqualTo(3);
        assertThat(get(created.replicationFactor("admin-defaults"))).isEqualTo(3);
        ConfigEntry retention = get(created.config("admin-defaults")).get("retention.ms");
        assertThat(retention.value()).isEqualTo("3600000");
        assertThat(retention.source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
        assertThat(get(created.config("admin-defaults")).get("segment.ms").source())
                .isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG);
        var http = cluster.describe("admin-defaults");
        assertThat(get(created.topicId("admin-defaults"))).isEqualTo(TopicIds.of(http.path("topic_id").asString()));
        assertThat(http.path("partition_count").asInt()).isEqualTo(3);
        assertThat(http.path("replication_factor").asInt()).isEqualTo(3);
    }

    @Test
    void eachRefusedTopicFailsAloneWithKafkasErrorAndTheReason() {
        cluster.createTopic("admin-existing", 1, 1, Map.of());
        CreateTopicsResult created = admin.createTopics(List.of(
                new NewTopic("bad name!", 1, (short) 1),
                new NewTopic("admin-existing", 1, (short) 1),
                new NewTopic("admin-no-partitions", 0, (short) 1),
                new NewTopic("admin-too-many-replicas", 1, (short) 4),
                new NewTopic("admin-unknown-config", 1, (short) 1).configs(Map.of("retention.weeks", "2")),
                new NewTopic("admin-bad-value", 1, (short) 1).configs(Map.of("retention.ms", "soon")),
                new NewTopic("admin-assigned", Map.of(0, List.of(1, 2))),
                new NewTopic("admin-fine", 1, (short) 1)));

        assertFails(created.values().get("bad name!"), InvalidTopicException.class, "bad name!");
        assertFails(created.values().get("admin-existing"), TopicExistsException.class, "already exists");
        assertFails(created.values().get("admin-no-partitions"), InvalidPartitionsException.class, "between 1 and");
        assertFails(created.values().get("admin-too-many-replicas"), InvalidReplicationFactorException.class,
                "Replication factor 4");
        assertFails(created.values().get("admin-unknown-config"), InvalidConfigurationException.class,
                "Unknown topic config 'retention.weeks'");
        assertFails(created.values().get("admin-bad-value"), InvalidConfigurationException.class,
                "Invalid value 'soon' for topic config 'retention.ms'");
        assertFails(created.values().get("admin-assigned"), InvalidRequestException.class, "replica assignments");
        assertThat(get(created.values().get("admin-fine"))).isNull();
        assertThat(topicNames()).contains("admin-fine", "admin-existing")
                .doesNotContain("admin-no-partitions", "admin-too-many-replicas", "admin-unknown-config",
                        "admin-bad-value", "admin-assigned");
    }

    @Test
    void validateOnlyChecksEverythingAndCreatesNothing() throws Exception {
        cluster.createTopic("admin-validate-existing", 1, 1, Map.of());
        CreateTopicsOptions validateOnly = new CreateTopicsOptions().validateOnly(true);

        CreateTopicsResult valid = admin.createTopics(List.of(new NewTopic("admin-validated", 2, (short) 3)
                .configs(Map.of("cleanup.policy", "compact"))), validateOnly);
        CreateTopicsResult existing = admin.createTopics(List.of(new NewTopic("admin-validate-existing", 1,
                (short) 1)), validateOnly);

        assertThat(get(valid.numPartitions("admin-validated"))).isEqualTo(2);
        assertThat(get(valid.config("admin-validated")).get("cleanup.policy").value()).isEqualTo("compact");
        assertFails(existing.all(), TopicExistsException.class, "admin-validate-existing");
        assertThat(topicNames()).doesNotContain("admin-validated");
        assertThat(cluster.call("GET", "/v1/topics/admin-validated", null, null).status()).isEqualTo(404);
    }

    @Test
    void topicsAreDeletedByNameAndByTopicId() {
        cluster.createTopic("admin-delete-by-name", 1, 1, Map.of());
        cluster.createTopic("admin-delete-by-id", 1, 1, Map.of());
        Uuid id = TopicIds.of(cluster.describe("admin-delete-by-id").path("topic_id").asString());

        get(admin.deleteTopics(TopicCollection.ofTopicNames(List.of("admin-delete-by-name"))).all());
        get(admin.deleteTopics(TopicCollection.ofTopicIds(List.of(id))).all());

        assertThat(cluster.call("GET", "/v1/topics/admin-delete-by-name", null, null).status()).isEqualTo(404);
        assertThat(cluster.call("GET", "/v1/topics/admin-delete-by-id", null, null).status()).isEqualTo(404);
        assertFails(admin.deleteTopics(TopicCollection.ofTopicNames(List.of("admin-never-was"))).all(),
                UnknownTopicOrPartitionException.class, "admin-never-was");
        assertFails(admin.deleteTopics(TopicCollection.ofTopicIds(List.of(Uuid.randomUuid()))).all(),
                UnknownTopicIdException.class, "No topic has the id");
    }

    @Test
    void partitionsAreAddedValidateOnlyChangesNothingAndATopicNeverShrinks() {
        cluster.createTopic("admin-grow", 1, 2, Map.of());

        get(admin.createPartitions(Map.of("admin-grow", NewPartitions.increaseTo(5)),
                new CreatePartitionsOptions().validateOnly(true)).all());
        assertThat(cluster.describe("admin-grow").path("partition_count").asInt()).isEqualTo(1);
        get(admin.createPartitions(Map.of("admin-grow", NewPartitions.increaseTo(3))).all());

        assertThat(cluster.describe("admin-grow").path("partition_count").asInt()).isEqualTo(3);
        assertFails(admin.createPartitions(Map.of("admin-grow", NewPartitions.increaseTo(2))).all(),
                InvalidPartitionsException.class, "has 3 partitions");
        assertFails(admin.createPartitions(Map.of("admin-grow", NewPartitions.increaseTo(2)),
                new CreatePartitionsOptions().validateOnly(true)).all(),
                InvalidPartitionsException.class, "has 3 partitions");
        assertFails(admin.createPartitions(Map.of("admin-grow", NewPartitions.increaseTo(4, List.of(List.of(1)))))
                .all(), InvalidRequestException.class, "replica assignments");
        assertFails(admin.createPartitions(Map.of("admin-no-such-topic", NewPartitions.increaseTo(4))).all(),
                UnknownTopicOrPartitionException.class, "admin-no-such-topic");
    }

    @Test
    void aTopicsConfigsAreDescribedWithSourcesSynonymsAndDocumentation() {
        cluster.createTopic("admin-described", 1, 1, Map.of("max.message.bytes", "2048"));
        ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "admin-described");

        Config config = get(admin.describeConfigs(List.of(topic), new DescribeConfigsOptions().includeSynonyms(true)
                .includeDocumentation(true)).all()).get(topic);

        assertThat(config.entries()).hasSize(io.sluice.protocol.config.TopicConfigs.names().size());
        ConfigEntry override = config.get("max.message.bytes");
        assertThat(override.value()).isEqualTo("2048");
        assertThat(override.source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
        assertThat(override.synonyms()).extracting(ConfigEntry.ConfigSynonym::source).containsExactly(
                ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG, ConfigEntry.ConfigSource.DEFAULT_CONFIG);
        assertThat(config.get("retention.ms").source()).isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG);
        assertThat(config.get("retention.ms").value()).isEqualTo("604800000");
        assertThat(config.get("retention.ms").documentation()).contains("Age after which a segment is deleted");
        ConfigResource missing = new ConfigResource(ConfigResource.Type.TOPIC, "admin-not-there");
        assertFails(admin.describeConfigs(List.of(missing)).all(), UnknownTopicOrPartitionException.class,
                "admin-not-there");
    }

    @Test
    void theBrokerDescribesSluicesRealSettingsAsHttpDoesAndNotAnotherBrokers() throws IOException {
        ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, "0");

        Config config = get(admin.describeConfigs(List.of(broker), new DescribeConfigsOptions().includeSynonyms(true)
                .includeDocumentation(true)).all()).get(broker);

        assertThat(config.entries()).extracting(ConfigEntry::name, ConfigEntry::value, ConfigEntry::source,
                ConfigEntry::isReadOnly).contains(
                tuple("auto.create.topics.enable", "false", ConfigEntry.ConfigSource.STATIC_BROKER_CONFIG, false),
                tuple("default.replication.factor", "3", ConfigEntry.ConfigSource.STATIC_BROKER_CONFIG, false),
                tuple("num.partitions", "3", ConfigEntry.ConfigSource.STATIC_BROKER_CONFIG, false),
                tuple("broker.id", "0", ConfigEntry.ConfigSource.STATIC_BROKER_CONFIG, true),
                tuple("log.retention.ms", "604800000", ConfigEntry.ConfigSource.DEFAULT_CONFIG, true),
                tuple("min.insync.replicas", "1", ConfigEntry.ConfigSource.DEFAULT_CONFIG, true));
        assertThat(config.entries()).allSatisfy(entry -> assertThat(entry.isSensitive()).isFalse());
        assertThat(config.get("log.retention.ms").documentation()).contains("retention.ms");
        assertThat(brokerConfigsOverHttp()).isEqualTo(values(config));
        // Admin sends a broker's resource to that broker: this one is asked for broker 7's, directly.
        DescribeConfigsResponse other = (DescribeConfigsResponse) call(ApiKeys.DESCRIBE_CONFIGS,
                new DescribeConfigsRequest.Builder(new DescribeConfigsRequestData().setResources(List.of(
                        new DescribeConfigsRequestData.DescribeConfigsResource()
                                .setResourceType(ConfigResource.Type.BROKER.id()).setResourceName("7")))));
        assertThat(other.data().results()).singleElement().satisfies(result -> {
            assertThat(Errors.forCode(result.errorCode())).isEqualTo(Errors.INVALID_REQUEST);
            assertThat(result.errorMessage()).isEqualTo("This broker is 0, not '7': ask that broker for its configs");
        });
    }

    /**
     * A cluster-wide broker config set over Kafka is what HTTP shows and what a new topic gets, and one set over HTTP
     * is what Kafka shows and what auto-creation does; deleted, the gateway's settings hold again.
     */
    @Test
    void clusterWideBrokerConfigsSetOverKafkaOrHttpHoldEverywhereAndTakeEffect() {
        ConfigResource everyBroker = new ConfigResource(ConfigResource.Type.BROKER, "");
        ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, "0");
        try {
            get(admin.incrementalAlterConfigs(Map.of(everyBroker, List.of(
                    new AlterConfigOp(new ConfigEntry("num.partitions", "6"), AlterConfigOp.OpType.SET))),
                    new AlterConfigsOptions().validateOnly(true)).all());
            assertThat(brokerConfigsOverHttp()).containsEntry("num.partitions", "3");
            get(admin.incrementalAlterConfigs(Map.of(everyBroker, List.of(
                    new AlterConfigOp(new ConfigEntry("num.partitions", "6"), AlterConfigOp.OpType.SET),
                    new AlterConfigOp(new ConfigEntry("default.replication.factor", "2"),
                            AlterConfigOp.OpType.SET)))).all());

            Config defaults = get(admin.describeConfigs(List.of(everyBroker)).all()).get(everyBroker);
            assertThat(defaults.entries()).extracting(ConfigEntry::name, ConfigEntry::value, ConfigEntry::source)
                    .containsExactlyInAnyOrder(
                            tuple("default.replication.factor", "2",
                                    ConfigEntry.ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG),
                            tuple("num.partitions", "6", ConfigEntry.ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG));
            ConfigEntry partitions = get(admin.describeConfigs(List.of(broker),
                    new DescribeConfigsOptions().includeSynonyms(true)).all()).get(broker).get("num.partitions");
            assertThat(partitions.source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG);
            assertThat(partitions.synonyms()).extracting(ConfigEntry.ConfigSynonym::value,
                    ConfigEntry.ConfigSynonym::source).containsExactly(
                    tuple("6", ConfigEntry.ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG),
                    tuple("3", ConfigEntry.ConfigSource.STATIC_BROKER_CONFIG));
            assertThat(brokerConfigsOverHttp()).containsEntry("num.partitions", "6")
                    .containsEntry("default.replication.factor", "2");
            CreateTopicsResult created = admin.createTopics(List.of(new NewTopic("admin-cluster-defaults",
                    Optional.empty(), Optional.empty())));
            assertThat(get(created.numPartitions("admin-cluster-defaults"))).isEqualTo(6);
            assertThat(get(created.replicationFactor("admin-cluster-defaults"))).isEqualTo(2);

            Response enabled = cluster.call("PATCH", "/v1/cluster/configs", """
                    {"configs": [{"name": "auto.create.topics.enable", "value": "true"}]}""", "application/json");
            assertThat(enabled.status()).isEqualTo(200);
            assertThat(get(admin.describeConfigs(List.of(broker)).all()).get(broker)
                    .get("auto.create.topics.enable").value()).isEqualTo("true");
            assertThat(cluster.postJson("/v1/topics/admin-auto-created/records", "[{\"value\": \"a\"}]")
                    .status()).isEqualTo(200);
            assertThat(cluster.describe("admin-auto-created").path("partition_count").asInt()).isEqualTo(6);
        } finally {
            get(admin.incrementalAlterConfigs(Map.of(everyBroker, List.of(
                    new AlterConfigOp(new ConfigEntry("num.partitions", ""), AlterConfigOp.OpType.DELETE),
                    new AlterConfigOp(new ConfigEntry("default.replication.factor", ""), AlterConfigOp.OpType.DELETE),
                    new AlterConfigOp(new ConfigEntry("auto.create.topics.enable", ""),
                            AlterConfigOp.OpType.DELETE)))).all());
        }
        assertThat(get(admin.describeConfigs(List.of(everyBroker)).all()).get(everyBroker).entries()).isEmpty();
        assertThat(brokerConfigsOverHttp()).containsEntry("num.partitions", "3")
                .containsEntry("auto.create.topics.enable", "false");
    }

    @Test
    void aRefusedBrokerConfigChangeFailsWithKafkasErrorAndChangesNothing() throws IOException {
        ConfigResource everyBroker = new ConfigResource(ConfigResource.Type.BROKER, "");
        Map<String, String> before = brokerConfigsOverHttp();

        assertFails(admin.incrementalAlterConfigs(Map.of(everyBroker, List.of(
                new AlterConfigOp(new ConfigEntry("num.partitions", "6"), AlterConfigOp.OpType.SET),
                new AlterConfigOp(new ConfigEntry("log.retention.ms", "1000"), AlterConfigOp.OpType.SET)))).all(),
                InvalidRequestException.class, "Cannot update these configs dynamically: [log.retention.ms]");
        assertFails(admin.incrementalAlterConfigs(Map.of(everyBroker, List.of(
                new AlterConfigOp(new ConfigEntry("default.replication.factor", "2"), AlterConfigOp.OpType.SET),
                new AlterConfigOp(new ConfigEntry("num.partitions", "-1"), AlterConfigOp.OpType.SET)))).all(),
                InvalidConfigurationException.class, "Invalid value -1 for broker config num.partitions");
        assertFails(alter(everyBroker, new AlterConfigOp(new ConfigEntry("num.partitions", "6"),
                AlterConfigOp.OpType.APPEND)), InvalidConfigurationException.class, "append is not allowed");
        assertFails(alter(everyBroker, new AlterConfigOp(new ConfigEntry("log.retention.weeks", "2"),
                AlterConfigOp.OpType.SET)), InvalidConfigurationException.class, "cannot be altered at run time");
        assertFails(alter(new ConfigResource(ConfigResource.Type.BROKER, "0"), new AlterConfigOp(
                new ConfigEntry("num.partitions", "6"), AlterConfigOp.OpType.SET)), InvalidRequestException.class,
                "cluster-wide");
        Response overHttp = cluster.call("PATCH", "/v1/cluster/configs", """
                {"configs": [{"name": "num.partitions", "value": "many"}]}""", "application/json");
        assertThat(overHttp.status()).isEqualTo(400);
        assertThat(overHttp.json().path("error_code").asString()).isEqualTo("INVALID_CONFIG");
        AlterConfigsResponse whole = (AlterConfigsResponse) call(ApiKeys.ALTER_CONFIGS, new AlterConfigsRequest.Builder(
                Map.of(everyBroker, new AlterConfigsRequest.Config(List.of(
                        new AlterConfigsRequest.ConfigEntry("num.partitions", "0")))), false));
        assertThat(whole.errors().get(everyBroker).error()).isEqualTo(Errors.INVALID_CONFIG);

        assertThat(brokerConfigsOverHttp()).isEqualTo(before);
    }

    /** AlterConfigs on the default broker resource: the cluster-wide configs become exactly those given. */
    @Test
    void theWholeSetAlterationReplacesTheClusterWideBrokerConfigs() throws IOException {
        ConfigResource everyBroker = new ConfigResource(ConfigResource.Type.BROKER, "");
        try {
            get(alter(everyBroker, new AlterConfigOp(new ConfigEntry("num.partitions", "4"),
                    AlterConfigOp.OpType.SET)));

            AlterConfigsResponse replaced = (AlterConfigsResponse) call(ApiKeys.ALTER_CONFIGS,
                    new AlterConfigsRequest.Builder(Map.of(everyBroker, new AlterConfigsRequest.Config(List.of(
                            new AlterConfigsRequest.ConfigEntry("default.replication.factor", "1")))), false));

            assertThat(replaced.errors().get(everyBroker).error()).isEqualTo(Errors.NONE);
            assertThat(get(admin.describeConfigs(List.of(everyBroker)).all()).get(everyBroker).entries())
                    .extracting(ConfigEntry::name, ConfigEntry::value)
                    .containsExactly(tuple("default.replication.factor", "1"));
        } finally {
            call(ApiKeys.ALTER_CONFIGS, new AlterConfigsRequest.Builder(Map.of(everyBroker,
                    new AlterConfigsRequest.Config(List.of())), false));
        }
        assertThat(brokerConfigsOverHttp()).containsEntry("num.partitions", "3")
                .containsEntry("default.replication.factor", "3");
    }

    @Test
    void incrementalAlterationsSetDeleteAndAppendValidateOnlyChangesNothing() {
        cluster.createTopic("admin-altered", 1, 1, Map.of("retention.ms", "1000"));
        ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "admin-altered");

        get(admin.incrementalAlterConfigs(Map.of(topic, List.of(
                new AlterConfigOp(new ConfigEntry("segment.ms", "60000"), AlterConfigOp.OpType.SET))),
                new AlterConfigsOptions().validateOnly(true)).all());
        assertThat(overrides("admin-altered")).isEqualTo(Map.of("retention.ms", "1000"));
        get(admin.incrementalAlterConfigs(Map.of(topic, List.of(
                new AlterConfigOp(new ConfigEntry("segment.ms", "60000"), AlterConfigOp.OpType.SET),
                new AlterConfigOp(new ConfigEntry("retention.ms", ""), AlterConfigOp.OpType.DELETE),
                new AlterConfigOp(new ConfigEntry("cleanup.policy", "compact"), AlterConfigOp.OpType.APPEND))))
                .all());

        assertThat(overrides("admin-altered")).isEqualTo(Map.of("segment.ms", "60000",
                "cleanup.policy", "compact,delete"));
        get(admin.incrementalAlterConfigs(Map.of(topic, List.of(
                new AlterConfigOp(new ConfigEntry("cleanup.policy", "delete"), AlterConfigOp.OpType.SUBTRACT))))
                .all());
        assertThat(overrides("admin-altered")).containsEntry("cleanup.policy", "compact");
    }

    @Test
    void aBadAlterationFailsWithItsReasonAndChangesNothing() {
        cluster.createTopic("admin-alter-refused", 1, 1, Map.of("retention.ms", "1000"));
        ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "admin-alter-refused");

        assertFails(alter(topic, new AlterConfigOp(new ConfigEntry("retention.ms", "soon"),
                AlterConfigOp.OpType.SET)), InvalidConfigurationException.class, "Invalid value 'soon'");
        assertFails(alter(topic, new AlterConfigOp(new ConfigEntry("retention.weeks", "2"),
                AlterConfigOp.OpType.SET)), InvalidConfigurationException.class, "Unknown topic config");
        assertFails(alter(topic, new AlterConfigOp(new ConfigEntry("retention.ms", "5"),
                AlterConfigOp.OpType.APPEND)), InvalidConfigurationException.class, "append is not allowed");
        assertFails(alter(new ConfigResource(ConfigResource.Type.TOPIC, "admin-not-there"), new AlterConfigOp(
                new ConfigEntry("retention.ms", "5"), AlterConfigOp.OpType.SET)),
                UnknownTopicOrPartitionException.class, "admin-not-there");

        assertThat(overrides("admin-alter-refused")).isEqualTo(Map.of("retention.ms", "1000"));
    }

    /** AlterConfigs, the whole-set form kafka-clients 4 no longer sends but older clients and librdkafka do. */
    @Test
    void theWholeSetAlterationReplacesATopicsOverrides() throws IOException {
        cluster.createTopic("admin-replaced", 1, 1, Map.of("retention.ms", "1000", "segment.ms", "60000"));
        ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "admin-replaced");
        Map<ConfigResource, AlterConfigsRequest.Config> configs = Map.of(topic, new AlterConfigsRequest.Config(
                List.of(new AlterConfigsRequest.ConfigEntry("max.message.bytes", "4096"))));

        AlterConfigsResponse validated = (AlterConfigsResponse) call(ApiKeys.ALTER_CONFIGS,
                new AlterConfigsRequest.Builder(configs, true));
        assertThat(validated.errors().get(topic).error()).isEqualTo(Errors.NONE);
        assertThat(overrides("admin-replaced")).hasSize(2);
        AlterConfigsResponse altered = (AlterConfigsResponse) call(ApiKeys.ALTER_CONFIGS,
                new AlterConfigsRequest.Builder(configs, false));

        assertThat(altered.errors().get(topic).error()).isEqualTo(Errors.NONE);
        assertThat(overrides("admin-replaced")).isEqualTo(Map.of("max.message.bytes", "4096"));
        AlterConfigsResponse refused = (AlterConfigsResponse) call(ApiKeys.ALTER_CONFIGS,
                new AlterConfigsRequest.Builder(Map.of(topic, new AlterConfigsRequest.Config(List.of(
                        new AlterConfigsRequest.ConfigEntry("max.message.bytes", "big")))), false));
        assertThat(refused.errors().get(topic).error()).isEqualTo(Errors.INVALID_CONFIG);
        assertThat(refused.errors().get(topic).message()).contains("Invalid value 'big'");
    }

    @Test
    void theGatewayDescribesTheClusterAsItsOneBrokerAndController() throws Exception {
        var described = admin.describeCluster();

        assertThat(described.nodes().get()).singleElement()
                .satisfies(node -> assertThat(node.host() + ":" + node.port()).isEqualTo(cluster.kafkaBootstrap()));
        assertThat(described.controller().get().id()).isZero();
        assertThat(described.clusterId().get()).isEqualTo("sluice");
        DescribeClusterResponse controllers = (DescribeClusterResponse) call(ApiKeys.DESCRIBE_CLUSTER,
                new DescribeClusterRequest.Builder(new DescribeClusterRequestData().setEndpointType((byte) 2)));
        assertThat(Errors.forCode(controllers.data().errorCode())).isEqualTo(Errors.UNSUPPORTED_ENDPOINT_TYPE);
        DescribeClusterResponseData brokers = ((DescribeClusterResponse) call(ApiKeys.DESCRIBE_CLUSTER,
                new DescribeClusterRequest.Builder(new DescribeClusterRequestData()))).data();
        assertThat(brokers.controllerId()).isZero();
        assertThat(brokers.clusterId()).isEqualTo("sluice");
        assertThat(described.authorizedOperations().get()).as("not asked").isNull();
        assertThat(admin.describeCluster(new org.apache.kafka.clients.admin.DescribeClusterOptions()
                .includeAuthorizedOperations(true)).authorizedOperations().get())
                .as("security off: every operation on the cluster, as Kafka without an authorizer")
                .containsExactlyInAnyOrder(AclOperation.CREATE, AclOperation.ALTER, AclOperation.DESCRIBE,
                        AclOperation.DESCRIBE_CONFIGS, AclOperation.ALTER_CONFIGS);
    }

    /**
     * On the gateway path the one gateway is the broker of every replica: it lists each partition service's real data
     * directory once, with its file store's sizes and the replicas it holds, whose sizes grow as records come in.
     */
    @Test
    void theLogDirsAreThePartitionServicesRealDirectoriesWithTheirReplicasSizesAndFreeSpace() {
        cluster.createTopic("admin-log-dirs", 2, 3, Map.of());
        Map<String, LogDirDescription> before = get(admin.describeLogDirs(List.of(0)).allDescriptions()).get(0);
        var produced = cluster.postJson("/v1/topics/admin-log-dirs/records?key_format=string&value_format=string",
                "[{\"key\": \"k\", \"value\": \"" + "v".repeat(1000) + "\"}]");
        assertThat(produced.status()).as(produced.text()).isEqualTo(200);
        int partition = produced.json().path("results").get(0).path("partition").asInt();
        TopicPartition written = new TopicPartition("admin-log-dirs", partition);
        String leaderDir = dirName(cluster.leader("admin-log-dirs", partition));

        Map<String, LogDirDescription> dirs = get(admin.describeLogDirs(List.of(0)).allDescriptions()).get(0);

        assertThat(dirs).containsOnlyKeys(dirName(1), dirName(2), dirName(3));
        assertThat(dirs.values()).allSatisfy(dir -> {
            assertThat(dir.error()).isNull();
            assertThat(dir.totalBytes().orElse(-1)).isPositive();
            assertThat(dir.usableBytes().orElse(-1)).isPositive().isLessThanOrEqualTo(dir.totalBytes().getAsLong());
            assertThat(dir.replicaInfos()).containsKeys(new TopicPartition("admin-log-dirs", 0),
                    new TopicPartition("admin-log-dirs", 1));
            assertThat(dir.replicaInfos().values()).allSatisfy(replica -> {
                assertThat(replica.size()).isNotNegative();
                assertThat(replica.offsetLag()).isNotNegative();
            });
        });
        assertThat(dirs.get(leaderDir).replicaInfos().get(written).size())
                .isGreaterThan(before.get(leaderDir).replicaInfos().get(written).size() + 1000);
        ToolRun tool = run(LogDirsCommand::main, "--bootstrap-server", cluster.kafkaBootstrap(), "--describe",
                "--topic-list", "admin-log-dirs");
        assertThat(tool.exitCode()).isZero();
        assertThat(tool.out()).contains("Received log directory information from brokers 0",
                "\"logDir\":\"" + dirName(1) + "\"", "\"partition\":\"admin-log-dirs-1\"")
                .doesNotContain("\"size\":-1");
    }

    /** How the gateway names a partition service's data directory among the several it lists. */
    private static String dirName(int node) {
        return "partition-service-" + node + ":" + cluster.dataDir(node).toAbsolutePath().normalize();
    }

    /** One store of ACLs, one answer: with security off too, as the HTTP ACL API, to be in force once it is on. */
    @Test
    void withSecurityOffAnAclCreatedOverEitherProtocolIsListedAndDeletedOverTheOther() {
        AclBinding alice = new AclBinding(new ResourcePattern(ResourceType.TOPIC, "acl-orders", PatternType.LITERAL),
                new AccessControlEntry("User:alice", "*", AclOperation.READ, AclPermissionType.ALLOW));
        AclBinding bob = new AclBinding(new ResourcePattern(ResourceType.TOPIC, "acl-logs-", PatternType.PREFIXED),
                new AccessControlEntry("User:bob", "*", AclOperation.WRITE, AclPermissionType.DENY));

        get(admin.createAcls(List.of(alice)).all());
        assertThat(httpAcls("User:alice")).containsExactly("User:alice TOPIC acl-orders LITERAL READ ALLOW");
        var created = cluster.postJson("/v1/acls", "{\"principal\": \"User:bob\", \"resource_type\": \"TOPIC\", "
                + "\"resource_name\": \"acl-logs-\", \"pattern_type\": \"PREFIXED\", \"operation\": \"WRITE\", "
                + "\"permission\": \"DENY\"}");
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        assertThat(get(admin.describeAcls(AclBindingFilter.ANY).values())).containsExactlyInAnyOrder(alice, bob);

        assertThat(get(admin.deleteAcls(List.of(bob.toFilter())).all())).containsExactly(bob);
        assertThat(httpAcls("User:bob")).isEmpty();
        var deleted = cluster.call("DELETE", "/v1/acls?principal=User:alice", null, null);
        assertThat(deleted.status()).as(deleted.text()).isEqualTo(200);
        assertThat(get(admin.describeAcls(AclBindingFilter.ANY).values())).isEmpty();
    }

    @Test
    void kafkaTopicsCreatesDescribesGrowsListsAndDeletes() {
        String bootstrap = cluster.kafkaBootstrap();

        assertThat(run(TopicCommand::main, "--bootstrap-server", bootstrap, "--create", "--topic", "tool-topic",
                "--partitions", "2", "--replication-factor", "3", "--config", "retention.ms=3600000").out())
                .contains("Created topic tool-topic.");
        assertThat(run(TopicCommand::main, "--bootstrap-server", bootstrap, "--alter", "--topic", "tool-topic",
                "--partitions", "4").exitCode()).isZero();
        // One partition a page: the tool pages through DescribeTopicPartitions (KIP-966) with its cursor.
        String described = run(TopicCommand::main, "--bootstrap-server", bootstrap, "--describe", "--topic",
                "tool-topic", "--partition-size-limit-per-response", "1").out();
        assertThat(described).contains("Topic: tool-topic", "PartitionCount: 4", "ReplicationFactor: 3",
                "Configs: retention.ms=3600000");
        for (int partition = 0; partition < 4; partition++) {
            assertThat(described).containsPattern("Partition: " + partition + "\\s+Leader: 0\\s+Replicas: ");
        }
        assertThat(run(TopicCommand::main, "--bootstrap-server", bootstrap, "--list").out().lines())
                .contains("tool-topic");
        assertThat(run(TopicCommand::main, "--bootstrap-server", bootstrap, "--delete", "--topic", "tool-topic")
                .exitCode()).isZero();

        assertThat(run(TopicCommand::main, "--bootstrap-server", bootstrap, "--list").out().lines())
                .doesNotContain("tool-topic");
        assertThat(cluster.call("GET", "/v1/topics/tool-topic", null, null).status()).isEqualTo(404);
    }

    /**
     * KIP-455 through Kafka's Admin: a partition moved to another replica set is listed while it moves, reaches the
     * target with its records, and bad plans are refused with Kafka's errors (an unknown or doubled node, a partition
     * that does not exist, a cancel of nothing moving), changing nothing.
     */
    @Test
    void aPartitionMovesToItsTargetReplicasAndBadPlansAreRefusedWithKafkasErrors() throws Exception {
        String topic = "moving";
        cluster.createTopic(topic, 1, 2, Map.of());
        TopicPartition tp = new TopicPartition(topic, 0);
        Response produced = cluster.postJson("/v1/topics/" + topic + "/records?value_format=string",
                "[{\"value\": \"before the move\"}]");
        assertThat(produced.status()).as(produced.text()).isEqualTo(200);
        List<Integer> before = replicas(tp);
        int newcomer = List.of(1, 2, 3).stream().filter(node -> !before.contains(node)).findFirst().orElseThrow();
        List<Integer> target = List.of(newcomer, before.get(1));

        admin.alterPartitionReassignments(Map.of(tp, Optional.of(new NewPartitionReassignment(target)))).all().get();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!replicas(tp).equals(target) || !admin.listPartitionReassignments().reassignments().get().isEmpty()) {
            assertThat(System.nanoTime()).as("%s reaches %s", tp, target).isLessThan(deadline);
            GatewayCluster.sleep(Duration.ofMillis(100));
        }
        assertThat(cluster.values("/v1/topics/" + topic + "/partitions/0/records?offset=0&value_format=string"))
                .containsExactly("before the move");

        assertThat(reassign(tp, List.of(99, newcomer))).isInstanceOf(InvalidReplicaAssignmentException.class);
        assertThat(reassign(tp, List.of(newcomer, newcomer))).isInstanceOf(InvalidReplicaAssignmentException.class);
        assertThat(reassign(new TopicPartition(topic, 7), target))
                .isInstanceOf(UnknownTopicOrPartitionException.class);
        assertThat(admin.alterPartitionReassignments(Map.of(tp, Optional.empty())).all())
                .failsWithin(Duration.ofSeconds(30)).withThrowableThat()
                .withCauseInstanceOf(NoReassignmentInProgressException.class);
        assertThat(replicas(tp)).as("nothing changed").isEqualTo(target);
    }

    /**
     * A move's new replica catches up from its leader within the leader's move throttle, set over the public API: the
     * bucket holds one second of the rate, so the rest of the partition takes at least (size - rate) / rate seconds,
     * however fast the machine; and it arrives whole.
     */
    @Test
    void aThrottledMoveTakesNoLessThanItsLeadersThrottleAllowsAndCarriesEveryRecord() throws Exception {
        String topic = "throttled-move";
        cluster.createTopic(topic, 1, 1, Map.of());
        TopicPartition tp = new TopicPartition(topic, 0);
        // Random bytes, which no compression shrinks: the throttle counts the bytes the replica reads as stored.
        byte[] bytes = new byte[16 * 1024];
        new java.util.Random(7).nextBytes(bytes);
        String value = java.util.Base64.getEncoder().encodeToString(bytes);
        int records = 64;
        String body = "[" + String.join(", ", java.util.Collections.nCopies(records / 4,
                "{\"value\": \"" + value + "\"}")) + "]";
        for (int request = 0; request < 4; request++) {
            Response produced = cluster.postJson("/v1/topics/" + topic + "/records?value_format=binary", body);
            assertThat(produced.status()).as(produced.text()).isEqualTo(200);
        }
        long stored = (long) records * bytes.length; // at least: the values alone
        int leader = replicas(tp).getFirst();
        int newcomer = leader % 3 + 1;
        long rate = 256 * 1024;
        Response throttled = cluster.call("PUT", "/v1/nodes/" + leader + "/move-throttle",
                "{\"bytes_per_second\": " + rate + "}", "application/json");
        assertThat(throttled.status()).as(throttled.text()).isEqualTo(200);
        try {
            long started = System.nanoTime();
            admin.alterPartitionReassignments(Map.of(tp, Optional.of(new NewPartitionReassignment(
                    List.of(leader, newcomer))))).all().get();
            long deadline = started + Duration.ofSeconds(90).toNanos();
            while (!replicas(tp).equals(List.of(leader, newcomer))
                    || !admin.listPartitionReassignments().reassignments().get().isEmpty()) {
                assertThat(System.nanoTime()).as("%s reaches [%d, %d]", tp, leader, newcomer).isLessThan(deadline);
                GatewayCluster.sleep(Duration.ofMillis(100));
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf("[figure] a move of %d bytes of values at a throttle of %d bytes/s took %.1f s%n",
                    stored, rate, seconds);
            assertThat(seconds).as("no faster than the throttle")
                    .isGreaterThanOrEqualTo((double) (stored - rate) / rate);
        } finally {
            Response cleared = cluster.call("DELETE", "/v1/nodes/" + leader + "/move-throttle", null, null);
            assertThat(cleared.status()).as(cleared.text()).isEqualTo(200);
        }
        assertThat(cluster.values("/v1/topics/" + topic + "/partitions/0/records?offset=0&value_format=binary"
                + "&max_records=1000&max_bytes=4194304")).hasSize(records).allMatch(value::equals);
    }

    /** {@code kafka-leader-election} asks ElectLeaders: a partition led by its preferred replica needs no election. */
    @Test
    void kafkaLeaderElectionFindsThePreferredReplicasLeading() {
        String topic = "elections";
        cluster.createTopic(topic, 1, 3, Map.of());

        ToolRun preferred = run(LeaderElectionCommand::main, "--bootstrap-server", cluster.kafkaBootstrap(),
                "--election-type", "preferred", "--topic", topic, "--partition", "0");
        ToolRun unclean = run(LeaderElectionCommand::main, "--bootstrap-server", cluster.kafkaBootstrap(),
                "--election-type", "unclean", "--topic", topic, "--partition", "0");

        assertThat(preferred.out()).as(preferred.err()).contains("Valid replica already elected for partitions "
                + topic + "-0");
        assertThat(unclean.out()).as(unclean.err()).contains("Valid replica already elected for partitions "
                + topic + "-0");
    }

    private static List<Integer> replicas(TopicPartition tp) throws Exception {
        return admin.describeTopics(List.of(tp.topic())).allTopicNames().get().get(tp.topic()).partitions()
                .get(tp.partition()).replicas().stream().map(node -> node.id()).toList();
    }

    /** What a move of {@code tp} to {@code target} fails with, or null when it does not. */
    private static Throwable reassign(TopicPartition tp, List<Integer> target) throws InterruptedException {
        try {
            admin.alterPartitionReassignments(Map.of(tp, Optional.of(new NewPartitionReassignment(target)))).all()
                    .get();
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }

    @Test
    void kafkaTopicsReportsARefusedCreationAndExitsWithAnError() {
        cluster.createTopic("tool-existing", 1, 1, Map.of());

        ToolRun refused = run(TopicCommand::main, "--bootstrap-server", cluster.kafkaBootstrap(), "--create",
                "--topic", "tool-existing", "--partitions", "1", "--replication-factor", "1");

        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.out() + refused.err()).contains("TopicExistsException", "already exists");
    }

    @Test
    void kafkaConfigsDescribesAndAltersATopicAndDescribesTheBroker() {
        cluster.createTopic("tool-configs", 1, 1, Map.of("retention.ms", "1000"));
        String bootstrap = cluster.kafkaBootstrap();

        assertThat(run(ConfigCommand::main, "--bootstrap-server", bootstrap, "--entity-type", "topics",
                "--entity-name", "tool-configs", "--alter", "--add-config", "segment.ms=60000,max.message.bytes=2048",
                "--delete-config", "retention.ms").out())
                .contains("Completed updating config for topic tool-configs.");
        String topic = run(ConfigCommand::main, "--bootstrap-server", bootstrap, "--entity-type", "topics",
                "--entity-name", "tool-configs", "--describe").out();
        assertThat(topic).contains("Dynamic configs for topic tool-configs are:", "segment.ms=60000",
                "max.message.bytes=2048").doesNotContain("retention.ms");
        String all = run(ConfigCommand::main, "--bootstrap-server", bootstrap, "--entity-type", "topics",
                "--entity-name", "tool-configs", "--describe", "--all").out();
        assertThat(all).contains("All configs for topic tool-configs are:", "retention.ms=604800000");
        String broker = run(ConfigCommand::main, "--bootstrap-server", bootstrap, "--entity-type", "brokers",
                "--entity-name", "0", "--describe", "--all").out();
        assertThat(broker).contains("All configs for broker 0 are:", "num.partitions=3",
                "default.replication.factor=3");
        assertThat(run(ConfigCommand::main, "--bootstrap-server", bootstrap, "--entity-type", "brokers",
                "--describe").out()).contains("Dynamic configs for broker 0 are:");

        assertThat(overrides("tool-configs")).isEqualTo(Map.of("segment.ms", "60000", "max.message.bytes", "2048"));
    }

    /** kafka-configs --entity-type brokers --entity-default: a cluster-wide broker config set, described, deleted. */
    @Test
    void kafkaConfigsSetsDescribesAndDeletesAClusterWideBrokerConfig() {
        String[] everyBroker = {"--bootstrap-server", cluster.kafkaBootstrap(), "--entity-type", "brokers",
                "--entity-default"};

        assertThat(run(ConfigCommand::main, with(everyBroker, "--alter", "--add-config", "num.partitions=6")).out())
                .contains("Completed updating default config for brokers in the cluster.");
        assertThat(run(ConfigCommand::main, with(everyBroker, "--describe")).out())
                .contains("Default configs for brokers in the cluster",
                        "num.partitions=6 sensitive=false synonyms={DYNAMIC_DEFAULT_BROKER_CONFIG:num.partitions=6}");
        assertThat(brokerConfigsOverHttp()).containsEntry("num.partitions", "6");
        ToolRun refused = run(ConfigCommand::main, with(everyBroker, "--alter", "--add-config",
                "log.segment.bytes=1024"));
        assertThat(refused.out() + refused.err()).contains("Cannot update these configs dynamically");
        run(ConfigCommand::main, with(everyBroker, "--alter", "--delete-config", "num.partitions"));

        assertThat(brokerConfigsOverHttp()).containsEntry("num.partitions", "3");
    }

    /** kafka-configs --entity-type groups: a share group's configs set, described and deleted with Kafka's tool. */
    @Test
    void kafkaConfigsSetsDescribesAndDeletesAShareGroupsConfigs() {
        String bootstrap = cluster.kafkaBootstrap();
        String[] group = {"--bootstrap-server", bootstrap, "--entity-type", "groups", "--entity-name", "tool-share"};

        assertThat(run(ConfigCommand::main, with(group, "--alter", "--add-config",
                "share.record.lock.duration.ms=60000,share.delivery.count.limit=3")).out())
                .contains("Completed updating config for group tool-share.");
        String dynamic = run(ConfigCommand::main, with(group, "--describe")).out();
        assertThat(dynamic).contains("Dynamic configs for group tool-share are:",
                "share.record.lock.duration.ms=60000 sensitive=false synonyms={DYNAMIC_GROUP_CONFIG:"
                        + "share.record.lock.duration.ms=60000, DEFAULT_CONFIG:share.record.lock.duration.ms=5000}",
                "share.delivery.count.limit=3").doesNotContain("share.session.timeout.ms");
        assertThat(run(ConfigCommand::main, with(group, "--describe", "--all")).out())
                .contains("All configs for group tool-share are:", "share.session.timeout.ms=45000",
                        "share.isolation.level=read_uncommitted", "share.auto.offset.reset=earliest");
        assertThat(run(ConfigCommand::main, with(group, "--alter", "--delete-config", "share.delivery.count.limit"))
                .out()).contains("Completed updating config for group tool-share.");

        assertThat(groupOverrides("tool-share")).isEqualTo(Map.of("share.record.lock.duration.ms", "60000"));
        ToolRun refused = run(ConfigCommand::main, with(group, "--alter", "--add-config",
                "share.isolation.level=read_committed"));
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.out() + refused.err()).contains("read_uncommitted only");
        assertThat(groupOverrides("tool-share")).isEqualTo(Map.of("share.record.lock.duration.ms", "60000"));
    }

    /**
     * kafka-configs --entity-type groups for a consumer group's and a streams group's keys (KIP-848's
     * {@code consumer.*}, KIP-1071's {@code streams.*}): set, described as the group's dynamic configs, and a session
     * outside the coordinator's bounds refused.
     */
    @Test
    void kafkaConfigsSetsAConsumerGroupsAndAStreamsGroupsConfigs() {
        String bootstrap = cluster.kafkaBootstrap();
        String[] group = {"--bootstrap-server", bootstrap, "--entity-type", "groups", "--entity-name", "tool-tuned"};

        assertThat(run(ConfigCommand::main, with(group, "--alter", "--add-config",
                "consumer.session.timeout.ms=20000,consumer.heartbeat.interval.ms=2000,streams.num.standby.replicas=1"))
                .out()).contains("Completed updating config for group tool-tuned.");
        assertThat(run(ConfigCommand::main, with(group, "--describe")).out()).contains(
                "Dynamic configs for group tool-tuned are:", "consumer.session.timeout.ms=20000",
                "consumer.heartbeat.interval.ms=2000", "streams.num.standby.replicas=1");
        assertThat(run(ConfigCommand::main, with(group, "--describe", "--all")).out())
                .contains("streams.session.timeout.ms=6000", "streams.heartbeat.interval.ms=5000");
        ToolRun refused = run(ConfigCommand::main, with(group, "--alter", "--add-config",
                "consumer.session.timeout.ms=3000"));
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.out() + refused.err()).contains("groups.min-session-timeout");
        assertThat(groupOverrides("tool-tuned")).isEqualTo(Map.of("consumer.session.timeout.ms", "20000",
                "consumer.heartbeat.interval.ms", "2000", "streams.num.standby.replicas", "1"));
    }

    /** Admin's incremental and whole-set alterations of a GROUP resource, validate-only, and the values refused. */
    @Test
    void aGroupsConfigsAreAlteredAndDescribedThroughTheAdminClientAndABadValueIsInvalidConfig() throws IOException {
        ConfigResource group = new ConfigResource(ConfigResource.Type.GROUP, "admin-share");
        get(admin.incrementalAlterConfigs(Map.of(group, List.of(
                new AlterConfigOp(new ConfigEntry("share.delivery.count.limit", "4"), AlterConfigOp.OpType.SET))),
                new AlterConfigsOptions().validateOnly(true)).all());
        assertThat(groupOverrides("admin-share")).as("validate-only changes nothing").isEmpty();

        get(admin.incrementalAlterConfigs(Map.of(group, List.of(
                new AlterConfigOp(new ConfigEntry("share.delivery.count.limit", "4"), AlterConfigOp.OpType.SET),
                new AlterConfigOp(new ConfigEntry("errors.deadletterqueue.topic.name", "admin-share-dlq"),
                        AlterConfigOp.OpType.SET)))).all());
        Config config = get(admin.describeConfigs(List.of(group), new DescribeConfigsOptions().includeSynonyms(true)
                .includeDocumentation(true)).all()).get(group);

        ConfigEntry limit = config.get("share.delivery.count.limit");
        assertThat(limit.value()).isEqualTo("4");
        assertThat(limit.source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_GROUP_CONFIG);
        assertThat(limit.type()).isEqualTo(ConfigEntry.ConfigType.INT);
        assertThat(limit.synonyms()).extracting(ConfigEntry.ConfigSynonym::value, ConfigEntry.ConfigSynonym::source)
                .containsExactly(tuple("4", ConfigEntry.ConfigSource.DYNAMIC_GROUP_CONFIG),
                        tuple("5", ConfigEntry.ConfigSource.DEFAULT_CONFIG));
        assertThat(limit.documentation()).contains("delivered");
        ConfigEntry session = config.get("share.session.timeout.ms");
        assertThat(session.value()).isEqualTo("45000");
        assertThat(session.source()).isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG);
        assertThat(config.get("errors.deadletterqueue.copy.record.enable").type())
                .isEqualTo(ConfigEntry.ConfigType.BOOLEAN);

        assertFails(alter(group, new AlterConfigOp(new ConfigEntry("share.delivery.count.limit", "1"),
                AlterConfigOp.OpType.SET)), InvalidConfigurationException.class, "between 2 and 10");
        assertFails(alter(group, new AlterConfigOp(new ConfigEntry("share.lock.ms", "1000"),
                AlterConfigOp.OpType.SET)), InvalidConfigurationException.class, "Unknown group config");
        assertFails(alter(group, new AlterConfigOp(new ConfigEntry("share.session.timeout.ms", "1000"),
                AlterConfigOp.OpType.SET)), InvalidConfigurationException.class, "must be greater than");
        assertFails(alter(group, new AlterConfigOp(new ConfigEntry("share.delivery.count.limit", "1"),
                AlterConfigOp.OpType.APPEND)), InvalidConfigurationException.class, "append is not allowed");
        assertFails(alter(new ConfigResource(ConfigResource.Type.GROUP, ""), new AlterConfigOp(
                new ConfigEntry("share.delivery.count.limit", "3"), AlterConfigOp.OpType.SET)),
                InvalidRequestException.class, "must not be empty");
        assertThat(groupOverrides("admin-share")).isEqualTo(Map.of("share.delivery.count.limit", "4",
                "errors.deadletterqueue.topic.name", "admin-share-dlq"));

        Map<ConfigResource, AlterConfigsRequest.Config> whole = Map.of(group, new AlterConfigsRequest.Config(
                List.of(new AlterConfigsRequest.ConfigEntry("share.heartbeat.interval.ms", "1000"))));
        AlterConfigsResponse replaced = (AlterConfigsResponse) call(ApiKeys.ALTER_CONFIGS,
                new AlterConfigsRequest.Builder(whole, false));
        assertThat(replaced.errors().get(group).error()).isEqualTo(Errors.NONE);
        assertThat(groupOverrides("admin-share")).as("the whole set replaces the group's values")
                .isEqualTo(Map.of("share.heartbeat.interval.ms", "1000"));
    }

    @Test
    void kafkaConfigsReportsABadValue() {
        cluster.createTopic("tool-bad-config", 1, 1, Map.of());

        ToolRun refused = run(ConfigCommand::main, "--bootstrap-server", cluster.kafkaBootstrap(), "--entity-type",
                "topics", "--entity-name", "tool-bad-config", "--alter", "--add-config", "retention.ms=soon");

        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.out() + refused.err()).contains("Invalid value 'soon'");
        assertThat(overrides("tool-bad-config")).isEmpty();
    }

    // ---- helpers

    private static String[] with(String[] first, String... more) {
        String[] all = java.util.Arrays.copyOf(first, first.length + more.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
    }

    /** The values a group sets, as the HTTP admin API shows them. */
    private static Map<String, String> groupOverrides(String group) {
        var configs = cluster.call("GET", "/v1/share-groups/" + group + "/configs", null, null).json()
                .path("configs");
        Map<String, String> overrides = new java.util.TreeMap<>();
        for (var config : configs) {
            if (!config.path("is_default").asBoolean()) {
                overrides.put(config.path("name").asString(), config.path("value").asString());
            }
        }
        return overrides;
    }

    private static KafkaFuture<Void> alter(ConfigResource resource, AlterConfigOp op) {
        return admin.incrementalAlterConfigs(Map.of(resource, List.of(op))).all();
    }

    /** This gateway's broker configs as {@code GET /v1/cluster/configs} shows them, by name. */
    private static Map<String, String> brokerConfigsOverHttp() {
        var configs = cluster.call("GET", "/v1/cluster/configs", null, null).json().path("configs");
        Map<String, String> values = new java.util.TreeMap<>();
        for (var config : configs) {
            values.put(config.path("name").asString(), config.path("value").asString());
        }
        return values;
    }

    private static Map<String, String> values(Config config) {
        Map<String, String> values = new java.util.TreeMap<>();
        config.entries().forEach(entry -> values.put(entry.name(), entry.value()));
        return values;
    }

    /** A topic's config overrides as the HTTP admin API shows them. */
    private static Map<String, String> overrides(String topic) {
        var configs = cluster.call("GET", "/v1/topics/" + topic + "/configs", null, null).json().path("configs");
        Map<String, String> overrides = new java.util.TreeMap<>();
        for (var config : configs) {
            if (!config.path("is_default").asBoolean()) {
                overrides.put(config.path("name").asString(), config.path("value").asString());
            }
        }
        return overrides;
    }

    /** A principal's ACLs as the HTTP ACL API lists them, each as its fields in order. */
    private static List<String> httpAcls(String principal) {
        var listed = cluster.call("GET", "/v1/acls?principal=" + principal, null, null);
        assertThat(listed.status()).as(listed.text()).isEqualTo(200);
        List<String> acls = new java.util.ArrayList<>();
        for (var acl : listed.json().path("acls")) {
            acls.add(String.join(" ", acl.path("principal").asString(), acl.path("resource_type").asString(),
                    acl.path("resource_name").asString(), acl.path("pattern_type").asString(),
                    acl.path("operation").asString(), acl.path("permission").asString()));
        }
        return acls;
    }

    private static Set<String> topicNames() {
        return get(admin.listTopics().names());
    }

    private static <T> T get(java.util.concurrent.Future<T> future) {
        try {
            return future.get(2, TimeUnit.MINUTES);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void assertFails(java.util.concurrent.Future<?> future, Class<? extends Throwable> error,
                                    String message) {
        var failure = assertThatThrownBy(() -> future.get(2, TimeUnit.MINUTES))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(error);
        if (message != null) {
            failure.hasMessageContaining(message);
        }
    }

    private static AbstractResponse call(ApiKeys api, AbstractRequest.Builder<?> builder) throws IOException {
        return KafkaWire.call(cluster.kafkaBootstrap(), api, builder);
    }
}

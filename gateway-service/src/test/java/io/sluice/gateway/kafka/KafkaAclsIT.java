package io.sluice.gateway.kafka;

import static io.sluice.gateway.kafka.KafkaTools.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.gateway.kafka.KafkaTools.ToolRun;
import io.sluice.gateway.testing.GatewayCluster;
import io.sluice.launcher.ServiceKind;
import io.sluice.testing.SecurityFiles;
import io.sluice.testing.SluiceCluster;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.CreateAclsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.tools.AclCommand;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import tools.jackson.databind.JsonNode;

/**
 * Kafka's admin client managing Sluice's ACLs through the Kafka listener, with security on and real processes (a
 * coordinator, one partition service, the gateway jar), and kafka-acls (kafka-tools from Maven Central, in-process):
 * bindings created, described and deleted over Kafka are the ACLs the HTTP ACL API lists, and what Sluice cannot
 * store is refused per binding. The clients sign in with SASL PLAIN as the super user; a user without ALTER on the
 * cluster may not manage ACLs. The same ACLs guard the schema registry's subjects. The gateway enforces masking
 * ({@code masked-.*} topics' {@code card}) on every HTTP read but the super user's.
 */
class KafkaAclsIT {

    private static final String CLUSTER_SECRET = "kafka-acls-it-" + UUID.randomUUID();
    private static final String ADMIN_PASSWORD = "kafka-acls-it-" + UUID.randomUUID();
    private static final String DAVE_PASSWORD = "kafka-acls-it-dave-" + UUID.randomUUID();

    private static SecurityFiles secrets;
    private static SluiceCluster cluster;
    private static Admin admin;
    private static Path commandConfig;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void startSecuredCluster() throws IOException {
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.apache.kafka"))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        secrets = SecurityFiles.create("kafka-acls-it");
        Path users = secrets.write("users", "admin:" + new BCryptPasswordEncoder(4).encode(ADMIN_PASSWORD) + "\n"
                + "dave:" + new BCryptPasswordEncoder(4).encode(DAVE_PASSWORD) + "\n");
        String importIt = secrets.importArgument(
                "sluice.security.enabled=true",
                "sluice.security.cluster-secret=" + CLUSTER_SECRET,
                "sluice.security.basic.users-file=" + users,
                "sluice.security.super-users=User:admin");
        cluster = SluiceCluster.builder("KafkaAclsIT").nodes(1).withGateway().clusterSecret(CLUSTER_SECRET)
                .readyTimeout(Duration.ofMinutes(3))
                .args(ServiceKind.COORDINATOR, importIt)
                .args(ServiceKind.PARTITION, importIt)
                .args(ServiceKind.GATEWAY, importIt, "--sluice.gateway.masking.enforce=true",
                        "--sluice.gateway.masking.unmasked-principals=User:admin",
                        "--sluice.gateway.masking.rules[0].topics=masked-.*",
                        "--sluice.gateway.masking.rules[0].fields=card")
                .start();
        admin = Admin.create(signedIn("admin", ADMIN_PASSWORD));
        commandConfig = secrets.write("admin-client.properties", signedIn("admin", ADMIN_PASSWORD).entrySet()
                .stream().map(e -> e.getKey() + "=" + e.getValue()).collect(java.util.stream.Collectors.joining("\n")));
    }

    @AfterAll
    static void stopCluster() throws IOException {
        if (admin != null) {
            admin.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        if (secrets != null) {
            secrets.close();
        }
    }

    @Test
    void aclsCreatedOverKafkaAreSluicesAclsDescribedAndDeletedOverKafka() throws Exception {
        List<AclBinding> carols = List.of(
                acl(ResourceType.TOPIC, "orders", PatternType.LITERAL, "User:carol", AclOperation.READ,
                        AclPermissionType.ALLOW),
                acl(ResourceType.TOPIC, "logs-", PatternType.PREFIXED, "User:carol", AclOperation.WRITE,
                        AclPermissionType.DENY),
                acl(ResourceType.GROUP, "carol-group", PatternType.LITERAL, "User:carol", AclOperation.READ,
                        AclPermissionType.ALLOW),
                acl(ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL, "User:carol",
                        AclOperation.DESCRIBE_CONFIGS, AclPermissionType.ALLOW));

        get(admin.createAcls(carols).all());

        assertThat(get(admin.describeAcls(ofPrincipal("User:carol")).values()))
                .containsExactlyInAnyOrderElementsOf(carols);
        assertThat(httpAcls("User:carol")).containsExactlyInAnyOrder(
                "User:carol TOPIC orders LITERAL READ ALLOW",
                "User:carol TOPIC logs- PREFIXED WRITE DENY",
                "User:carol GROUP carol-group LITERAL READ ALLOW",
                "User:carol CLUSTER kafka-cluster LITERAL DESCRIBE_CONFIGS ALLOW");
        AclBindingFilter carolsTopics = new AclBindingFilter(new ResourcePatternFilter(ResourceType.TOPIC, null,
                PatternType.ANY), new AccessControlEntryFilter("User:carol", null, AclOperation.ANY,
                AclPermissionType.ANY));
        assertThat(get(admin.deleteAcls(List.of(carolsTopics)).all())).containsExactlyInAnyOrder(carols.get(0),
                carols.get(1));
        assertThat(get(admin.describeAcls(ofPrincipal("User:carol")).values()))
                .containsExactlyInAnyOrder(carols.get(2), carols.get(3));
        assertThat(httpAcls("User:carol")).hasSize(2);
    }

    @Test
    void whatSluiceCannotStoreIsRefusedPerBindingAndTheRestIsCreated() {
        AclBinding oneHost = new AclBinding(new ResourcePattern(ResourceType.TOPIC, "orders", PatternType.LITERAL),
                new AccessControlEntry("User:dave", "10.0.0.1", AclOperation.READ, AclPermissionType.ALLOW));
        AclBinding delegationToken = acl(ResourceType.DELEGATION_TOKEN, "token", PatternType.LITERAL, "User:dave",
                AclOperation.DESCRIBE, AclPermissionType.ALLOW);
        AclBinding transactionalId = acl(ResourceType.TRANSACTIONAL_ID, "tx", PatternType.LITERAL, "User:dave",
                AclOperation.WRITE, AclPermissionType.ALLOW);
        AclBinding idempotentWrite = acl(ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL, "User:dave",
                AclOperation.IDEMPOTENT_WRITE, AclPermissionType.ALLOW);
        AclBinding noUserPrefix = acl(ResourceType.TOPIC, "orders", PatternType.LITERAL, "dave", AclOperation.READ,
                AclPermissionType.ALLOW);
        AclBinding fine = acl(ResourceType.TOPIC, "orders", PatternType.LITERAL, "User:dave", AclOperation.READ,
                AclPermissionType.ALLOW);

        CreateAclsResult created = admin.createAcls(List.of(oneHost, delegationToken, idempotentWrite, noUserPrefix,
                fine, transactionalId));

        assertRefused(created.values().get(oneHost), "host must be '*'");
        assertRefused(created.values().get(delegationToken), "resource type DELEGATION_TOKEN");
        assertRefused(created.values().get(idempotentWrite), "operation IDEMPOTENT_WRITE");
        assertRefused(created.values().get(noUserPrefix), "principal must be 'User:<name>'");
        assertThat(get(created.values().get(fine))).isNull();
        assertThat(get(created.values().get(transactionalId))).isNull();
        assertThat(get(admin.describeAcls(ofPrincipal("User:dave")).values()))
                .containsExactlyInAnyOrder(fine, transactionalId);
    }

    @Test
    void aDeletionOfEveryAclAndAMatchFilterAreRefused() {
        assertRefused(admin.deleteAcls(List.of(AclBindingFilter.ANY)).all(), "names at least one");
        assertRefused(admin.describeAcls(new AclBindingFilter(new ResourcePatternFilter(ResourceType.TOPIC, "orders",
                PatternType.MATCH), AccessControlEntryFilter.ANY)).values(), "not MATCH");
    }

    @Test
    void aUserWithoutAlterOnTheClusterMayNotManageAcls() throws Exception {
        try (Admin dave = Admin.create(signedIn("dave", DAVE_PASSWORD))) {
            List<AclBinding> wanted = List.of(acl(ResourceType.TOPIC, "daves", PatternType.LITERAL, "User:dave",
                    AclOperation.ALL, AclPermissionType.ALLOW));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> get(dave.createAcls(wanted).all()))
                    .hasRootCauseInstanceOf(org.apache.kafka.common.errors.ClusterAuthorizationException.class);
        }
        assertThat(httpAcls("User:dave")).noneMatch(acl -> acl.contains(" daves "));
    }

    @Test
    void aConsumerGroupNeedsReadOnTheGroupAsOverHttp() throws Exception {
        try {
            consumeAsDave();
        } finally {
            get(admin.deleteAcls(List.of(ofPrincipal("User:dave"))).all());
        }
    }

    /** OffsetDelete needs DELETE on the group, then READ on each topic, as Kafka's broker checks them. */
    @Test
    void offsetDeleteNeedsDeleteOnTheGroupAndReadOnTheTopic() throws Exception {
        try {
            deleteOffsetsAsDave();
        } finally {
            get(admin.deleteAcls(List.of(ofPrincipal("User:dave"))).all());
        }
    }

    /** A group's configs need DESCRIBE_CONFIGS on the group to be read and ALTER_CONFIGS to be changed, as at Kafka. */
    @Test
    void aGroupsConfigsNeedDescribeConfigsAndAlterConfigsOnTheGroup() throws Exception {
        try {
            alterGroupConfigsAsDave();
        } finally {
            get(admin.deleteAcls(List.of(ofPrincipal("User:dave"))).all());
        }
    }

    /** Broker configs need DESCRIBE_CONFIGS on the cluster to be read and ALTER_CONFIGS on it to be changed. */
    @Test
    void brokerConfigsNeedDescribeConfigsAndAlterConfigsOnTheCluster() throws Exception {
        ConfigResource everyBroker = new ConfigResource(ConfigResource.Type.BROKER, "");
        Map<ConfigResource, java.util.Collection<AlterConfigOp>> partitions = Map.of(everyBroker, List.of(
                new AlterConfigOp(new ConfigEntry("num.partitions", "6"), AlterConfigOp.OpType.SET)));
        try (Admin dave = Admin.create(signedIn("dave", DAVE_PASSWORD))) {
            assertThatThrownBy(() -> dave.describeConfigs(List.of(everyBroker)).all().get(2, TimeUnit.MINUTES))
                    .as("without DESCRIBE_CONFIGS").cause()
                    .isInstanceOf(org.apache.kafka.common.errors.ClusterAuthorizationException.class);
            get(admin.createAcls(List.of(acl(ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL,
                    "User:dave", AclOperation.DESCRIBE_CONFIGS, AclPermissionType.ALLOW))).all());
            assertThatThrownBy(() -> dave.incrementalAlterConfigs(partitions).all().get(2, TimeUnit.MINUTES))
                    .as("with DESCRIBE_CONFIGS only").cause()
                    .isInstanceOf(org.apache.kafka.common.errors.ClusterAuthorizationException.class);
            assertThat(get(dave.describeConfigs(List.of(everyBroker)).all()).get(everyBroker).entries()).isEmpty();

            get(admin.createAcls(List.of(acl(ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL,
                    "User:dave", AclOperation.ALTER_CONFIGS, AclPermissionType.ALLOW))).all());
            get(dave.incrementalAlterConfigs(partitions).all());
            assertThat(get(dave.describeConfigs(List.of(everyBroker)).all()).get(everyBroker)
                    .get("num.partitions").value()).isEqualTo("6");
        } finally {
            get(admin.incrementalAlterConfigs(Map.of(everyBroker, List.of(new AlterConfigOp(
                    new ConfigEntry("num.partitions", ""), AlterConfigOp.OpType.DELETE)))).all());
            get(admin.deleteAcls(List.of(ofPrincipal("User:dave"))).all());
        }
    }

    private void alterGroupConfigsAsDave() throws Exception {
        ConfigResource group = new ConfigResource(ConfigResource.Type.GROUP, "daves-share-group");
        Map<ConfigResource, java.util.Collection<AlterConfigOp>> lock = Map.of(group, List.of(new AlterConfigOp(
                new ConfigEntry("share.record.lock.duration.ms", "60000"), AlterConfigOp.OpType.SET)));
        try (Admin dave = Admin.create(signedIn("dave", DAVE_PASSWORD))) {
            assertThatThrownBy(() -> dave.describeConfigs(List.of(group)).all().get(2, TimeUnit.MINUTES))
                    .as("without DESCRIBE_CONFIGS").cause().isInstanceOf(GroupAuthorizationException.class);
            assertThatThrownBy(() -> dave.incrementalAlterConfigs(lock).all().get(2, TimeUnit.MINUTES))
                    .as("without ALTER_CONFIGS").cause().isInstanceOf(GroupAuthorizationException.class);

            get(admin.createAcls(List.of(acl(ResourceType.GROUP, "daves-share-group", PatternType.LITERAL,
                    "User:dave", AclOperation.DESCRIBE_CONFIGS, AclPermissionType.ALLOW))).all());
            assertThat(get(dave.describeConfigs(List.of(group)).all()).get(group)
                    .get("share.record.lock.duration.ms").value()).isEqualTo("30000");
            assertThatThrownBy(() -> dave.incrementalAlterConfigs(lock).all().get(2, TimeUnit.MINUTES))
                    .as("with DESCRIBE_CONFIGS only").cause().isInstanceOf(GroupAuthorizationException.class);

            get(admin.createAcls(List.of(acl(ResourceType.GROUP, "daves-share-group", PatternType.LITERAL,
                    "User:dave", AclOperation.ALTER_CONFIGS, AclPermissionType.ALLOW))).all());
            get(dave.incrementalAlterConfigs(lock).all());
            assertThat(get(dave.describeConfigs(List.of(group)).all()).get(group)
                    .get("share.record.lock.duration.ms").value()).isEqualTo("60000");
        }
    }

    private void deleteOffsetsAsDave() throws Exception {
        get(admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic("pruned-topic", 1, (short) 1)))
                .all());
        TopicPartition partition = new TopicPartition("pruned-topic", 0);
        get(admin.alterConsumerGroupOffsets("pruned-group", Map.of(partition, new OffsetAndMetadata(0))).all());
        // FindCoordinator needs DESCRIBE on the group.
        get(admin.createAcls(List.of(acl(ResourceType.GROUP, "pruned-group", PatternType.LITERAL, "User:dave",
                AclOperation.DESCRIBE, AclPermissionType.ALLOW))).all());
        try (Admin dave = Admin.create(signedIn("dave", DAVE_PASSWORD))) {
            assertThatThrownBy(() -> dave.deleteConsumerGroupOffsets("pruned-group", Set.of(partition)).all()
                    .get(2, TimeUnit.MINUTES)).as("without DELETE on the group")
                    .cause().isInstanceOf(GroupAuthorizationException.class);

            get(admin.createAcls(List.of(acl(ResourceType.GROUP, "pruned-group", PatternType.LITERAL, "User:dave",
                    AclOperation.DELETE, AclPermissionType.ALLOW))).all());
            assertThatThrownBy(() -> dave.deleteConsumerGroupOffsets("pruned-group", Set.of(partition))
                    .partitionResult(partition).get(2, TimeUnit.MINUTES)).as("without READ on the topic")
                    .cause().isInstanceOf(TopicAuthorizationException.class);
            assertThat(get(admin.listConsumerGroupOffsets("pruned-group").partitionsToOffsetAndMetadata()))
                    .containsKey(partition);

            get(admin.createAcls(List.of(acl(ResourceType.TOPIC, "pruned-topic", PatternType.LITERAL, "User:dave",
                    AclOperation.READ, AclPermissionType.ALLOW))).all());
            get(dave.deleteConsumerGroupOffsets("pruned-group", Set.of(partition)).all());
            assertThat(get(admin.listConsumerGroupOffsets("pruned-group").partitionsToOffsetAndMetadata()))
                    .doesNotContainKey(partition);
        }
    }

    private void consumeAsDave() throws Exception {
        get(admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic("daves-topic", 1, (short) 1)))
                .all());
        get(admin.createAcls(List.of(acl(ResourceType.TOPIC, "daves-topic", PatternType.LITERAL, "User:dave",
                AclOperation.READ, AclPermissionType.ALLOW))).all());
        for (String protocol : List.of("consumer", "classic")) {
            Map<String, Object> settings = new java.util.HashMap<>(signedIn("dave", DAVE_PASSWORD));
            settings.put("group.id", "daves-group");
            settings.put("group.protocol", protocol);
            try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<>(settings,
                    new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                    new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
                consumer.subscribe(List.of("daves-topic"));
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> {
                    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                    while (System.nanoTime() < deadline) {
                        consumer.poll(Duration.ofMillis(200));
                    }
                }).as("group.protocol=%s without READ on the group", protocol)
                        .isInstanceOf(org.apache.kafka.common.errors.GroupAuthorizationException.class);
            }
        }

        get(admin.createAcls(List.of(acl(ResourceType.GROUP, "daves-group", PatternType.LITERAL, "User:dave",
                AclOperation.READ, AclPermissionType.ALLOW))).all());
        Map<String, Object> settings = new java.util.HashMap<>(signedIn("dave", DAVE_PASSWORD));
        settings.put("group.id", "daves-group");
        settings.put("group.protocol", "consumer");
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<>(settings,
                new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            consumer.subscribe(List.of("daves-topic"));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (consumer.assignment().isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200));
            }
            assertThat(consumer.assignment()).as("with READ on the group").containsExactly(
                    new org.apache.kafka.common.TopicPartition("daves-topic", 0));
        }
    }

    /**
     * The same ACLs guard the schema registry: a subject named after a topic by its DESCRIBE (to read) and WRITE (to
     * register), in Confluent's error bodies; listings leave out what the caller may not describe.
     */
    @Test
    void theSchemaRegistrysSubjectsAreGuardedByTheirTopicsAcls() throws Exception {
        String schema = "{\"schema\": \"\\\"string\\\"\"}";
        HttpResponse<String> registered = registry("admin", ADMIN_PASSWORD, "POST",
                "/subjects/guarded-value/versions", schema);
        assertThat(registered.statusCode()).as(registered.body()).isEqualTo(200);
        int id = GatewayCluster.JSON.readTree(registered.body()).path("id").asInt();

        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(cluster.gatewayUrl()
                + "/schema-registry/subjects")).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> deniedRead = registry("dave", DAVE_PASSWORD, "GET", "/subjects/guarded-value/versions",
                null);
        HttpResponse<String> deniedById = registry("dave", DAVE_PASSWORD, "GET", "/schemas/ids/" + id, null);
        HttpResponse<String> unlisted = registry("dave", DAVE_PASSWORD, "GET", "/subjects", null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(GatewayCluster.JSON.readTree(anonymous.body()).path("error_code").asInt()).isEqualTo(40101);
        assertThat(deniedRead.statusCode()).isEqualTo(403);
        assertThat(GatewayCluster.JSON.readTree(deniedRead.body()).path("error_code").asInt()).isEqualTo(40301);
        assertThat(deniedById.statusCode()).isEqualTo(403);
        assertThat(unlisted.body()).doesNotContain("guarded-value");

        get(admin.createAcls(List.of(acl(ResourceType.TOPIC, "guarded", PatternType.LITERAL, "User:dave",
                AclOperation.DESCRIBE, AclPermissionType.ALLOW))).all());

        HttpResponse<String> read = registry("dave", DAVE_PASSWORD, "GET", "/subjects/guarded-value/versions", null);
        HttpResponse<String> byId = registry("dave", DAVE_PASSWORD, "GET", "/schemas/ids/" + id, null);
        HttpResponse<String> listed = registry("dave", DAVE_PASSWORD, "GET", "/subjects", null);
        HttpResponse<String> deniedWrite = registry("dave", DAVE_PASSWORD, "POST", "/subjects/guarded-value/versions",
                "{\"schema\": \"\\\"bytes\\\"\"}");
        assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
        assertThat(read.body()).isEqualTo("[1]");
        assertThat(byId.statusCode()).as(byId.body()).isEqualTo(200);
        assertThat(listed.body()).contains("guarded-value");
        assertThat(deniedWrite.statusCode()).as("registering needs WRITE").isEqualTo(403);
    }

    @Test
    void withMaskingEnforcedAUsersReadsAreMaskedUnaskedAndAnUnmaskedPrincipalsAreNot() throws Exception {
        String topic = "masked-payments";
        get(admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all());
        String card = "4111111111111111";
        HttpResponse<String> written = api("admin", ADMIN_PASSWORD, "POST", "/v1/topics/" + topic + "/records",
                "[{\"value\": {\"id\": \"p-1\", \"card\": \"" + card + "\"}}]", "application/json");
        assertThat(written.statusCode()).as(written.body()).isEqualTo(200);
        get(admin.createAcls(List.of(acl(ResourceType.TOPIC, topic, PatternType.LITERAL, "User:dave",
                AclOperation.READ, AclPermissionType.ALLOW))).all());

        HttpResponse<String> daves = api("dave", DAVE_PASSWORD, "GET", "/v1/topics/" + topic + "/records", null,
                "application/json");
        HttpResponse<String> davesUnmaskAsked = http.send(HttpRequest.newBuilder(URI.create(cluster.gatewayUrl()
                        + "/v1/topics/" + topic + "/records")).header("Authorization", basic("dave", DAVE_PASSWORD))
                .header("Sluice-Mask", "false").build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> davesBatches = http.send(HttpRequest.newBuilder(URI.create(cluster.gatewayUrl()
                        + "/v1/topics/" + topic + "/partitions/0/records")).header("Authorization",
                        basic("dave", DAVE_PASSWORD)).header("Accept", "application/vnd.sluice.record-batch.v2").build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> admins = api("admin", ADMIN_PASSWORD, "GET", "/v1/topics/" + topic + "/records", null,
                "application/json");

        assertThat(daves.statusCode()).as(daves.body()).isEqualTo(200);
        assertThat(daves.body()).contains("\"card\":\"****\"", "p-1").doesNotContain(card);
        assertThat(davesUnmaskAsked.body()).as("a reader cannot ask not to be masked").doesNotContain(card);
        assertThat(davesBatches.statusCode()).isEqualTo(403);
        assertThat(admins.body()).contains(card);
    }

    private HttpResponse<String> api(String user, String password, String method, String path, String body,
                                     String contentType) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(cluster.gatewayUrl() + path))
                .header("Authorization", basic(user, password))
                .header("Content-Type", contentType)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> registry(String user, String password, String method, String path, String body)
            throws IOException, InterruptedException {
        return api(user, password, method, "/schema-registry" + path, body, "application/vnd.schemaregistry.v1+json");
    }

    /**
     * KIP-430's authorized operations: Kafka's Admin, asking for them, reads exactly the operations the ACLs
     * {@code kafka-acls} made grant the principal on a topic, the cluster and a group, and more once an ACL is added;
     * DescribeLogDirs needs DESCRIBE on the cluster.
     */
    @Test
    void authorizedOperationsAreWhatTheAclsGrantAndChangeWhenOneIsAdded() throws Exception {
        try {
            describeAuthorizedOperationsAsDave();
        } finally {
            get(admin.deleteAcls(List.of(ofPrincipal("User:dave"))).all());
        }
    }

    private void describeAuthorizedOperationsAsDave() throws Exception {
        get(admin.createTopics(List.of(new NewTopic("daves-described", 1, (short) 1))).all());
        allowDave("Read", "--topic", "daves-described");
        allowDave("Describe", "--group", "daves-described-group");
        try (Admin dave = Admin.create(signedIn("dave", DAVE_PASSWORD))) {
            assertThatThrownBy(() -> dave.describeLogDirs(List.of(0)).allDescriptions().get(2, TimeUnit.MINUTES))
                    .as("without DESCRIBE on the cluster").cause()
                    .isInstanceOf(org.apache.kafka.common.errors.ClusterAuthorizationException.class);
            allowDave("Describe", "--cluster");

            assertThat(topicOperations(dave)).containsExactlyInAnyOrder(AclOperation.READ, AclOperation.DESCRIBE);
            assertThat(get(dave.describeCluster(new org.apache.kafka.clients.admin.DescribeClusterOptions()
                    .includeAuthorizedOperations(true)).authorizedOperations()))
                    .containsExactly(AclOperation.DESCRIBE);
            assertThat(get(dave.describeCluster().authorizedOperations())).as("not asked").isNull();
            assertThat(get(dave.describeConsumerGroups(List.of("daves-described-group"),
                            new org.apache.kafka.clients.admin.DescribeConsumerGroupsOptions()
                                    .includeAuthorizedOperations(true)).all())
                    .get("daves-described-group").authorizedOperations()).containsExactly(AclOperation.DESCRIBE);
            assertThat(get(dave.describeLogDirs(List.of(0)).allDescriptions())).containsKey(0);

            allowDave("Write", "--topic", "daves-described");
            assertThat(topicOperations(dave))
                    .containsExactlyInAnyOrder(AclOperation.READ, AclOperation.WRITE, AclOperation.DESCRIBE);
        }
        try (Admin superUser = Admin.create(signedIn("admin", ADMIN_PASSWORD))) {
            assertThat(get(superUser.describeCluster(new org.apache.kafka.clients.admin.DescribeClusterOptions()
                    .includeAuthorizedOperations(true)).authorizedOperations())).as("a super user may do anything")
                    .containsExactlyInAnyOrder(AclOperation.CREATE, AclOperation.ALTER, AclOperation.DESCRIBE,
                            AclOperation.DESCRIBE_CONFIGS, AclOperation.ALTER_CONFIGS);
        }
    }

    /** kafka-acls adds an ACL allowing dave {@code operation} on a resource. */
    private void allowDave(String operation, String... resource) {
        List<String> args = new java.util.ArrayList<>(List.of("--bootstrap-server", cluster.kafkaBootstrap(),
                "--command-config", commandConfig.toString(), "--add", "--allow-principal", "User:dave",
                "--operation", operation));
        args.addAll(List.of(resource));
        ToolRun added = run(AclCommand::main, args.toArray(String[]::new));
        assertThat(added.exitCode()).as(added.out()).isZero();
    }

    private static Set<AclOperation> topicOperations(Admin client) throws Exception {
        return get(client.describeTopics(List.of("daves-described"),
                        new org.apache.kafka.clients.admin.DescribeTopicsOptions().includeAuthorizedOperations(true))
                .allTopicNames()).get("daves-described").authorizedOperations();
    }

    /** A client's settings, signed in with SASL PLAIN. */
    private static Map<String, Object> signedIn(String user, String password) {
        return Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.kafkaBootstrap(),
                "security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "PLAIN",
                "sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
                        + user + "\" password=\"" + password + "\";");
    }

    @Test
    void kafkaAclsAddsListsAndRemovesAcls() throws Exception {
        String bootstrap = cluster.kafkaBootstrap();

        ToolRun added = run(AclCommand::main, "--bootstrap-server", bootstrap, "--command-config",
                commandConfig.toString(), "--add", "--allow-principal",
                "User:erin", "--operation", "Read", "--operation", "Describe", "--topic", "erin-topic");
        assertThat(added.exitCode()).isZero();
        assertThat(added.out()).contains("name=erin-topic, patternType=LITERAL",
                "principal=User:erin, host=*, operation=READ, permissionType=ALLOW");
        ToolRun listed = run(AclCommand::main, "--bootstrap-server", bootstrap, "--command-config",
                commandConfig.toString(), "--list", "--topic", "erin-topic");
        assertThat(listed.exitCode()).isZero();
        assertThat(listed.out()).contains("principal=User:erin, host=*, operation=READ, permissionType=ALLOW",
                "principal=User:erin, host=*, operation=DESCRIBE, permissionType=ALLOW");
        ToolRun removed = run(AclCommand::main, "--bootstrap-server", bootstrap, "--command-config",
                commandConfig.toString(), "--remove", "--force",
                "--allow-principal", "User:erin", "--operation", "Read", "--topic", "erin-topic");
        assertThat(removed.exitCode()).isZero();

        assertThat(httpAcls("User:erin")).containsExactly("User:erin TOPIC erin-topic LITERAL DESCRIBE ALLOW");
    }

    private static AclBinding acl(ResourceType type, String name, PatternType pattern, String principal,
                                  AclOperation operation, AclPermissionType permission) {
        return new AclBinding(new ResourcePattern(type, name, pattern),
                new AccessControlEntry(principal, "*", operation, permission));
    }

    private static AclBindingFilter ofPrincipal(String principal) {
        return new AclBindingFilter(ResourcePatternFilter.ANY, new AccessControlEntryFilter(principal, null,
                AclOperation.ANY, AclPermissionType.ANY));
    }

    /** The principal's ACLs as the HTTP ACL API lists them to the super user, one line each. */
    private Set<String> httpAcls(String principal) throws IOException, InterruptedException {
        HttpResponse<String> response = api("admin", ADMIN_PASSWORD, "GET", "/v1/acls?principal=" + principal, null,
                "application/json");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<String> acls = new ArrayList<>();
        for (JsonNode acl : GatewayCluster.JSON.readTree(response.body()).path("acls")) {
            acls.add(String.join(" ", acl.path("principal").asString(), acl.path("resource_type").asString(),
                    acl.path("resource_name").asString(), acl.path("pattern_type").asString(),
                    acl.path("operation").asString(), acl.path("permission").asString()));
        }
        return Set.copyOf(acls);
    }

    private static <T> T get(Future<T> future) {
        try {
            return future.get(2, TimeUnit.MINUTES);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void assertRefused(Future<?> future, String message) {
        assertThatThrownBy(() -> future.get(2, TimeUnit.MINUTES)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(InvalidRequestException.class).hasMessageContaining(message);
    }
}

package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.internal.SluiceJson;
import io.sluice.testing.Commands;
import io.sluice.testing.KafkaWire;
import io.sluice.testing.RequiredTools;
import io.sluice.testing.SecurityFiles;
import io.sluice.testing.SluiceCluster;
import io.sluice.testing.Waits;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.AppConfigurationEntry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.ResourceNotFoundException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.message.AlterUserScramCredentialsRequestData;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.SaslAuthenticateRequestData;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.quota.ClientQuotaAlteration;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.apache.kafka.common.quota.ClientQuotaFilter;
import org.apache.kafka.common.quota.ClientQuotaFilterComponent;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.AlterUserScramCredentialsRequest;
import org.apache.kafka.common.requests.AlterUserScramCredentialsResponse;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.FetchRequest;
import org.apache.kafka.common.requests.FetchResponse;
import org.apache.kafka.common.requests.ListOffsetsRequest;
import org.apache.kafka.common.requests.ListOffsetsResponse;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.ProduceResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.SaslAuthenticateRequest;
import org.apache.kafka.common.requests.SaslAuthenticateResponse;
import org.apache.kafka.common.requests.SaslHandshakeRequest;
import org.apache.kafka.common.requests.SaslHandshakeResponse;
import org.apache.kafka.common.security.auth.AuthenticateCallbackHandler;
import org.apache.kafka.common.security.oauthbearer.OAuthBearerToken;
import org.apache.kafka.common.security.oauthbearer.OAuthBearerTokenCallback;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.internals.Exit;
import org.apache.kafka.tools.ConfigCommand;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.json.JsonMapper;

/**
 * Kafka's own client against a cluster with security on (SASL_PLAINTEXT), on the direct data path: it signs in,
 * produces and fetches at the partitions' leaders, which forward the rest to the gateway as its principal. PLAIN
 * against the users file and OAUTHBEARER against the JWT settings — the credentials HTTP uses — and the same ACLs: a
 * principal without WRITE or READ on a topic gets TOPIC_AUTHORIZATION_FAILED, and gets through once an ACL made over
 * HTTP allows it. SCRAM-SHA-256 and SCRAM-SHA-512 users that Kafka's {@code kafka-configs} manages sign in too. Wrong
 * credentials fail the sign-in, and a client that does not sign in is not served. On the secured cluster it shares
 * with {@link SecurityIT} ({@link SecuredCluster}).
 */
@ExtendWith(SecuredClusterExtension.class)
class KafkaSecurityIT {

    private static final String ADMIN_PASSWORD = SecuredCluster.ADMIN_PASSWORD;
    private static final String ALICE_PASSWORD = SecuredCluster.ALICE_PASSWORD;
    private static final String BOB_PASSWORD = SecuredCluster.BOB_PASSWORD;
    private static final KeyPair SIGNER = SecuredCluster.SIGNER;
    /** The token {@link TokenFile} hands Kafka's client: set by a test before it makes the client. */
    static volatile String currentToken;

    private static SluiceCluster cluster;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final JsonMapper JSON = SluiceJson.mapper();

    @BeforeAll
    static void useSecuredCluster(SluiceCluster shared) {
        cluster = shared;
    }

    @Test
    void aclsDecideWhatASignedInKafkaClientMayDoAndWrongCredentialsAreRefused() throws Exception {
        http("POST", "/v1/topics", "{\"name\":\"secured\",\"partition_count\":1,\"replication_factor\":3}", 201);

        // The super user, with PLAIN: produce and read back.
        try (KafkaProducer<String, String> producer = producer(plain("admin", ADMIN_PASSWORD))) {
            producer.send(new ProducerRecord<>("secured", "k", "from-admin")).get(60, TimeUnit.SECONDS);
        }
        assertThat(readAll(plain("admin", ADMIN_PASSWORD), "secured")).containsExactly("from-admin");

        // alice has no ACL yet: refused, per topic.
        try (KafkaProducer<String, String> producer = producer(plain("alice", ALICE_PASSWORD))) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>("secured", "k", "denied")).get(60,
                    TimeUnit.SECONDS)).hasCauseInstanceOf(TopicAuthorizationException.class);
        }
        assertThatThrownBy(() -> readAll(plain("alice", ALICE_PASSWORD), "secured"))
                .isInstanceOf(TopicAuthorizationException.class);

        // An ACL made over HTTP lets her write and read over Kafka.
        acl("User:alice", "WRITE");
        acl("User:alice", "READ");
        acl("User:alice", "DESCRIBE");
        awaitAclsApplied();
        try (KafkaProducer<String, String> producer = producer(plain("alice", ALICE_PASSWORD))) {
            producer.send(new ProducerRecord<>("secured", "k", "from-alice")).get(60, TimeUnit.SECONDS);
        }
        assertThat(readAll(plain("alice", ALICE_PASSWORD), "secured")).containsExactly("from-admin", "from-alice");

        // A bearer token the JWT settings accept signs in as its subject; one signed by another key does not.
        currentToken = jwt(SIGNER, "alice");
        assertThat(readAll(oauthBearer(), "secured")).containsExactly("from-admin", "from-alice");
        currentToken = jwt(SecurityFiles.rsaKeyPair(), "alice");
        assertThatThrownBy(() -> readAll(oauthBearer(), "secured")).isInstanceOf(SaslAuthenticationException.class);
        // An expired token (ten minutes past, beyond the clock skew allowed) is refused too.
        currentToken = jwt(SIGNER, "alice", -600);
        assertThatThrownBy(() -> readAll(oauthBearer(), "secured")).isInstanceOf(SaslAuthenticationException.class);

        // A wrong password is refused at sign-in, and nothing was written by any refused client.
        assertThatThrownBy(() -> readAll(plain("alice", "not-her-password"), "secured"))
                .isInstanceOf(SaslAuthenticationException.class);
        Properties anonymous = new Properties();
        anonymous.put("bootstrap.servers", cluster.kafkaBootstrap());
        anonymous.put("request.timeout.ms", "5000");
        anonymous.put("default.api.timeout.ms", "10000");
        try (Admin admin = Admin.create(anonymous)) {
            assertThatThrownBy(() -> admin.describeCluster().nodes().get(20, TimeUnit.SECONDS))
                    .isInstanceOf(Exception.class);
        }
        assertThat(readAll(plain("admin", ADMIN_PASSWORD), "secured")).containsExactly("from-admin", "from-alice");

        // Kafka's clients signed in, were authorized and read at the leader itself (the direct data path).
        int leader = cluster.coordinator().describeTopic("secured").partition(0).leader();
        // A client that does not sign in is not served at a node either: ApiVersions is answered, and its first
        // request past it closes the connection, before anything of it is done.
        try (KafkaWire.Connection unsigned = new KafkaWire.Connection(listener(leader))) {
            assertThat(unsigned.call(ApiKeys.API_VERSIONS, new ApiVersionsRequest.Builder()).errorCounts())
                    .containsOnlyKeys(Errors.NONE);
            unsigned.send(metadataFrame());
            assertThat(unsigned.closedByPeer()).as("a Metadata request before SASL at node " + leader).isTrue();
        }
        assertThat(nodeMetrics(leader)).containsPattern(
                "sluice_partition_kafka_requests_seconds_count\\{[^}]*api=\"Fetch\"[^}]*path=\"direct\"[^}]*} [1-9]");
        // Over HTTP the gateway reads from the leader, which admits it on the cluster secret.
        http("GET", "/v1/topics/secured/partitions/0/records?offset=0", null, 200);
        assertThat(send("GET", "/actuator/prometheus", null).body())
                .containsPattern("sluice_internal_fetches_total\\{[^}]*} [1-9]");
    }

    /**
     * Transactions need their transactional id's ACLs over both protocols, as Kafka's do. Without any, a Kafka
     * transactional producer's {@code initTransactions} fails with TransactionalIdAuthorizationException and an HTTP
     * begin is 403 TRANSACTIONAL_ID_AUTHORIZATION_FAILED, though the principal may write the topic. A prefixed ALLOW of
     * WRITE made over HTTP lets both through (a Kafka transaction commits), and only for the ids it prefixes.
     */
    @Test
    void transactionsNeedWriteOnTheirTransactionalIdOverKafkaAndHttp() throws Exception {
        http("POST", "/v1/topics", "{\"name\":\"secured-txn\",\"partition_count\":1,\"replication_factor\":3}", 201);
        acl("User:erin", "TOPIC", "secured-txn", "LITERAL", "WRITE");
        String erin = jwt(SIGNER, "erin");
        currentToken = erin;

        try (KafkaProducer<String, String> producer = transactional(oauthBearer(), "erin-app-1")) {
            assertThatThrownBy(producer::initTransactions).isInstanceOf(TransactionalIdAuthorizationException.class);
        }
        HttpResponse<String> refused = send("Bearer " + erin, "POST", "/v1/transactions",
                "{\"transactional_id\":\"erin-app-2\"}");
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
        assertThat(refused.body()).contains("TRANSACTIONAL_ID_AUTHORIZATION_FAILED", "erin-app-2");

        acl("User:erin", "TRANSACTIONAL_ID", "erin-", "PREFIXED", "WRITE");
        try (KafkaProducer<String, String> producer = transactional(oauthBearer(), "erin-app-1")) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("secured-txn", "k", "in-a-transaction")).get(60, TimeUnit.SECONDS);
            producer.commitTransaction();
        }
        HttpResponse<String> begun = send("Bearer " + erin, "POST", "/v1/transactions",
                "{\"transactional_id\":\"erin-app-2\"}");
        assertThat(begun.statusCode()).as(begun.body()).isEqualTo(201);
        HttpResponse<String> notHers = send("Bearer " + erin, "POST", "/v1/transactions",
                "{\"transactional_id\":\"frank-app\"}");
        assertThat(notHers.statusCode()).as(notHers.body()).isEqualTo(403);
        assertThat(readAll(plain("admin", ADMIN_PASSWORD), "secured-txn")).containsExactly("in-a-transaction");
    }

    /**
     * A principal over its produce-bytes quota is served over Kafka, and told to wait: its answers carry
     * {@code throttle_time_ms}, which Kafka's producer reports, and the partition's leader, where it produces on the
     * direct data path, counts the bytes and the throttling against the quota the gateways' HTTP API applies.
     */
    @Test
    void aProducerOverItsByteQuotaIsThrottledAsKafkaThrottles() throws Exception {
        http("POST", "/v1/topics", "{\"name\":\"throttled\",\"partition_count\":1,\"replication_factor\":3}", 201);
        http("POST", "/v1/acls", "{\"principal\":\"User:bob\",\"resource_type\":\"TOPIC\","
                + "\"resource_name\":\"throttled\",\"pattern_type\":\"LITERAL\",\"operation\":\"WRITE\","
                + "\"permission\":\"ALLOW\"}", 201);
        awaitAclsApplied();
        double throttleMax;
        try (KafkaProducer<String, String> producer = producer(plain("bob", BOB_PASSWORD))) {
            String value = "x".repeat(1024);
            List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
            for (int i = 0; i < 512; i++) {
                sent.add(producer.send(new ProducerRecord<>("throttled", value)));
            }
            for (var future : sent) {
                future.get(2, TimeUnit.MINUTES);
            }
            throttleMax = producer.metrics().entrySet().stream()
                    .filter(metric -> metric.getKey().name().equals("produce-throttle-time-max")
                            && metric.getKey().group().equals("producer-metrics"))
                    .mapToDouble(metric -> ((Number) metric.getValue().metricValue()).doubleValue())
                    .max().orElse(0);
        }
        assertThat(throttleMax).as("the longest throttle time a produce answer carried, ms").isPositive();
        // Counted where the records were produced: at the partition's leader, on the direct data path.
        String metrics = nodeMetrics(cluster.coordinator().describeTopic("throttled").partition(0).leader());
        assertThat(metrics).containsPattern("sluice_quota_throttled_total\\{[^}]*principal=\"User:bob\"[^}]*"
                + "quota=\"produce_bytes\"[^}]*} [1-9]");
        System.out.printf("[figure] Kafka producer over a 64 KB/s quota: longest throttle_time_ms %.0f%n", throttleMax);
    }

    /**
     * Client quotas set with Kafka's own {@code kafka-configs} (ConfigCommand, in a JVM of its own) through
     * AlterClientQuotas, read back through DescribeClientQuotas, and applied where the records are produced (the
     * partition's leader, on the direct data path): bob's client {@code metered} gets the quota set for exactly that
     * user and client id (more specific than bob's configured 64 KB/s), and its acknowledged rate, measured past the
     * first seconds, is that quota within 10 %. Bad alterations (a negative rate, an unknown key, an ip entity) are
     * refused with INVALID_REQUEST, a principal without ALTER_CONFIGS on the cluster with
     * CLUSTER_AUTHORIZATION_FAILED; nothing of them is stored, and each refused entry is in the audit trail.
     */
    @Test
    void clientQuotasSetWithKafkasToolsThrottleAProducerToTheirRate() throws Exception {
        http("POST", "/v1/topics", "{\"name\":\"quota-metered\",\"partition_count\":1,\"replication_factor\":3}",
                201);
        acl("User:bob", "TOPIC", "quota-metered", "LITERAL", "WRITE");
        long quota = 128 * 1024;
        Path adminConfig = Files.createTempFile("admin", ".properties");
        try {
            Properties signIn = new Properties();
            signIn.putAll(plain("admin", ADMIN_PASSWORD));
            try (var out = Files.newBufferedWriter(adminConfig)) {
                signIn.store(out, null);
            }
            List<String> entity = List.of("--entity-type", "users", "--entity-name", "bob", "--entity-type",
                    "clients", "--entity-name", "metered");
            assertThat(configCommand(adminConfig, entity, "--alter", "--add-config", "producer_byte_rate=" + quota)
                    .exitCode()).isZero();
            assertThat(configCommand(adminConfig, entity, "--describe").out())
                    .contains("producer_byte_rate=" + (double) quota);
            assertThat(configCommand(adminConfig, entity, "--alter", "--add-config", "producer_byte_rate=-5")
                    .exitCode()).as("a negative rate through kafka-configs").isNotZero();
        } finally {
            Files.delete(adminConfig);
        }

        ClientQuotaEntity metered = new ClientQuotaEntity(Map.of(ClientQuotaEntity.USER, "bob",
                ClientQuotaEntity.CLIENT_ID, "metered"));
        try (Admin admin = admin(plain("admin", ADMIN_PASSWORD))) {
            for (ClientQuotaAlteration bad : List.of(
                    new ClientQuotaAlteration(metered, List.of(new ClientQuotaAlteration.Op("producer_byte_rate",
                            -1.0))),
                    new ClientQuotaAlteration(metered, List.of(new ClientQuotaAlteration.Op("request_percentage",
                            50.0))),
                    new ClientQuotaAlteration(new ClientQuotaEntity(Map.of(ClientQuotaEntity.IP, "127.0.0.1")),
                            List.of(new ClientQuotaAlteration.Op("producer_byte_rate", 1000.0))))) {
                assertThatThrownBy(() -> admin.alterClientQuotas(List.of(bad)).all().get(30, TimeUnit.SECONDS))
                        .as(bad.toString()).hasCauseInstanceOf(InvalidRequestException.class);
            }
            assertThat(admin.describeClientQuotas(ClientQuotaFilter.containsOnly(List.of(
                            ClientQuotaFilterComponent.ofEntity(ClientQuotaEntity.USER, "bob"),
                            ClientQuotaFilterComponent.ofEntity(ClientQuotaEntity.CLIENT_ID, "metered"))))
                    .entities().get(30, TimeUnit.SECONDS))
                    .as("the quotas after the refused alterations").containsExactly(
                            Map.entry(metered, Map.of("producer_byte_rate", (double) quota)));
        }
        try (Admin alice = admin(plain("alice", ALICE_PASSWORD))) {
            assertThatThrownBy(() -> alice.alterClientQuotas(List.of(new ClientQuotaAlteration(metered, List.of(
                    new ClientQuotaAlteration.Op("producer_byte_rate", 1.0e9))))).all().get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(ClusterAuthorizationException.class);
        }
        assertThat(JSON.readTree(send("GET", "/v1/audit?principal=User:admin&outcome=FAILED&resource_name="
                + "client-quotas", null).body()).path("entries").size()).as("refused alterations audited")
                .isGreaterThanOrEqualTo(3);
        awaitQuotasApplied();

        // Produced at the leader under the quota: the acknowledged bytes per second, past the first seconds (the
        // bucket starts with one second's worth), are the quota's.
        Map<String, String> metering = new HashMap<>(plain("bob", BOB_PASSWORD));
        metering.put(ProducerConfig.CLIENT_ID_CONFIG, "metered");
        metering.put(ProducerConfig.BUFFER_MEMORY_CONFIG, "262144");
        metering.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        String value = "q".repeat(1024);
        List<long[]> acked = Collections.synchronizedList(new ArrayList<>());
        long start = System.nanoTime();
        try (KafkaProducer<String, String> producer = producer(metering)) {
            while (System.nanoTime() - start < Duration.ofSeconds(14).toNanos()) {
                producer.send(new ProducerRecord<>("quota-metered", value), (metadata, error) -> {
                    if (error == null) {
                        acked.add(new long[] {System.nanoTime(), metadata.serializedValueSize()});
                    }
                });
            }
            producer.flush();
        }
        long from = start + Duration.ofSeconds(4).toNanos();
        List<long[]> steady = acked.stream().filter(ack -> ack[0] >= from).sorted(Comparator.comparingLong(
                ack -> ack[0])).toList();
        double seconds = (steady.getLast()[0] - steady.getFirst()[0]) / 1e9;
        double rate = steady.stream().mapToLong(ack -> ack[1]).sum() / seconds;
        System.out.printf("[figure] Kafka producer under a %d B/s client quota (user bob, client metered): %.0f B/s "
                + "of record values acknowledged over %.1f s%n", quota, rate, seconds);
        assertThat(rate).as("acknowledged bytes per second").isBetween(0.9 * quota, 1.1 * quota);
        assertThat(readAll(plain("admin", ADMIN_PASSWORD), "quota-metered")).as("every acknowledged record")
                .hasSize(acked.size());
    }

    /**
     * A partition's leader authorizes what it serves itself, as the signed-in principal, whatever the client asked of
     * the gateway before: bob, signed in at the leader's own listener with no ACL on the topic, is refused Produce,
     * Fetch and ListOffsets there with TOPIC_AUTHORIZATION_FAILED, and each refusal is an audit event of that node;
     * the super user's produce right after is the partition's first record, so the refused one wrote nothing.
     */
    @Test
    void aLeaderAuthorizesWhatItServesAsTheSignedInPrincipal() throws Exception {
        http("POST", "/v1/topics", "{\"name\":\"secured-node\",\"partition_count\":1,\"replication_factor\":3}",
                201);
        int leader = Waits.await("secured-node led", Duration.ofSeconds(30), () -> {
            int now = cluster.coordinator().describeTopic("secured-node").partition(0).leader();
            return now > 0 ? now : null;
        });
        String atLeader = listener(leader);
        double deniedBefore = denials(leader);
        ProduceRequestData produce = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(30_000);
        produce.topicData().add(new ProduceRequestData.TopicProduceData().setName("secured-node").setPartitionData(
                List.of(new ProduceRequestData.PartitionProduceData().setIndex(0).setRecords(MemoryRecords.withRecords(
                        Compression.NONE, new SimpleRecord("from-bob".getBytes(StandardCharsets.UTF_8)))))));
        try (KafkaWire.Connection bob = signedIn(atLeader, "bob", BOB_PASSWORD)) {
            ProduceResponse produced = (ProduceResponse) bob.call(ApiKeys.PRODUCE, (short) 12,
                    new ProduceRequest.Builder((short) 12, (short) 12, produce));
            assertThat(Errors.forCode(produced.data().responses().iterator().next().partitionResponses().getFirst()
                    .errorCode())).as("bob's produce at the leader").isEqualTo(Errors.TOPIC_AUTHORIZATION_FAILED);
            FetchResponse fetched = (FetchResponse) bob.call(ApiKeys.FETCH, (short) 12, new FetchRequest.SimpleBuilder(
                    new FetchRequestData().setMaxWaitMs(0).setMinBytes(1).setMaxBytes(1 << 20).setTopics(List.of(
                            new FetchRequestData.FetchTopic().setTopic("secured-node").setPartitions(List.of(
                                    new FetchRequestData.FetchPartition().setPartition(0).setFetchOffset(0)
                                            .setPartitionMaxBytes(1 << 20)))))));
            assertThat(Errors.forCode(fetched.data().responses().getFirst().partitions().getFirst().errorCode()))
                    .as("bob's fetch at the leader").isEqualTo(Errors.TOPIC_AUTHORIZATION_FAILED);
            ListOffsetsResponse offsets = (ListOffsetsResponse) bob.call(ApiKeys.LIST_OFFSETS,
                    ListOffsetsRequest.Builder.forConsumer(false, IsolationLevel.READ_UNCOMMITTED).setTargetTimes(
                            List.of(new ListOffsetsRequestData.ListOffsetsTopic().setName("secured-node")
                                    .setPartitions(List.of(new ListOffsetsRequestData.ListOffsetsPartition()
                                            .setPartitionIndex(0).setTimestamp(-1))))));
            assertThat(Errors.forCode(offsets.data().topics().getFirst().partitions().getFirst().errorCode()))
                    .as("bob's ListOffsets at the leader").isEqualTo(Errors.TOPIC_AUTHORIZATION_FAILED);
        }
        assertThat(denials(leader) - deniedBefore).as("the leader's audit events of denials").isGreaterThanOrEqualTo(3);
        try (KafkaWire.Connection admin = signedIn(atLeader, "admin", ADMIN_PASSWORD)) {
            ProduceResponse produced = (ProduceResponse) admin.call(ApiKeys.PRODUCE, (short) 12,
                    new ProduceRequest.Builder((short) 12, (short) 12, produce));
            var answer = produced.data().responses().iterator().next().partitionResponses().getFirst();
            assertThat(Errors.forCode(answer.errorCode())).isEqualTo(Errors.NONE);
            assertThat(answer.baseOffset()).as("the super user's record is the first: bob's wrote nothing").isZero();
        }
    }

    // ---- helpers

    /**
     * SCRAM users as a Kafka operator manages them: Kafka's own {@code kafka-configs} adds a SCRAM-SHA-512 and a
     * SCRAM-SHA-256 credential (one command each: Kafka's controller takes one alteration of a user a request), the
     * admin client describes them, and Kafka's Java producer and consumer sign in with each mechanism — at the gateway
     * for metadata and at the partition leaders' own listeners for produce and fetch (the direct data path). kcat
     * (librdkafka) signs in with SCRAM-SHA-512 too (SASL_PLAINTEXT: this cluster's Kafka listeners have no TLS). The
     * same password signs in over HTTP Basic. A wrong password is refused; iterations out of range and an unknown
     * mechanism are refused with Kafka's errors and change nothing, each attempt an audit line; a deleted credential
     * no longer signs in while the other mechanism's still does.
     */
    @Test
    void scramUsersManagedWithKafkaConfigsSignInWithEachMechanismAtTheGatewayAndTheLeaders() throws Exception {
        http("POST", "/v1/topics", "{\"name\":\"secured-scram\",\"partition_count\":1,\"replication_factor\":3}",
                201);
        acl("User:scram-sam", "TOPIC", "secured-scram", "LITERAL", "WRITE");
        acl("User:scram-sam", "TOPIC", "secured-scram", "LITERAL", "READ");
        String password512 = "sam-512-" + java.util.UUID.randomUUID();
        String password256 = "sam-256-" + java.util.UUID.randomUUID();

        assertThat(configs("--alter", "--add-config", "SCRAM-SHA-512=[password=" + password512 + "]",
                "--entity-type", "users", "--entity-name", "scram-sam").exitCode()).isZero();
        assertThat(configs("--alter", "--add-config", "SCRAM-SHA-256=[iterations=8192,password=" + password256 + "]",
                "--entity-type", "users", "--entity-name", "scram-sam").exitCode()).isZero();
        assertThat(describeScram("scram-sam")).containsExactlyInAnyOrder("SCRAM_SHA_512:4096", "SCRAM_SHA_256:8192");
        // Every user at once, as an operator lists them: the tool asks for the quotas and the SCRAM users of all.
        KafkaToolRun everyUser = configs("--describe", "--entity-type", "users");
        assertThat(everyUser.exitCode()).as(everyUser.err()).isZero();
        assertThat(everyUser.out()).contains("SCRAM credential configs for user-principal 'scram-sam' are ")
                .contains("SCRAM-SHA-256=iterations=8192").contains("SCRAM-SHA-512=iterations=4096");
        awaitScramCredentialsApplied();

        try (KafkaProducer<String, String> producer = producer(scram("SCRAM-SHA-512", "scram-sam", password512))) {
            producer.send(new ProducerRecord<>("secured-scram", "k", "over-512")).get(60, TimeUnit.SECONDS);
        }
        try (KafkaProducer<String, String> producer = producer(scram("SCRAM-SHA-256", "scram-sam", password256))) {
            producer.send(new ProducerRecord<>("secured-scram", "k", "over-256")).get(60, TimeUnit.SECONDS);
        }
        assertThat(readAll(scram("SCRAM-SHA-256", "scram-sam", password256), "secured-scram"))
                .containsExactly("over-512", "over-256");
        assertThat(readAll(scram("SCRAM-SHA-512", "scram-sam", password512), "secured-scram"))
                .containsExactly("over-512", "over-256");
        int leader = cluster.coordinator().describeTopic("secured-scram").partition(0).leader();
        assertThat(nodeMetrics(leader)).as("produce and fetch signed in at the leader's own listener")
                .containsPattern("sluice_partition_kafka_requests_seconds_count\\{[^}]*api=\"Produce\"[^}]*} [1-9]");

        Path kcat = RequiredTools.require("kcat", "kcat");
        List<String> kcatScram = List.of(kcat.toString(), "-b", cluster.kafkaBootstrap(), "-X",
                "security.protocol=SASL_PLAINTEXT", "-X", "sasl.mechanisms=SCRAM-SHA-512", "-X",
                "sasl.username=scram-sam", "-X", "sasl.password=" + password512);
        Commands.Run produced = Commands.run(concat(kcatScram, "-t", "secured-scram", "-P", "-p", "0"),
                "from-kcat\n", Duration.ofSeconds(60));
        assertThat(produced.exitCode()).as(produced.out()).isZero();
        Commands.Run consumed = Commands.run(concat(kcatScram, "-t", "secured-scram", "-C", "-e", "-q", "-o",
                "beginning", "-f", "%s\\n"), "", Duration.ofSeconds(60));
        assertThat(consumed.out().lines().toList()).containsExactly("over-512", "over-256", "from-kcat");

        // The same user and password over HTTP Basic; a wrong password over SCRAM and over HTTP is refused.
        String basic = "Basic " + Base64.getEncoder().encodeToString(("scram-sam:" + password512)
                .getBytes(StandardCharsets.UTF_8));
        assertThat(send(basic, "GET", "/v1/topics/secured-scram/partitions/0/records?offset=0", null).statusCode())
                .isEqualTo(200);
        assertThatThrownBy(() -> readAll(scram("SCRAM-SHA-512", "scram-sam", password256), "secured-scram"))
                .isInstanceOf(SaslAuthenticationException.class);
        assertThatThrownBy(() -> readAll(scram("SCRAM-SHA-512", "scram-nobody", password512), "secured-scram"))
                .isInstanceOf(SaslAuthenticationException.class);
        assertThat(send("Basic " + Base64.getEncoder().encodeToString(("scram-sam:wrong")
                .getBytes(StandardCharsets.UTF_8)), "GET", "/v1/topics", null).statusCode()).isEqualTo(401);

        // Iterations past Kafka's maximum: UNACCEPTABLE_CREDENTIAL, the credential as it was, an audit line.
        KafkaToolRun tooMany = configs("--alter", "--add-config", "SCRAM-SHA-512=[iterations=20000,password=other]",
                "--entity-type", "users", "--entity-name", "scram-sam");
        assertThat(tooMany.exitCode()).isNotZero();
        assertThat(tooMany.out() + tooMany.err()).contains("Too many iterations");
        assertThat(describeScram("scram-sam")).containsExactlyInAnyOrder("SCRAM_SHA_512:4096", "SCRAM_SHA_256:8192");
        assertThat(readAll(scram("SCRAM-SHA-512", "scram-sam", password512), "secured-scram")).hasSize(3);
        assertThat(send("GET", "/v1/audit?principal=User:admin&outcome=FAILED&resource_name=kafka-cluster", null)
                .body()).contains("AlterUserScramCredentials User:scram-sam");

        // A mechanism Kafka does not know (type 3), sent as a client would: UNSUPPORTED_SASL_MECHANISM, nothing stored.
        try (KafkaWire.Connection admin = signedIn(cluster.kafkaBootstrap(), "admin", ADMIN_PASSWORD)) {
            var answer = (AlterUserScramCredentialsResponse) admin.call(ApiKeys.ALTER_USER_SCRAM_CREDENTIALS,
                    new AlterUserScramCredentialsRequest.Builder(new AlterUserScramCredentialsRequestData()
                            .setUpsertions(List.of(new AlterUserScramCredentialsRequestData.ScramCredentialUpsertion()
                                    .setName("scram-tom").setMechanism((byte) 3).setIterations(4096)
                                    .setSalt("salt".getBytes(StandardCharsets.UTF_8))
                                    .setSaltedPassword(new byte[32])))));
            assertThat(answer.data().results()).singleElement().satisfies(result -> assertThat(
                    Errors.forCode(result.errorCode())).isEqualTo(Errors.UNSUPPORTED_SASL_MECHANISM));
        }
        assertThat(describeScram("scram-tom")).isEmpty();

        // Deleted: SCRAM-SHA-256 no longer signs in, SCRAM-SHA-512 still does.
        assertThat(configs("--alter", "--delete-config", "SCRAM-SHA-256", "--entity-type", "users", "--entity-name",
                "scram-sam").exitCode()).isZero();
        assertThat(describeScram("scram-sam")).containsExactly("SCRAM_SHA_512:4096");
        awaitScramCredentialsApplied();
        assertThatThrownBy(() -> readAll(scram("SCRAM-SHA-256", "scram-sam", password256), "secured-scram"))
                .isInstanceOf(SaslAuthenticationException.class);
        assertThat(readAll(scram("SCRAM-SHA-512", "scram-sam", password512), "secured-scram")).hasSize(3);
    }

    /** What a Kafka tool printed and how it ended: the code of its first call to Exit, 0 when it made none. */
    private record KafkaToolRun(int exitCode, String out, String err) {
    }

    /** Kafka's {@code kafka-configs} against the gateway, signed in as the admin, its output captured. */
    private static synchronized KafkaToolRun configs(String... args) throws Exception {
        java.nio.file.Path properties = java.nio.file.Files.createTempFile("kafka-configs", ".properties");
        try {
            Properties admin = new Properties();
            admin.putAll(plain("admin", ADMIN_PASSWORD));
            try (var out = java.nio.file.Files.newBufferedWriter(properties)) {
                admin.store(out, null);
            }
            List<String> command = new java.util.ArrayList<>(List.of("--bootstrap-server", cluster.kafkaBootstrap(),
                    "--command-config", properties.toString()));
            command.addAll(List.of(args));
            java.io.PrintStream stdout = System.out;
            java.io.PrintStream stderr = System.err;
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
            List<Integer> exits = new java.util.ArrayList<>();
            Exit.setExitProcedure((code, message) -> exits.add(code));
            System.setOut(new java.io.PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new java.io.PrintStream(err, true, StandardCharsets.UTF_8));
            try {
                ConfigCommand.main(command.toArray(String[]::new));
            } finally {
                System.setOut(stdout);
                System.setErr(stderr);
                Exit.resetExitProcedure();
            }
            KafkaToolRun run = new KafkaToolRun(exits.isEmpty() ? 0 : exits.getFirst(),
                    out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
            System.out.println("$ kafka-configs " + String.join(" ", args) + "\n" + run.out() + run.err());
            return run;
        } finally {
            java.nio.file.Files.deleteIfExists(properties);
        }
    }

    /** {@code user}'s SCRAM credentials as Kafka's admin client describes them: {@code MECHANISM:iterations}. */
    private static List<String> describeScram(String user) throws Exception {
        Properties asAdmin = new Properties();
        asAdmin.put("bootstrap.servers", cluster.kafkaBootstrap());
        asAdmin.putAll(plain("admin", ADMIN_PASSWORD));
        try (Admin admin = Admin.create(asAdmin)) {
            return admin.describeUserScramCredentials(List.of(user)).description(user).get(30, TimeUnit.SECONDS)
                    .credentialInfos().stream().map(info -> info.mechanism() + ":" + info.iterations()).toList();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof ResourceNotFoundException) {
                return List.of();
            }
            throw e;
        }
    }

    private static Map<String, String> scram(String mechanism, String user, String password) {
        return Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", mechanism, "sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                        + "\" password=\"" + password + "\";");
    }

    private static List<String> concat(List<String> first, String... more) {
        List<String> all = new java.util.ArrayList<>(first);
        all.addAll(List.of(more));
        return all;
    }

    /**
     * Waits until every partition service holds as many SCRAM credentials as the gateway lists: each re-reads them
     * every {@code sluice.security.scram.refresh-interval} (1 s here).
     */
    private static void awaitScramCredentialsApplied() throws Exception {
        int listed = 0;
        for (var user : JSON.readTree(send("GET", "/v1/users", null).body()).path("scram_users")) {
            listed += user.path("credentials").size();
        }
        int expected = listed;
        for (int node = 1; node <= 3; node++) {
            int n = node;
            Waits.await("node " + node + " holding the " + expected + " SCRAM credentials", Duration.ofSeconds(30),
                    () -> {
                        try {
                            return nodeMetrics(n).lines().anyMatch(line -> line.startsWith(
                                    "sluice_partition_scram_credentials{") && Double.parseDouble(
                                    line.substring(line.lastIndexOf(' ') + 1)) == expected) ? true : null;
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    });
        }
    }

    /** A connection to {@code listener} signed in with SASL PLAIN as {@code user}, as a client signs in. */
    private static KafkaWire.Connection signedIn(String listener, String user, String password) throws Exception {
        KafkaWire.Connection connection = new KafkaWire.Connection(listener);
        SaslHandshakeResponse handshake = (SaslHandshakeResponse) connection.call(ApiKeys.SASL_HANDSHAKE, (short) 1,
                new SaslHandshakeRequest.Builder(new SaslHandshakeRequestData().setMechanism("PLAIN")));
        assertThat(Errors.forCode(handshake.data().errorCode())).isEqualTo(Errors.NONE);
        SaslAuthenticateResponse signedIn = (SaslAuthenticateResponse) connection.call(ApiKeys.SASL_AUTHENTICATE,
                (short) 1, new SaslAuthenticateRequest.Builder(new SaslAuthenticateRequestData()
                        .setAuthBytes(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8))));
        assertThat(Errors.forCode(signedIn.data().errorCode())).as(user + "'s sign-in").isEqualTo(Errors.NONE);
        return connection;
    }

    /** A node's own Kafka listener, as the gateway's Metadata names it to a signed-in client. */
    private static String listener(int node) throws Exception {
        Properties asAdmin = new Properties();
        asAdmin.put("bootstrap.servers", cluster.kafkaBootstrap());
        asAdmin.putAll(plain("admin", ADMIN_PASSWORD));
        try (Admin admin = Admin.create(asAdmin)) {
            return admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).stream()
                    .filter(listed -> listed.id() == node).map(listed -> listed.host() + ":" + listed.port())
                    .findFirst().orElseThrow();
        }
    }

    /** The authorization denials a node's Prometheus page counts. */
    private static double denials(int node) throws Exception {
        return nodeMetrics(node).lines()
                .filter(line -> line.startsWith("sluice_audit_events_total{") && line.contains("outcome=\"denied\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    private static Map<String, String> plain(String user, String password) {
        return Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "PLAIN", "sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + user
                        + "\" password=\"" + password + "\";");
    }

    private static Map<String, String> oauthBearer() {
        return Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "OAUTHBEARER", "sasl.jaas.config",
                "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required;",
                "sasl.login.callback.handler.class", TokenFile.class.getName());
    }

    private static KafkaProducer<String, String> producer(Map<String, String> security) {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.kafkaBootstrap());
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "20000");
        properties.putAll(security);
        return new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer());
    }

    private static KafkaProducer<String, String> transactional(Map<String, String> security, String transactionalId) {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.kafkaBootstrap());
        properties.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "20000");
        properties.putAll(security);
        return new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer());
    }

    /** Every value of partition 0 of {@code topic}; an authorization or sign-in failure is thrown as it is. */
    private static List<String> readAll(Map<String, String> security, String topic) {
        return KafkaReads.readAll(cluster.kafkaBootstrap(), security, topic);
    }

    private static void acl(String principal, String operation) throws Exception {
        acl(principal, "TOPIC", "secured", "LITERAL", operation);
    }

    private static void acl(String principal, String type, String name, String pattern, String operation)
            throws Exception {
        http("POST", "/v1/acls", "{\"principal\":\"" + principal + "\",\"resource_type\":\"" + type + "\","
                + "\"resource_name\":\"" + name + "\",\"pattern_type\":\"" + pattern + "\",\"operation\":\""
                + operation + "\",\"permission\":\"ALLOW\"}", 201);
    }

    /**
     * Waits until every partition service holds the ACLs the gateway lists: each re-reads them every
     * {@code sluice.security.acls.refresh-interval} (1 s here), and a Kafka client on the direct data path is
     * authorized at the leader it writes to and reads from.
     */
    /** A Metadata request for every topic, framed as a client sends it. */
    private static byte[] metadataFrame() {
        RequestHeader header = new RequestHeader(ApiKeys.METADATA, ApiKeys.METADATA.latestVersion(), "unsigned", 7);
        java.nio.ByteBuffer payload = new MetadataRequest.Builder(new MetadataRequestData())
                .build(ApiKeys.METADATA.latestVersion()).serializeWithHeader(header);
        byte[] frame = new byte[4 + payload.remaining()];
        java.nio.ByteBuffer.wrap(frame).putInt(payload.remaining()).put(payload);
        return frame;
    }

    private static Admin admin(Map<String, String> security) {
        Properties properties = new Properties();
        properties.put("bootstrap.servers", cluster.kafkaBootstrap());
        properties.putAll(security);
        return Admin.create(properties);
    }

    /** Kafka's kafka-configs (ConfigCommand) in a JVM of its own, signed in with {@code config}. */
    private static Commands.Run configCommand(Path config, List<String> entity, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin",
                "java").toString(), "-cp", System.getProperty("java.class.path"), ConfigCommand.class.getName(),
                "--bootstrap-server", cluster.kafkaBootstrap(), "--command-config", config.toString()));
        command.addAll(entity);
        command.addAll(List.of(args));
        Commands.Run run = Commands.run(command, "", Duration.ofMinutes(2));
        assertThat(run.ended()).as("kafka-configs ended").isTrue();
        System.out.println("$ kafka-configs " + String.join(" ", entity) + " " + String.join(" ", args) + "\n"
                + run.out());
        return run;
    }

    /** Waits until every partition service holds as many stored client quotas as the gateway lists. */
    private static void awaitQuotasApplied() throws Exception {
        int listed = JSON.readTree(send("GET", "/v1/quotas", null).body()).path("set").size();
        assertThat(listed).isPositive();
        for (int node = 1; node <= 3; node++) {
            int at = node;
            Waits.await("node " + node + " holding the " + listed + " client quotas", Duration.ofSeconds(30), () -> {
                String page;
                try {
                    page = nodeMetrics(at);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return page.lines().anyMatch(line -> line.startsWith("sluice_partition_quotas{")
                        && Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)) == listed) ? true : null;
            });
        }
    }

    private static String nodeMetrics(int node) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(cluster.nodeUrl(node).resolve("/actuator/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static void awaitAclsApplied() throws Exception {
        int listed = JSON.readTree(send("GET", "/v1/acls", null).body()).path("acls").size();
        assertThat(listed).isPositive();
        for (int node = 1; node <= 3; node++) {
            URI metrics = cluster.nodeUrl(node).resolve("/actuator/prometheus");
            Waits.await("node " + node + " holding the " + listed + " ACLs", Duration.ofSeconds(30), () -> {
                String page;
                try {
                    page = HTTP.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString())
                            .body();
                } catch (java.io.IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return page.lines().anyMatch(line -> line.startsWith("sluice_partition_acls{")
                        && Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)) == listed) ? true : null;
            });
        }
    }

    private static void http(String method, String path, String body, int status) throws Exception {
        HttpResponse<String> response = send(method, path, body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    }

    private static HttpResponse<String> send(String method, String path, String body) throws Exception {
        return send("Basic " + Base64.getEncoder().encodeToString(("admin:" + ADMIN_PASSWORD)
                .getBytes(StandardCharsets.UTF_8)), method, path, body);
    }

    private static HttpResponse<String> send(String authorization, String method, String path, String body)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(cluster.gatewayUrl() + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", authorization)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** An RS256 JWT for {@code subject}, valid for ten minutes. */
    private static String jwt(KeyPair key, String subject) throws Exception {
        return jwt(key, subject, 600);
    }

    /** A token for {@code subject} signed by {@code key}, expiring {@code expiresIn} seconds from now (past if < 0). */
    private static String jwt(KeyPair key, String subject, long expiresIn) throws Exception {
        Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
        long now = Instant.now().getEpochSecond();
        String header = url.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String claims = url.encodeToString(("{\"sub\":\"" + subject + "\",\"iat\":" + Math.min(now, now + expiresIn - 60)
                + ",\"exp\":" + (now + expiresIn) + "}").getBytes(StandardCharsets.UTF_8));
        Signature signature = Signature.getInstance("SHA256withRSA");
        signature.initSign(key.getPrivate());
        signature.update((header + "." + claims).getBytes(StandardCharsets.US_ASCII));
        return header + "." + claims + "." + url.encodeToString(signature.sign());
    }


    /** Kafka's OAUTHBEARER login callback, handing the client {@link #currentToken} as its token. */
    public static final class TokenFile implements AuthenticateCallbackHandler {

        @Override
        public void configure(Map<String, ?> configs, String mechanism, List<AppConfigurationEntry> entries) {
        }

        @Override
        public void handle(Callback[] callbacks) throws UnsupportedCallbackException {
            for (Callback callback : callbacks) {
                if (!(callback instanceof OAuthBearerTokenCallback tokenCallback)) {
                    throw new UnsupportedCallbackException(callback);
                }
                String token = currentToken;
                long now = System.currentTimeMillis();
                tokenCallback.token(new OAuthBearerToken() {
                    @Override
                    public String value() {
                        return token;
                    }

                    @Override
                    public java.util.Set<String> scope() {
                        return java.util.Set.of();
                    }

                    @Override
                    public long lifetimeMs() {
                        return now + 600_000;
                    }

                    @Override
                    public String principalName() {
                        return "alice";
                    }

                    @Override
                    public Long startTimeMs() {
                        return now;
                    }
                });
            }
        }

        @Override
        public void close() {
        }
    }
}

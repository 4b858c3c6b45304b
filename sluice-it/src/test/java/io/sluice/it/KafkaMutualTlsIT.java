package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.internal.SluiceJson;
import io.sluice.launcher.LocalCa;
import io.sluice.launcher.LocalCluster;
import io.sluice.launcher.ServiceKind;
import io.sluice.testing.Commands;
import io.sluice.testing.RequiredTools;
import io.sluice.testing.SecurityFiles;
import io.sluice.testing.SluiceCluster;
import io.sluice.testing.Waits;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * Kafka's own Java clients against a cluster whose Kafka listeners (the gateway's and the partition service's, on
 * the direct data path) serve TLS from a local CA ({@link LocalCa}) and ask for client certificates
 * ({@code sluice.security.tls.client-auth=requested}): a client with {@code security.protocol=SSL} and a certificate
 * of the CA is its certificate's mapped principal ({@code CN=alice,OU=clients,...} is {@code User:alice}), held to
 * that principal's ACLs; another principal without an ACL is refused TOPIC_AUTHORIZATION_FAILED; a certificate of
 * another CA fails the handshake and is an audit line; nothing they were refused was appended. And KIP-368: with
 * sessions of 3 s, a SASL_SSL client re-authenticates on its own and keeps producing over more than three of them.
 * A cluster of its own (a coordinator, one partition service, a gateway), since its listeners speak TLS.
 */
class KafkaMutualTlsIT {

    private static final String SECRET = "it-mtls-" + UUID.randomUUID();
    private static final String RULES = "RULE:^CN=([^,]*),OU=clients.*$/$1/,DEFAULT";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final JsonMapper JSON = SluiceJson.mapper();

    private static Path ca;
    private static Path otherCa;
    private static SecurityFiles files;
    private static SluiceCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        ca = Files.createTempDirectory("sluice-mtls-it-ca");
        otherCa = Files.createTempDirectory("sluice-mtls-it-other-ca");
        LocalCa.issue(ca, LocalCa.keytool(), Files::writeString, Map.of(
                "alice", "CN=alice,OU=clients,O=Example", "bob", "CN=bob,OU=clients,O=Example"));
        LocalCa.issue(otherCa, LocalCa.keytool(), Files::writeString, Map.of("alice", "CN=alice,OU=clients,O=Example"));
        files = SecurityFiles.create("sluice-mtls-it");
        String importIt = files.importArgument(
                "sluice.security.enabled=true",
                "sluice.security.cluster-secret=" + SECRET,
                "sluice.security.basic.users-file=" + files.write("users", SecuredCluster.USERS),
                "sluice.security.super-users=User:admin",
                "sluice.security.acls.refresh-interval=1s",
                "sluice.security.tls.client-auth=requested",
                "sluice.security.tls.principal-mapping-rules=" + RULES,
                "sluice.security.sasl.max-session-lifetime=3s",
                "spring.ssl.bundle.pem.kafka.keystore.certificate=file:" + ca.resolve("node.pem"),
                "spring.ssl.bundle.pem.kafka.keystore.private-key=file:" + ca.resolve("node.key"),
                "spring.ssl.bundle.pem.kafka.truststore.certificate=file:" + ca.resolve("ca.pem"));
        cluster = SluiceCluster.builder("mtls").nodes(1).withGateway()
                .clusterSecret(SECRET)
                .args(ServiceKind.COORDINATOR, importIt)
                .args(ServiceKind.PARTITION, importIt, "--sluice.partition.kafka.ssl-bundle=kafka",
                        "--sluice.internal-tls.bundle=kafka")
                .args(ServiceKind.GATEWAY, importIt, "--sluice.gateway.kafka.ssl-bundle=kafka")
                .start();
    }

    @AfterAll
    static void stop() throws IOException {
        if (cluster != null) {
            cluster.close();
        }
        if (files != null) {
            files.close();
        }
        for (Path dir : new Path[] {ca, otherCa}) {
            if (dir != null) {
                try (var all = Files.list(dir)) {
                    for (Path file : all.toList()) {
                        Files.delete(file);
                    }
                }
                Files.delete(dir);
            }
        }
    }

    @Test
    void aClientCertificateSignsAKafkaClientInAsItsMappedPrincipalHeldToItsAcls() throws Exception {
        http("POST", "/v1/topics", "{\"name\":\"mtls\",\"partition_count\":1,\"replication_factor\":1}", 201);
        acl("User:alice", "WRITE");
        acl("User:alice", "READ");
        awaitAclsApplied();

        try (KafkaProducer<String, String> alice = producer(certificate(ca, "alice"))) {
            alice.send(new ProducerRecord<>("mtls", "k", "from-alice")).get(60, TimeUnit.SECONDS);
        }
        try (KafkaProducer<String, String> bob = producer(certificate(ca, "bob"))) {
            assertThatThrownBy(() -> bob.send(new ProducerRecord<>("mtls", "k", "from-bob")).get(60,
                    TimeUnit.SECONDS)).hasCauseInstanceOf(TopicAuthorizationException.class);
        }
        try (KafkaProducer<String, String> stranger = producer(certificate(otherCa, "alice"))) {
            assertThatThrownBy(() -> stranger.send(new ProducerRecord<>("mtls", "k", "from-another-ca")).get(60,
                    TimeUnit.SECONDS)).satisfies(e -> assertThat(causes(e))
                    .anyMatch(SslAuthenticationException.class::isInstance));
        }
        assertThatThrownBy(() -> readAll(certificate(ca, "bob"), "mtls"))
                .isInstanceOf(TopicAuthorizationException.class);

        assertThat(readAll(certificate(ca, "alice"), "mtls")).as("only what alice was allowed to write")
                .containsExactly("from-alice");
        awaitRefusedHandshakeAudited(cluster.logFile(LocalCluster.GATEWAY));

        // Straight to the partition's leader, whose own listener refuses it too.
        Map<String, String> stranger = new HashMap<>(certificate(otherCa, "alice"));
        stranger.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, nodeListener(admin()));
        try (KafkaProducer<String, String> direct = producer(stranger)) {
            assertThatThrownBy(() -> direct.send(new ProducerRecord<>("mtls", "k", "from-another-ca")).get(60,
                    TimeUnit.SECONDS)).satisfies(e -> assertThat(causes(e))
                    .anyMatch(SslAuthenticationException.class::isInstance));
        }
        awaitRefusedHandshakeAudited(cluster.logFile(1));
        assertThat(readAll(certificate(ca, "alice"), "mtls")).containsExactly("from-alice");
    }

    /**
     * librdkafka (Debian's kcat) signs in with SCRAM-SHA-256 over TLS (SASL_SSL, the cluster's CA trusted, no client
     * certificate): it produces at the partition's leader and reads back, as a SCRAM user made over HTTP; with a wrong
     * password it is refused and appends nothing.
     */
    @Test
    void kcatSignsInWithScramOverTls() throws Exception {
        http("POST", "/v1/topics", "{\"name\":\"mtls-kcat\",\"partition_count\":1,\"replication_factor\":1}",
                201);
        String password = "kcat-" + UUID.randomUUID();
        http("PUT", "/v1/users/kcat-user/scram-credentials/SCRAM-SHA-256", "{\"password\":\"" + password + "\"}",
                200);
        acl("User:kcat-user", "mtls-kcat", "WRITE");
        acl("User:kcat-user", "mtls-kcat", "READ");
        awaitAclsApplied();
        awaitNodeMetric("sluice_partition_scram_credentials{", 1);

        Path kcat = RequiredTools.require("kcat", "kcat");
        List<String> refused = kcat(kcat, "wrong-" + password, "-X", "message.timeout.ms=15000", "-t", "mtls-kcat",
                "-P", "-p", "0");
        Commands.Run wrong = Commands.run(refused, "never-appended\n", Duration.ofSeconds(60));
        assertThat(wrong.exitCode()).as(wrong.out()).isNotZero();
        Commands.Run produced = Commands.run(kcat(kcat, password, "-t", "mtls-kcat", "-P", "-p", "0"),
                "from-kcat\n", Duration.ofSeconds(60));
        assertThat(produced.exitCode()).as(produced.out()).isZero();
        Commands.Run consumed = Commands.run(kcat(kcat, password, "-t", "mtls-kcat", "-C", "-e", "-q", "-o",
                "beginning", "-f", "%s\\n"), "", Duration.ofSeconds(60));
        assertThat(consumed.exitCode()).as(consumed.out()).isZero();
        assertThat(consumed.out().lines().toList()).containsExactly("from-kcat");
    }

    /** The gateway as a broker describes its listener's security as configured, read-only, over Kafka and HTTP. */
    @Test
    void theBrokersConfigsDescribeItsListenersSecurity() throws Exception {
        Properties properties = new Properties();
        properties.put("bootstrap.servers", cluster.kafkaBootstrap());
        properties.putAll(admin());
        Map<String, String> described = new HashMap<>();
        try (Admin admin = Admin.create(properties)) {
            ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, "0");
            admin.describeConfigs(List.of(broker)).all().get(30, TimeUnit.SECONDS).get(broker).entries()
                    .forEach(entry -> {
                        assertThat(entry.isReadOnly() || !entry.name().startsWith("ssl.")).isTrue();
                        described.put(entry.name(), entry.value());
                    });
        }
        assertThat(described).containsEntry("ssl.client.auth", "requested")
                .containsEntry("ssl.principal.mapping.rules", RULES)
                .containsEntry("connections.max.reauth.ms", "3000");
        assertThat(described.get("sasl.enabled.mechanisms")).contains("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512");
        assertThat(send("GET", "/v1/cluster/configs", null).body()).contains("\"ssl.client.auth\"",
                "\"requested\"");
    }

    /** kcat as kcat-user with SCRAM-SHA-256 over TLS, trusting the cluster's CA, then {@code args}. */
    private static List<String> kcat(Path kcat, String password, String... args) {
        List<String> command = new ArrayList<>(List.of(kcat.toString(), "-b", cluster.kafkaBootstrap(),
                "-X", "security.protocol=SASL_SSL", "-X", "ssl.ca.location=" + ca.resolve("ca.pem"),
                "-X", "sasl.mechanisms=SCRAM-SHA-256", "-X", "sasl.username=kcat-user",
                "-X", "sasl.password=" + password));
        command.addAll(List.of(args));
        return command;
    }

    private static void awaitRefusedHandshakeAudited(Path log) {
        Waits.await("the refused handshake in the audit trail of " + log.getFileName(), Duration.ofSeconds(30), () -> {
            try {
                return Files.readString(log, StandardCharsets.UTF_8).lines().anyMatch(line ->
                        line.contains("audit kind=authentication") && line.contains("Kafka TLS handshake from")
                                && line.contains("refused")) ? true : null;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** The partition service's own Kafka listener, as the gateway names it to a signed-in client. */
    private static String nodeListener(Map<String, String> security) throws Exception {
        Properties properties = new Properties();
        properties.put("bootstrap.servers", cluster.kafkaBootstrap());
        properties.putAll(security);
        try (Admin admin = Admin.create(properties)) {
            return admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).stream()
                    .filter(node -> node.id() == 1).map(node -> node.host() + ":" + node.port())
                    .findFirst().orElseThrow();
        }
    }

    @Test
    void aSaslClientReauthenticatesOnItsOwnAndKeepsProducingOverMoreThanThreeSessions() throws Exception {
        http("POST", "/v1/topics", "{\"name\":\"mtls-reauth\",\"partition_count\":1,\"replication_factor\":1}",
                201);
        Map<String, String> admin = admin();
        int sent = 0;
        try (KafkaProducer<String, String> producer = producer(admin)) {
            // Each session lasts 3 s: three re-authentications take more than three sessions.
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (metric(producer.metrics(), "successful-reauthentication-total") < 3
                    && System.nanoTime() < deadline) {
                producer.send(new ProducerRecord<>("mtls-reauth", "k", "r" + sent)).get(30, TimeUnit.SECONDS);
                sent++;
                Thread.sleep(200);
            }
            assertThat(metric(producer.metrics(), "successful-reauthentication-total")).isGreaterThanOrEqualTo(3);
            assertThat(metric(producer.metrics(), "failed-reauthentication-total")).isZero();
            producer.send(new ProducerRecord<>("mtls-reauth", "k", "last")).get(30, TimeUnit.SECONDS);
        }
        List<String> read = readAll(admin, "mtls-reauth");
        assertThat(read).hasSize(sent + 1).endsWith("last");
    }

    /** The super user admin with SASL PLAIN over TLS, trusting the cluster's CA. */
    private static Map<String, String> admin() throws IOException {
        Map<String, String> admin = new HashMap<>(trust(ca));
        admin.putAll(Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", "PLAIN", "sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"admin\" password=\""
                        + SecuredCluster.ADMIN_PASSWORD + "\";"));
        return admin;
    }

    private static double metric(Map<MetricName, ? extends Metric> metrics, String name) {
        return metrics.entrySet().stream().filter(e -> e.getKey().name().equals(name))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue()).sum();
    }

    private static List<Throwable> causes(Throwable e) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable cause = e; cause != null && !chain.contains(cause); cause = cause.getCause()) {
            chain.add(cause);
        }
        return chain;
    }

    /** {@code security.protocol=SSL} with {@code client}'s certificate of {@code issuer}, trusting the cluster's CA. */
    private static Map<String, String> certificate(Path issuer, String client) throws IOException {
        Map<String, String> settings = new HashMap<>(trust(ca));
        settings.put("security.protocol", "SSL");
        settings.put("ssl.keystore.type", "PEM");
        settings.put("ssl.keystore.certificate.chain", Files.readString(issuer.resolve(client + ".pem")));
        settings.put("ssl.keystore.key", Files.readString(issuer.resolve(client + ".key")));
        return settings;
    }

    private static Map<String, String> trust(Path issuer) throws IOException {
        return Map.of("ssl.truststore.type", "PEM", "ssl.truststore.certificates",
                Files.readString(issuer.resolve("ca.pem")));
    }

    private static KafkaProducer<String, String> producer(Map<String, String> security) {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.kafkaBootstrap());
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "20000");
        properties.putAll(security);
        return new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer());
    }

    /** Every value of partition 0 of {@code topic}; an authorization or sign-in failure is thrown as it is. */
    private static List<String> readAll(Map<String, String> security, String topic) {
        return KafkaReads.readAll(cluster.kafkaBootstrap(), security, topic);
    }

    private static void acl(String principal, String operation) throws Exception {
        acl(principal, "mtls", operation);
    }

    private static void acl(String principal, String topic, String operation) throws Exception {
        http("POST", "/v1/acls", "{\"principal\":\"" + principal + "\",\"resource_type\":\"TOPIC\","
                + "\"resource_name\":\"" + topic + "\",\"pattern_type\":\"LITERAL\",\"operation\":\"" + operation
                + "\",\"permission\":\"ALLOW\"}", 201);
    }

    /** Waits until the partition service, where the clients produce and fetch, holds the ACLs the gateway lists. */
    private static void awaitAclsApplied() throws Exception {
        awaitNodeMetric("sluice_partition_acls{", JSON.readTree(send("GET", "/v1/acls", null).body()).path("acls")
                .size());
    }

    /** Waits until the partition service's gauge {@code gauge} (its name and the opening brace) is {@code value}. */
    private static void awaitNodeMetric(String gauge, int value) {
        URI metrics = cluster.nodeUrl(1).resolve("/actuator/prometheus");
        Waits.await("node 1's " + gauge + "} at " + value, Duration.ofSeconds(30), () -> {
            try {
                String page = HTTP.send(HttpRequest.newBuilder(metrics).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                return page.lines().anyMatch(line -> line.startsWith(gauge)
                        && Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)) == value) ? true : null;
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static void http(String method, String path, String body, int status) throws Exception {
        HttpResponse<String> response = send(method, path, body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    }

    private static HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(cluster.gatewayUrl() + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(("admin:"
                        + SecuredCluster.ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8)))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}

package io.sluice.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * A secured release (values/boot-secured.yaml) really starts from what the chart gives each container: the switch,
 * the cluster and stream-token secrets the chart generates read from their config tree, the users file, the gateway's
 * properties from its ConfigMap, HTTPS from the TLS Secret, and the console's sign-in and its trust in the gateway's
 * certificate. The Secrets an operator creates (users, the certificate) are made here; every Secret and ConfigMap
 * volume is written as the files the kubelet would mount ({@link ChartContainers}, {@link LoopbackCluster}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ChartSecuredBootIT {

    // A fixture of this test only (SecurityIT's admin): its bcrypt hash (cost 4) is in the users file.
    private static final String ADMIN = "admin:it-admin-Pw-7f3a";
    private static final String USERS = "admin:$2a$04$sv0sXGofxRM45V/YEJUqw.pBvYF3q6YjHoL.zQejPNxjKJqqpyula\n";
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    private LoopbackCluster cluster;
    private HttpClient https;
    private URI gateway;
    private String gatewayCa;
    private Map<String, String> partitionTls;

    @BeforeAll
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void startTheSecuredReleaseOnLoopback() throws Exception {
        Path workDir = Path.of("target", "chart-secured-boot").toAbsolutePath();
        Files.createDirectories(workDir);
        Map<String, String> tls = certificate(workDir, "sluice-gateway", "dns:sluice-gateway,ip:127.0.0.1");
        partitionTls = certificate(workDir, "sluice-partition",
                "dns:*.sluice-partition.sluice.svc.cluster.local,ip:127.0.0.1");
        Manifests manifests = Chart.manifests("boot-secured.yaml");
        cluster = LoopbackCluster.start(workDir, ChartContainers.of(manifests, Dockerfile.read(), Map.of(
                        "sluice-users", Map.of("users", USERS),
                        "sluice-gateway-tls", tls,
                        "sluice-partition-tls", partitionTls)),
                Set.copyOf(ChartContainers.redisHosts(manifests)));
        gatewayCa = tls.get("ca.crt");
        https = HttpClient.newBuilder().sslContext(trusting(gatewayCa)).connectTimeout(Duration.ofSeconds(5))
                .cookieHandler(new CookieManager()).build();
        gateway = URI.create("https://127.0.0.1:" + cluster.of("gateway-service").getFirst().port());
    }

    @AfterAll
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void theGatewayRefusesAnUnauthenticatedRequestAndServesTheSuperUserOverHttps() throws Exception {
        assertThat(send(HttpRequest.newBuilder(gateway.resolve("/v1/topics"))).statusCode()).isEqualTo(401);

        HttpResponse<String> created = send(signed(gateway.resolve("/v1/topics")).header("Content-Type",
                "application/json").POST(HttpRequest.BodyPublishers.ofString(
                "{\"name\":\"secured\",\"partition_count\":1,\"replication_factor\":1}")));
        HttpResponse<String> produced = send(signed(gateway.resolve("/v1/topics/secured/records?acks=all"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("[{\"partition\":0,\"value\":\"over-tls\"}]")));
        HttpResponse<String> read = send(signed(gateway.resolve(
                "/v1/topics/secured/partitions/0/records?offset=earliest")));

        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        // The produce crossed the internal plane: the partition service accepted the gateway's cluster secret.
        assertThat(produced.statusCode()).as(produced.body()).isEqualTo(200);
        assertThat(read.body()).contains("over-tls");
    }

    /**
     * The direct data path with SASL_SSL: the partition service leads the partition under its own broker id, serves
     * its own certificate, signs the client in from the users file, and forwards what it does not answer to the
     * gateway over TLS; a wrong password is refused at the node.
     */
    @Test
    void kafkaClientsSignInOverTlsAtThePartitionLeaderItself() throws Exception {
        String bootstrap = "127.0.0.1:" + cluster.of("gateway-service").getFirst().kafkaPort();
        String[] user = ADMIN.split(":", 2);
        Map<String, Object> client = kafkaClient(bootstrap, user[0], user[1]);
        try (Admin admin = Admin.create(client)) {
            admin.createTopics(List.of(new NewTopic("secured-kafka", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }

        Node leader;
        Map<String, Object> producing = new HashMap<>(client);
        producing.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producing, new StringSerializer(),
                new StringSerializer())) {
            producer.send(new ProducerRecord<>("secured-kafka", 0, null, "through-the-leader")).get(30,
                    TimeUnit.SECONDS);
            leader = producer.partitionsFor("secured-kafka").getFirst().leader();
        }
        List<String> read = new ArrayList<>();
        TopicPartition partition = new TopicPartition("secured-kafka", 0);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(client, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (read.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(record -> read.add(record.value()));
            }
        }
        Map<String, Object> wrong = kafkaClient(leader.host() + ":" + leader.port(), user[0], "not-the-password");

        assertThat(leader.id()).as("the partition service's node id, not the gateway's broker id 1000").isZero();
        assertThat(read).containsExactly("through-the-leader");
        try (Admin admin = Admin.create(wrong)) {
            assertThatThrownBy(() -> admin.describeCluster().nodes().get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(SaslAuthenticationException.class);
        }
    }

    @Test
    void theCoordinatorRefusesAnInternalCallWithoutTheClusterSecret() throws Exception {
        URI coordinator = cluster.of("coordinator-service").getFirst().url();

        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                coordinator.resolve("/internal/metadata")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(401);
    }

    @Test
    void theConsoleAsksToSignInAndThenShowsTheGatewaysTopicsOverHttps() throws Exception {
        send(signed(gateway.resolve("/v1/topics")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"name\":\"console-secured\",\"partition_count\":1,\"replication_factor\":1}")));
        URI console = cluster.of("admin-ui").getFirst().url();

        HttpResponse<String> anonymous = send(HttpRequest.newBuilder(console.resolve("/topics")));
        Matcher csrf = CSRF.matcher(send(HttpRequest.newBuilder(console.resolve("/sign-in"))).body());
        assertThat(csrf.find()).as("the sign-in form's CSRF token").isTrue();
        String[] user = ADMIN.split(":", 2);
        HttpResponse<String> signIn = send(HttpRequest.newBuilder(console.resolve("/sign-in"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("username=" + user[0] + "&password="
                        + URLEncoder.encode(user[1], StandardCharsets.UTF_8) + "&_csrf="
                        + URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8))));
        HttpResponse<String> topics = send(HttpRequest.newBuilder(console.resolve("/topics")));

        assertThat(anonymous.statusCode()).isEqualTo(302);
        assertThat(anonymous.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/sign-in"));
        assertThat(signIn.headers().firstValue("Location")).as("signed in")
                .hasValueSatisfying(l -> assertThat(l).doesNotContain("error"));
        assertThat(topics.statusCode()).isEqualTo(200);
        assertThat(topics.body()).contains("console-secured");
    }

    private HttpRequest.Builder signed(URI uri) {
        return HttpRequest.newBuilder(uri).header("Authorization",
                "Basic " + Base64.getEncoder().encodeToString(ADMIN.getBytes(StandardCharsets.UTF_8)));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return https.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * A Secret of type kubernetes.io/tls for {@code name} and the names of {@code san} (keytool's form): a self-signed
     * certificate made with the JDK's keytool, as PEM; the certificate is its own CA.
     */
    private static Map<String, String> certificate(Path dir, String name, String san) throws IOException,
            InterruptedException, GeneralSecurityException {
        Path store = dir.resolve(name + ".p12");
        Files.deleteIfExists(store);
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", "changeit",
                "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=" + name, "-ext", "san=" + san)
                .redirectErrorStream(true).start();
        String output;
        try (InputStream out = keytool.getInputStream()) {
            output = new String(out.readAllBytes());
        }
        assertThat(keytool.waitFor()).as(output).isZero();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, "changeit".toCharArray());
        }
        Base64.Encoder pem = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
        String crt = "-----BEGIN CERTIFICATE-----\n" + pem.encodeToString(keys.getCertificate(name).getEncoded())
                + "\n-----END CERTIFICATE-----\n";
        String key = "-----BEGIN PRIVATE KEY-----\n" + pem.encodeToString(keys.getKey(name,
                "changeit".toCharArray()).getEncoded()) + "\n-----END PRIVATE KEY-----\n";
        Files.delete(store);
        return Map.of("tls.crt", crt, "tls.key", key, "ca.crt", crt);
    }

    /** A Kafka client's settings: SASL_SSL with PLAIN, trusting the gateway's and the partitions' certificates. */
    private Map<String, Object> kafkaClient(String bootstrap, String name, String password) {
        Map<String, Object> client = new HashMap<>();
        client.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        client.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_SSL");
        client.put(SaslConfigs.SASL_MECHANISM, "PLAIN");
        client.put(SaslConfigs.SASL_JAAS_CONFIG, "org.apache.kafka.common.security.plain.PlainLoginModule required "
                + "username=\"" + name + "\" password=\"" + password + "\";");
        client.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PEM");
        client.put(SslConfigs.SSL_TRUSTSTORE_CERTIFICATES_CONFIG, gatewayCa + partitionTls.get("ca.crt"));
        client.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, 20_000);
        return client;
    }

    private static SSLContext trusting(String pem) throws GeneralSecurityException, IOException {
        Certificate ca = java.security.cert.CertificateFactory.getInstance("X.509")
                .generateCertificate(new java.io.ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("gateway", ca);
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }
}

package io.sluice.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.sluice.internal.replication.ReplicaFetchRequest;
import io.sluice.internal.replication.ReplicaFetchRequestCodec;
import io.sluice.testing.Commands;
import io.sluice.testing.RequiredTools;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/sluice up --secure} for real: one cluster (coordinator, two partition services, gateway) from the jars
 * built earlier in the reactor, made by {@link LocalCluster} with {@link ClusterConfig#withSecure}, on free loopback
 * ports in a temporary base directory, shared by the class. Every service serves HTTPS with the certificate of the
 * cluster's own CA; the gateway signs users in; calls between services use mutual TLS (the follower's fetch included);
 * the launcher's own status works through the cluster's certificate. After the class: every process is gone by PID,
 * and no log of the run holds a secret.
 */
class SecureLocalClusterIT {

    @TempDir
    static Path baseDir;

    private static final List<String> reports = new CopyOnWriteArrayList<>();
    private static ClusterConfig config;
    private static LocalCluster cluster;
    private static List<ProcessHandle> started = List.of();
    private static SecureMaterial material;
    /** Trusts the cluster's CA and presents nothing: a user's client (curl --cacert). */
    private static HttpClient user;

    @BeforeAll
    static void upSecure() throws Exception {
        Path root = RepoRoot.find(Path.of("")).orElseThrow();
        for (ServiceKind kind : List.of(ServiceKind.COORDINATOR, ServiceKind.PARTITION, ServiceKind.GATEWAY)) {
            if (!Files.isRegularFile(kind.jar(root))) {
                fail(kind.jar(root) + " is missing; build it first: ./mvnw -pl " + kind.module()
                        + " -am package -DskipTests");
            }
        }
        config = ClusterConfig.defaults(root)
                .withKinds(ServiceKind.COORDINATOR, ServiceKind.PARTITION, ServiceKind.GATEWAY)
                .withNodes(2)
                .withBaseDir(baseDir)
                .withFreePorts()
                .withStopGrace(Duration.ofSeconds(20))
                .withSecure(true);
        // Test time only: C1 starts Spring faster on a small machine, and Netty's event loops need not wait a quiet
        // period of 2 s each before the JVM may exit.
        List<String> jvm = new ArrayList<>(config.jvmOptions());
        jvm.addAll(List.of("-XX:TieredStopAtLevel=1", "-Dreactor.netty.ioShutdownQuietPeriod=0"));
        config = config.withJvmOptions(jvm);
        cluster = new LocalCluster(config, reports::add).stopOnJvmExit();
        List<ProcessHandle> processes = new ArrayList<>();
        for (ServiceProcess process : cluster.up()) {
            ProcessHandle handle = ProcessHandle.of(process.pid()).orElseThrow();
            processes.add(handle);
            processes.addAll(handle.descendants().toList()); // the coordinator's embedded redis-server
        }
        started = processes;
        material = config.secureMaterial();
        user = HttpClient.newBuilder().sslContext(trustingOnly(material.caCertificate()))
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void downLeavesNoProcessAndNoSecretInTheLogs() throws Exception {
        if (cluster == null) {
            return;
        }
        cluster.down();
        reports.forEach(System.out::println);
        assertThat(started).hasSizeGreaterThanOrEqualTo(5).noneMatch(ProcessHandle::isAlive);
        assertThat(config.runDir()).isEmptyDirectory();

        Properties secrets = new Properties();
        try (var in = Files.newBufferedReader(material.properties())) {
            secrets.load(in);
        }
        String key = Files.readString(material.dir().resolve(LocalCa.PRIVATE_KEY));
        List<String> secretsOfTheRun = new ArrayList<>(List.of(material.adminPassword(),
                secrets.getProperty("sluice.security.cluster-secret"),
                secrets.getProperty("sluice.security.stream-tokens.secret"),
                // a line of the private key's base64
                key.lines().skip(1).findFirst().orElseThrow()));
        List<Path> logs;
        try (Stream<Path> files = Files.list(config.logDir())) {
            logs = files.toList();
        }
        assertThat(logs).hasSize(4);
        for (Path log : logs) {
            String content = Files.readString(log, StandardCharsets.UTF_8);
            assertThat(content).as("%s shows its https launch", log.getFileName())
                    .contains(material.importArgument(), "--server.ssl.bundle=sluice");
            for (String secret : secretsOfTheRun) {
                assertThat(content).as("%s must not contain a secret of the run", log.getFileName())
                        .doesNotContain(secret);
            }
        }
    }

    @Test
    void theAdminProducesAndReadsOverHttpsAndTheFollowerReplicatesOverMutualTls() throws Exception {
        assertThat(send("POST", "/v1/topics", "{\"name\":\"secured\",\"partition_count\":1,\"replication_factor\":2}",
                true).statusCode()).isEqualTo(201);

        HttpResponse<String> produced = awaitProduced("secured");
        assertThat(produced.body()).contains("\"offset\":0");
        HttpResponse<String> read = send("GET", "/v1/topics/secured/partitions/0/records?offset=earliest", null, true);
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.body()).contains("\"value\":\"hello\"");
        // The high watermark passes the record only once the follower has fetched it from the leader, over HTTPS
        // with the cluster's client certificate.
        assertThat(awaitBody("/v1/topics/secured/partitions/0", "\"high_watermark\":1")).contains("\"isr\":[");
    }

    /**
     * {@code up --secure} writes a Kafka client's properties: SASL_SSL, PLAIN as admin, the cluster's CA. Kafka's Java
     * client produces and reads with them as they are, at the partition's leader (the direct data path, TLS and SASL
     * at the node), and kcat (librdkafka, Debian's package) does the same with SASL PLAIN over TLS, and with
     * SCRAM-SHA-256 as a user made over HTTP.
     */
    @Test
    void kafkaClientsSignInOverTlsWithTheWrittenPropertiesAndKcatToo() throws Exception {
        assertThat(send("POST", "/v1/topics", "{\"name\":\"kafka-tls\",\"partition_count\":1,"
                + "\"replication_factor\":2}", true).statusCode()).isEqualTo(201);
        Path clientFile = material.kafkaClientProperties();
        assertThat(java.nio.file.Files.getPosixFilePermissions(clientFile))
                .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        Properties client = new Properties();
        try (var in = Files.newBufferedReader(clientFile)) {
            client.load(in);
        }
        client.put("acks", "all");
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, String>(client,
                new org.apache.kafka.common.serialization.StringSerializer(),
                new org.apache.kafka.common.serialization.StringSerializer())) {
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>("kafka-tls", "k", "over-tls"))
                    .get(60, java.util.concurrent.TimeUnit.SECONDS);
        }
        var tp = new org.apache.kafka.common.TopicPartition("kafka-tls", 0);
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<String, String>(client,
                new org.apache.kafka.common.serialization.StringDeserializer(),
                new org.apache.kafka.common.serialization.StringDeserializer())) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            List<String> values = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (values.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(record -> values.add(record.value()));
            }
            assertThat(values).containsExactly("over-tls");
        }
        // On the direct data path: the partition's leader is a partition service, whose own listener signed the
        // client in over TLS; the client's other requests reached the gateway through it, as the client.
        try (var admin = org.apache.kafka.clients.admin.Admin.create(client)) {
            var leader = admin.describeTopics(List.of("kafka-tls")).allTopicNames().get(30,
                    java.util.concurrent.TimeUnit.SECONDS).get("kafka-tls").partitions().getFirst().leader();
            assertThat(leader.id()).as("the leader's broker id: a node's, not the gateway's (0)").isPositive();
            assertThat(leader.port()).isNotEqualTo(Integer.parseInt(config.kafkaBootstrap()
                    .substring(config.kafkaBootstrap().lastIndexOf(':') + 1)));
        }

        Path kcat = RequiredTools.require("kcat", "kcat");
        List<String> tls = List.of(kcat.toString(), "-b", config.kafkaBootstrap(), "-X", "security.protocol=SASL_SSL",
                "-X", "sasl.mechanisms=PLAIN", "-X", "sasl.username=admin", "-X",
                "sasl.password=" + material.adminPassword(), "-X", "ssl.ca.location=" + material.caCertificate());
        List<String> produce = new ArrayList<>(tls);
        produce.addAll(List.of("-t", "kafka-tls", "-P", "-p", "0"));
        assertThat(run(produce, "from-kcat\n")).isEmpty();
        List<String> consume = new ArrayList<>(tls);
        consume.addAll(List.of("-t", "kafka-tls", "-C", "-e", "-q", "-o", "beginning", "-f", "%o %s\\n"));
        assertThat(run(consume, "").lines().toList()).containsExactly("0 over-tls", "1 from-kcat");

        // A SCRAM user made over HTTP reads the partition with kcat over TLS, once its leader has read the user.
        String scramPassword = "kcat-scram-" + java.util.UUID.randomUUID();
        assertThat(send("PUT", "/v1/users/kcat-scram/scram-credentials/SCRAM-SHA-256",
                "{\"password\":\"" + scramPassword + "\"}", true).statusCode()).isEqualTo(200);
        assertThat(send("POST", "/v1/acls", "{\"principal\":\"User:kcat-scram\",\"resource_type\":\"TOPIC\","
                + "\"resource_name\":\"kafka-tls\",\"pattern_type\":\"LITERAL\",\"operation\":\"READ\","
                + "\"permission\":\"ALLOW\"}", true).statusCode()).isEqualTo(201);
        List<String> scram = new ArrayList<>(List.of(kcat.toString(), "-b", config.kafkaBootstrap(), "-X",
                "security.protocol=SASL_SSL", "-X", "sasl.mechanisms=SCRAM-SHA-256", "-X", "sasl.username=kcat-scram",
                "-X", "sasl.password=" + scramPassword, "-X", "ssl.ca.location=" + material.caCertificate(),
                "-t", "kafka-tls", "-C", "-e", "-q", "-o", "beginning", "-f", "%o %s\\n"));
        // The partition services re-read the SCRAM users every 5 s: kcat tries once every node holds the user, since
        // sign-ins refused before count against the login throttle (10 a minute) and would lock the user out.
        for (URI node : cluster.nodeUrls()) {
            io.sluice.testing.Waits.await(node + " holding the SCRAM user", Duration.ofSeconds(30), () -> {
                try {
                    String page = user.send(HttpRequest.newBuilder(node.resolve("/actuator/prometheus")).build(),
                            HttpResponse.BodyHandlers.ofString()).body();
                    return page.lines().anyMatch(line -> line.startsWith("sluice_partition_scram_credentials{")
                            && Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)) >= 1) ? true : null;
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            });
        }
        // The ACL reaches the leader on the same schedule: ask until the leader lets kcat read.
        List<String> read = io.sluice.testing.Waits.await("kcat reading as a SCRAM user", Duration.ofSeconds(60),
                () -> {
                    Commands.Run attempt = Commands.run(scram, "", Duration.ofSeconds(30));
                    return attempt.ended() && attempt.exitCode() == 0 ? attempt.out().lines().toList() : null;
                });
        assertThat(read).containsExactly("0 over-tls", "1 from-kcat");
    }

    /**
     * The CLI as a user runs it from a terminal (security.md's try-it): {@code bin/sluice} over https, trusting the
     * cluster's CA from {@code --ca-file} and signing in as admin with {@code --password-file}. Without the CA file
     * the JDK's trust does not know the cluster's certificate: no answer, exit 6.
     */
    @Test
    void binSluiceTrustsTheClusterByItsCaFileAndProducesAndConsumes() throws Exception {
        Path root = RepoRoot.find(Path.of("")).orElseThrow();
        Path cliJar = root.resolve("sluice-cli/target/sluice-cli-" + BuildInfo.version() + ".jar");
        if (!Files.isRegularFile(cliJar)) {
            fail(cliJar + " is missing; build it first: ./mvnw -pl sluice-cli -am package -DskipTests");
        }
        Path password = Files.writeString(baseDir.resolve("admin.password"), material.adminPassword() + "\n");
        List<String> sluice = List.of(root.resolve("bin/sluice").toString(), "--url", cluster.gatewayUrl().toString(),
                "--user", "admin", "--password-file", password.toString(),
                // No profile file of the user running the tests applies.
                "--profile-file", baseDir.resolve("no-profiles.properties").toString());
        List<String> trusting = new ArrayList<>(sluice);
        trusting.addAll(List.of("--ca-file", material.caCertificate().toString()));

        assertThat(cluster.gatewayUrl().getScheme()).isEqualTo("https");
        assertThat(run(concat(trusting, "topic", "create", "cli-tls", "--partitions", "1", "--replication-factor",
                "2"), "")).isEqualTo("Created topic cli-tls: 1 partition, replication factor 2\n");
        assertThat(run(concat(trusting, "produce", "cli-tls"), "first\nsecond\n"))
                .isEqualTo("Produced 2 records to cli-tls: partition 0 offsets 0-1\n");
        assertThat(run(concat(trusting, "consume", "cli-tls", "--template", "{offset}:{value}"), "").lines())
                .containsExactly("0:first", "1:second");

        Commands.Run untrusted = Commands.run(concat(sluice, "topic", "list"), "", Duration.ofSeconds(60));
        assertThat(untrusted.ended()).isTrue();
        assertThat(untrusted.exitCode()).as("no answer: the cluster's certificate is not trusted").isEqualTo(6);
        assertThat(untrusted.out()).isEmpty();
    }

    private static List<String> concat(List<String> command, String... more) {
        List<String> all = new ArrayList<>(command);
        all.addAll(List.of(more));
        return all;
    }

    /** Runs a command to its end (at most a minute) with {@code input} on stdin; its stdout. */
    private static String run(List<String> command, String input) throws Exception {
        Commands.Run run = Commands.run(command, input, Duration.ofSeconds(60));
        assertThat(run.ended()).as("%s ends", command).isTrue();
        assertThat(run.exitCode()).as("%s exits 0", command.getFirst()).isZero();
        return run.out();
    }

    @Test
    void withoutCredentialsTheGatewayAnswers401() throws Exception {
        assertThat(send("GET", "/v1/topics", null, false).statusCode()).isEqualTo(401);
    }

    @Test
    void plainHttpToTheGatewayGetsNoAnswer() {
        URI plain = URI.create("http://127.0.0.1:" + config.gatewayPort() + "/v1/topics");

        assertThatThrownBy(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(plain)
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class);
    }

    @Test
    void aDirectProduceWithoutClientCertificateOrSecretIsRefusedAndAppendsNothing() throws Exception {
        assertThat(send("POST", "/v1/topics", "{\"name\":\"guarded\",\"partition_count\":1,\"replication_factor\":1}",
                true).statusCode()).isEqualTo(201);
        awaitProduced("guarded");
        String before = send("GET", "/v1/topics/guarded/partitions/0", null, true).body();
        assertThat(before).contains("\"log_end_offset\":1");

        for (URI node : cluster.nodeUrls()) {
            HttpResponse<String> refused = user.send(HttpRequest.newBuilder(node.resolve(
                            "/internal/produce?acks=1&timeout_ms=5000"))
                    .header("Content-Type", "application/octet-stream")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[64])).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(refused.body()).contains("SASL_AUTHENTICATION_FAILED");
        }
        HttpResponse<String> coordinator = user.send(HttpRequest.newBuilder(config.coordinatorUrl()
                .resolve("/internal/topics")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(coordinator.statusCode()).isEqualTo(401);

        assertThat(send("GET", "/v1/topics/guarded/partitions/0", null, true).body()).as("nothing appended")
                .isEqualTo(before);
    }

    @Test
    void theClusterCertificateAloneOrTheSecretAloneOpensTheInternalPlane() throws Exception {
        HttpClient member = HttpClient.newBuilder().sslContext(material.sslContext()).build();
        Properties secrets = new Properties();
        try (var in = Files.newBufferedReader(material.properties())) {
            secrets.load(in);
        }
        URI topics = config.coordinatorUrl().resolve("/internal/topics");

        assertThat(member.send(HttpRequest.newBuilder(topics).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode()).as("mutual TLS").isEqualTo(200);
        assertThat(user.send(HttpRequest.newBuilder(topics)
                        .header("Sluice-Cluster-Secret", secrets.getProperty("sluice.security.cluster-secret")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).as("the secret").isEqualTo(200);

        // The data path is served by Reactor Netty itself, not WebFlux: the same two ways in, and no other.
        URI replicaFetch = cluster.nodeUrls().getFirst().resolve("/internal/replica-fetch");
        byte[] emptyFetch = ReplicaFetchRequestCodec.encode(
                new ReplicaFetchRequest(99, "intruder", 0, 1024, List.of())).array();
        HttpRequest.Builder fetch = HttpRequest.newBuilder(replicaFetch)
                .header("Content-Type", ReplicaFetchRequestCodec.CONTENT_TYPE)
                .POST(HttpRequest.BodyPublishers.ofByteArray(emptyFetch));
        assertThat(member.send(fetch.build(), HttpResponse.BodyHandlers.ofByteArray()).statusCode())
                .as("mutual TLS, data path").isEqualTo(200);
        assertThat(user.send(fetch.copy().header("Sluice-Cluster-Secret",
                        secrets.getProperty("sluice.security.cluster-secret")).build(),
                HttpResponse.BodyHandlers.ofByteArray()).statusCode()).as("the secret, data path").isEqualTo(200);
        assertThat(user.send(fetch.build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                .as("neither, data path").isEqualTo(401);
    }

    @Test
    void aCertificateOfAnotherCaIsNotAccepted() throws Exception {
        Path other = Files.createDirectory(baseDir.resolve("other-ca"));
        LocalCa.issue(other, LocalCa.keytool(), SecureMaterial::writeOwnerOnly);
        // Trusts this cluster's CA but presents a certificate that another CA issued.
        Files.copy(material.caCertificate(), other.resolve(LocalCa.CA_CERTIFICATE),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        HttpClient stranger = HttpClient.newBuilder().sslContext(LocalCa.sslContext(other)).build();

        assertThatThrownBy(() -> stranger.send(HttpRequest.newBuilder(config.coordinatorUrl()
                        .resolve("/internal/topics")).build(), HttpResponse.BodyHandlers.ofString()))
                .as("the handshake fails").isInstanceOf(IOException.class);
    }

    @Test
    void statusSeesEveryServiceReadyAndTheMetadataThroughTheClusterCertificate() {
        ClusterStatus status = new LocalCluster(config, reports::add).status();

        assertThat(status.services()).hasSize(4).allSatisfy(row -> {
            assertThat(row.state()).isEqualTo(ServiceStatus.State.READY);
            assertThat(row.url()).hasScheme("https");
        });
        assertThat(status.metadata()).get().satisfies(summary -> assertThat(summary.describe())
                .contains("2 of 2 nodes alive"));
    }

    private static HttpResponse<String> awaitProduced(String topic) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            HttpResponse<String> produced = send("POST", "/v1/topics/" + topic + "/records",
                    "[{\"partition\":0,\"key\":\"k\",\"value\":\"hello\"}]", true);
            if (produced.statusCode() == 200 || System.nanoTime() > deadline) {
                assertThat(produced.statusCode()).as(produced.body()).isEqualTo(200);
                return produced;
            }
            LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
        }
    }

    private static String awaitBody(String path, String expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            String body = send("GET", path, null, true).body();
            if (body.contains(expected) || System.nanoTime() > deadline) {
                assertThat(body).contains(expected);
                return body;
            }
            LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
        }
    }

    private static HttpResponse<String> send(String method, String path, String json, boolean asAdmin)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(cluster.gatewayUrl().resolve(path))
                .timeout(Duration.ofSeconds(10))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (asAdmin) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    ("admin:" + material.adminPassword()).getBytes(StandardCharsets.UTF_8)));
        }
        return user.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static SSLContext trustingOnly(Path caPem) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", LocalCa.readCertificates(Files.readString(caPem)).getFirst());
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }
}

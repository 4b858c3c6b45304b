package io.sluice.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.internal.SluiceJson;
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
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/**
 * Which credential the internal plane needs. With TLS on and client certificates wanted (as {@code up --secure} and
 * docs/security.md set it up): either one. A secure cluster whose services carry only the cluster's client
 * certificate (no cluster secret set), and one whose services carry only the cluster secret (their internal TLS bundle
 * a truststore without a key), each register, follow the metadata, produce through the gateway and replicate to the
 * follower. With client certificates needed ({@code server.ssl.client-auth=need}), a cluster on certificates does the
 * same. The controls say which credential the cluster ran on: without a secret, the secret of the material opens
 * nothing; without client certificates, the secret opens the coordinator to a caller that presents none; with
 * certificates needed, a caller without one is refused in the handshake. The cluster's certificate alone opens the
 * coordinator in every mode.
 */
class InternalPlaneCredentialsIT {

    /** The one credential every service is left with. */
    enum Credential {
        /** {@code sluice.security.cluster-secret} empty: calls carry only the cluster's client certificate. */
        CERTIFICATE_ONLY,
        /** {@code sluice.internal-tls.bundle} a truststore of the cluster's CA alone: calls carry only the secret. */
        SECRET_ONLY,
        /**
         * As {@link #CERTIFICATE_ONLY}, and the coordinator and partition services need a client certificate
         * ({@code server.ssl.client-auth=need}).
         */
        CERTIFICATE_NEEDED
    }

    @TempDir
    Path baseDir;

    private final List<String> reports = new CopyOnWriteArrayList<>();

    @ParameterizedTest
    @EnumSource(Credential.class)
    void aSecureClusterReplicatesOnTheCredentialItsModeNeeds(Credential credential) throws Exception {
        Path root = RepoRoot.find(Path.of("")).orElseThrow();
        SecureMaterial material = SecureMaterial.of(baseDir);
        ClusterConfig config = ClusterConfig.defaults(root)
                .withKinds(ServiceKind.COORDINATOR, ServiceKind.PARTITION, ServiceKind.GATEWAY)
                .withNodes(2)
                .withBaseDir(baseDir)
                .withFreePorts()
                .withStopGrace(Duration.ofSeconds(20))
                .withSecure(true);
        List<String> jvm = new ArrayList<>(config.jvmOptions());
        jvm.addAll(List.of("-XX:TieredStopAtLevel=1", "-Dreactor.netty.ioShutdownQuietPeriod=0"));
        config = config.withJvmOptions(jvm);
        for (ServiceKind kind : List.of(ServiceKind.COORDINATOR, ServiceKind.PARTITION, ServiceKind.GATEWAY)) {
            config = switch (credential) {
                // Command-line arguments override the imported sluice.properties.
                case CERTIFICATE_ONLY -> config.withArgs(kind, "--sluice.security.cluster-secret=");
                case SECRET_ONLY -> config.withArgs(kind,
                        "--spring.ssl.bundle.pem.trust-only.truststore.certificate=file:" + material.caCertificate(),
                        "--sluice.internal-tls.bundle=trust-only");
                case CERTIFICATE_NEEDED -> kind == ServiceKind.GATEWAY
                        ? config.withArgs(kind, "--sluice.security.cluster-secret=")
                        // In place of the secure cluster's client-auth=want (ClusterConfig leaves its own out).
                        : config.withArgs(kind, "--sluice.security.cluster-secret=", "--server.ssl.client-auth=need");
            };
        }
        LocalCluster cluster = new LocalCluster(config, reports::add).stopOnJvmExit();
        List<ProcessHandle> started = new ArrayList<>();
        try {
            for (ServiceProcess process : cluster.up()) {
                ProcessHandle handle = ProcessHandle.of(process.pid()).orElseThrow();
                started.add(handle);
                started.addAll(handle.descendants().toList());
            }
            HttpClient user = HttpClient.newBuilder().sslContext(trustingOnly(material.caCertificate()))
                    .connectTimeout(Duration.ofSeconds(5)).build();
            Gateway gateway = new Gateway(user, cluster.gatewayUrl(), material.adminPassword());

            assertThat(gateway.send("POST", "/v1/topics",
                    "{\"name\":\"replicated\",\"partition_count\":1,\"replication_factor\":2}").statusCode())
                    .isEqualTo(201);
            gateway.awaitProduced("replicated");
            // The high watermark passes the record only once the follower fetched it from the leader, on the one
            // credential it has; a follower refused would stay behind and then leave the ISR.
            JsonNode partition = gateway.awaitPartition("replicated", p -> p.get("high_watermark").asLong() == 1
                    && p.get("isr").size() == 2);
            assertThat(partition.get("isr")).as("in-sync replicas").hasSize(2);

            Properties secrets = new Properties();
            try (var in = Files.newBufferedReader(material.properties())) {
                secrets.load(in);
            }
            HttpRequest withTheSecret = HttpRequest.newBuilder(config.coordinatorUrl().resolve("/internal/topics"))
                    .header("Sluice-Cluster-Secret", secrets.getProperty("sluice.security.cluster-secret")).build();
            if (credential == Credential.CERTIFICATE_NEEDED) {
                assertThatThrownBy(() -> user.send(withTheSecret, HttpResponse.BodyHandlers.ofString()))
                        .as("the material's cluster secret, without a certificate, where one is needed")
                        .isInstanceOf(IOException.class);
            } else {
                int status = user.send(withTheSecret, HttpResponse.BodyHandlers.ofString()).statusCode();
                assertThat(status).as("the material's cluster secret, without a certificate, at the coordinator")
                        .isEqualTo(credential == Credential.CERTIFICATE_ONLY ? 401 : 200);
            }
            HttpClient member = HttpClient.newBuilder().sslContext(material.sslContext())
                    .connectTimeout(Duration.ofSeconds(5)).build();
            HttpRequest withTheCertificate = HttpRequest.newBuilder(config.coordinatorUrl().resolve("/internal/topics"))
                    .build();
            assertThat(member.send(withTheCertificate, HttpResponse.BodyHandlers.ofString()).statusCode())
                    .as("the cluster's client certificate, without the secret, at the coordinator").isEqualTo(200);
        } finally {
            cluster.down();
            reports.forEach(System.out::println);
        }
        assertThat(started).hasSizeGreaterThanOrEqualTo(4).noneMatch(ProcessHandle::isAlive);
    }

    /** The gateway's public API as the admin user, trusting the cluster's CA and presenting no certificate. */
    private record Gateway(HttpClient client, URI url, String adminPassword) {

        HttpResponse<String> send(String method, String path, String json) throws Exception {
            HttpRequest.Builder request = HttpRequest.newBuilder(url.resolve(path))
                    .timeout(Duration.ofSeconds(10))
                    .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                            ("admin:" + adminPassword).getBytes(StandardCharsets.UTF_8)))
                    .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(json));
            if (json != null) {
                request.header("Content-Type", "application/json");
            }
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }

        void awaitProduced(String topic) throws Exception {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (true) {
                HttpResponse<String> produced = send("POST", "/v1/topics/" + topic + "/records",
                        "[{\"partition\":0,\"key\":\"k\",\"value\":\"hello\"}]");
                if (produced.statusCode() == 200 || System.nanoTime() > deadline) {
                    assertThat(produced.statusCode()).as(produced.body()).isEqualTo(200);
                    return;
                }
                LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
            }
        }

        JsonNode awaitPartition(String topic, java.util.function.Predicate<JsonNode> done) throws Exception {
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (true) {
                String body = send("GET", "/v1/topics/" + topic + "/partitions/0", null).body();
                JsonNode partition = SluiceJson.mapper().readTree(body);
                if (done.test(partition)) {
                    return partition;
                }
                assertThat(System.nanoTime()).as("partition 0 of %s as expected within 20 s; last %s", topic, body)
                        .isLessThan(deadline);
                LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
            }
        }
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

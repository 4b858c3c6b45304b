package io.sluice.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.testing.RequiredTools;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docker-compose.yml and its security override docker-compose.secure.yml as Compose reads them; that the services of
 * docker-compose.yml boot is ComposeBootIT's part.
 */
class ComposeFileTest {

    private static final List<String> SLUICE_SERVICES = List.of("coordinator-1", "coordinator-2", "partition-1",
            "partition-2", "partition-3", "gateway", "admin-ui");

    @Test
    void dockerComposeConfigAcceptsTheFileWithEveryProfile() throws Exception {
        Path binary = dockerCompose();
        for (List<String> profile : List.of(List.<String>of(), List.of("--profile", "observability"))) {
            List<String> command = new ArrayList<>(List.of(binary.toString(), "-f",
                    ComposeFile.path().toString()));
            command.addAll(profile);
            command.addAll(List.of("config", "-q"));

            assertSucceeds(command, Map.of());
        }
    }

    @Test
    void theSecureOverrideIsAcceptedWithTheSecretsTheScriptMakes(@TempDir Path secrets) throws Exception {
        Path binary = dockerCompose();
        RequiredTools.require("openssl", "openssl");
        // A users file made beforehand is kept (the script would hash a password with htpasswd or Docker).
        Files.writeString(secrets.resolve("users"), "admin:$2y$05$abcdefghijklmnopqrstuu5s1yVjkPpM7f8lbkLNrGQzGHFyWmxWe\n");
        Map<String, String> env = Map.of("SLUICE_SECRETS", secrets.toString());

        assertSucceeds(List.of(Repo.root().resolve("deploy/compose/make-secrets.sh").toString()), env);
        for (List<String> profile : List.of(List.<String>of(), List.of("--profile", "observability"))) {
            List<String> command = new ArrayList<>(List.of(binary.toString(), "-f", ComposeFile.path().toString(),
                    "-f", ComposeFile.securePath().toString()));
            command.addAll(profile);
            command.addAll(List.of("config", "-q"));
            assertSucceeds(command, env);
        }

        for (Object secret : ComposeFile.map(ComposeFile.read(ComposeFile.securePath()).root().get("secrets"))
                .values()) {
            String file = String.valueOf(ComposeFile.map(secret).get("file")).replace("${SLUICE_SECRETS:-./secrets}",
                    secrets.toString());
            assertThat(Path.of(file)).as("a secret the override mounts").isRegularFile().isReadable();
        }
        assertThat(Files.readString(secrets.resolve("tls.key"))).startsWith("-----BEGIN PRIVATE KEY-----");
        CertificateFactory x509 = CertificateFactory.getInstance("X.509");
        X509Certificate ca = certificate(x509, secrets.resolve("ca.crt"));
        X509Certificate gateway = certificate(x509, secrets.resolve("tls.crt"));
        gateway.verify(ca.getPublicKey());
        assertThat(gateway.getSubjectAlternativeNames().stream().map(name -> String.valueOf(name.get(1))))
                .contains("gateway", "localhost", "127.0.0.1");
        for (int node = 1; node <= 3; node++) {
            X509Certificate partition = certificate(x509, secrets.resolve("partition-" + node + ".crt"));
            partition.verify(ca.getPublicKey());
            assertThat(partition.getSubjectAlternativeNames().stream().map(name -> String.valueOf(name.get(1))))
                    .containsExactlyInAnyOrder("partition-" + node, "localhost", "127.0.0.1");
            assertThat(Files.readString(secrets.resolve("partition-" + node + ".key")))
                    .startsWith("-----BEGIN PRIVATE KEY-----");
        }
        assertThat(Files.readString(secrets.resolve("users"))).startsWith("admin:$2y$05$abcdefghijklmnop");
    }

    @Test
    void theSecureOverrideSecuresEveryServiceWithSecretsMountedAsFiles() {
        ComposeFile secure = ComposeFile.read(ComposeFile.securePath());
        Map<String, Map<String, Object>> services = secure.services();

        for (String name : SLUICE_SERVICES.subList(0, 6)) {
            assertThat(ComposeFile.map(services.get(name).get("environment"))).as(name)
                    .containsEntry("SLUICE_SECURITY_ENABLED", "true")
                    .containsEntry("SPRING_CONFIG_IMPORT", "configtree:/run/secrets/sluice/");
            assertThat(secretTargets(services.get(name))).as(name)
                    .containsEntry("sluice/sluice.security.cluster-secret", "cluster_secret");
        }
        Map<String, Object> gateway = ComposeFile.map(services.get("gateway").get("environment"));
        assertThat(secretTargets(services.get("gateway")))
                .containsEntry("sluice/sluice.security.stream-tokens.secret", "stream_token_secret")
                .containsEntry("users", "users").containsEntry("tls/tls.crt", "gateway_tls_crt")
                .containsEntry("tls/tls.key", "gateway_tls_key");
        assertThat(gateway).containsEntry("SLUICE_SECURITY_BASIC_USERSFILE", "/run/secrets/users")
                .containsEntry("SERVER_SSL_BUNDLE", "public")
                .containsEntry("SPRING_SSL_BUNDLE_PEM_PUBLIC_KEYSTORE_CERTIFICATE", "file:/run/secrets/tls/tls.crt")
                .containsEntry("SPRING_SSL_BUNDLE_PEM_PUBLIC_KEYSTORE_PRIVATEKEY", "file:/run/secrets/tls/tls.key")
                // The health check asks the management port over plain HTTP.
                .containsEntry("MANAGEMENT_SERVER_SSL_ENABLED", "false");
        Map<String, Object> console = ComposeFile.map(services.get("admin-ui").get("environment"));
        assertThat(console).containsEntry("SLUICE_ADMINUI_GATEWAYURL", "https://gateway:8080")
                .containsEntry("SLUICE_ADMINUI_SIGNIN_ENABLED", "true")
                .containsEntry("SPRING_SSL_BUNDLE_PEM_GATEWAY_TRUSTSTORE_CERTIFICATE",
                        "file:/run/secrets/gateway-ca.crt");
        assertThat(secretTargets(services.get("admin-ui"))).containsOnly(Map.entry("gateway-ca.crt", "gateway_ca"));
        // Secrets are files: no service's environment carries one.
        services.forEach((name, service) -> assertThat(ComposeFile.map(service.get("environment")).keySet())
                .as(name).noneMatch(key -> key.endsWith("SECRET") || key.contains("PASSWORD")));
    }

    /** A service's secrets: target (under /run/secrets) → the top-level secret's name. */
    private static Map<String, String> secretTargets(Map<String, Object> service) {
        Map<String, String> targets = new LinkedHashMap<>();
        for (Object secret : (List<?>) service.get("secrets")) {
            Map<String, Object> mount = ComposeFile.map(secret);
            targets.put(String.valueOf(mount.get("target")), String.valueOf(mount.get("source")));
        }
        return targets;
    }

    private static X509Certificate certificate(CertificateFactory x509, Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) x509.generateCertificate(in);
        }
    }

    private static Path dockerCompose() {
        return RequiredTools.require("docker-compose", "docker-compose");
    }

    private static void assertSucceeds(List<String> command, Map<String, String> env) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(Repo.root().toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes());

        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("%s:\n%s", String.join(" ", command), output).isZero();
    }

    @Test
    void everySluiceServiceIsBuiltHealthCheckedAndReadOnly() {
        Map<String, Map<String, Object>> services = ComposeFile.read().services();

        for (String name : SLUICE_SERVICES) {
            Map<String, Object> service = services.get(name);
            assertThat(ComposeFile.target(service)).as(name).isIn(LoopbackCluster.TIERS);
            assertThat(ComposeFile.map(service.get("healthcheck")).get("test")).as(name).isNotNull();
            assertThat(service.get("read_only")).as(name).isEqualTo(true);
            assertThat(service.get("tmpfs")).as(name).asString().contains("/tmp");
        }
    }

    @Test
    void servicesWaitForTheHealthOfWhatTheyNeed() {
        Map<String, Map<String, Object>> services = ComposeFile.read().services();

        assertDependsHealthy(services, "coordinator-1", "redis");
        assertDependsHealthy(services, "partition-1", "coordinator-1", "coordinator-2");
        assertDependsHealthy(services, "gateway", "partition-1", "partition-2", "partition-3");
        assertDependsHealthy(services, "admin-ui", "gateway");
    }

    @Test
    @SuppressWarnings("unchecked")
    void redisSyncsItsAppendOnlyFileOnEveryWriteToAVolume() {
        Map<String, Object> redis = ComposeFile.read().services().get("redis");

        assertThat(String.join(" ", (List<String>) redis.get("command"))).contains("--appendonly yes",
                "--appendfsync always");
        assertThat(redis.get("volumes")).asString().contains("redis-data:/data");
    }

    @Test
    void eachPartitionServiceHasItsOwnVolumeAndNodeId() {
        Map<String, Map<String, Object>> services = ComposeFile.read().services();

        for (int node = 1; node <= 3; node++) {
            Map<String, Object> partition = services.get("partition-" + node);
            assertThat(partition.get("volumes")).asString().contains("partition-" + node + "-data:/var/lib/sluice/data");
            assertThat(ComposeFile.map(partition.get("environment")).get("SLUICE_PARTITION_NODEID"))
                    .isEqualTo(String.valueOf(node));
        }
    }

    /**
     * The direct data path: each partition service's Kafka listener is published on the host at its own port and
     * advertised there, and reaches the gateway by its name here (clients are told localhost); with the secure
     * override each serves its own certificate, signs clients in from the users file and trusts the local CA.
     */
    @Test
    void eachPartitionServiceServesKafkaClientsOnAPortOfItsOwnSecuredToo() {
        Map<String, Map<String, Object>> services = ComposeFile.read().services();
        Map<String, Map<String, Object>> secure = ComposeFile.read(ComposeFile.securePath()).services();

        assertThat(ComposeFile.map(services.get("gateway").get("environment")))
                .containsEntry("SLUICE_GATEWAY_KAFKA_ADVERTISEDHOST", "localhost")
                .containsEntry("SLUICE_GATEWAY_KAFKA_INTERNALHOST", "gateway");
        for (int node = 1; node <= 3; node++) {
            Map<String, Object> partition = services.get("partition-" + node);
            Map<String, Object> env = ComposeFile.map(partition.get("environment"));
            String port = String.valueOf(9092 + node);
            assertThat(env).containsEntry("SLUICE_PARTITION_KAFKA_ENABLED", "true")
                    .containsEntry("SLUICE_PARTITION_KAFKA_PORT", port)
                    .containsEntry("SLUICE_PARTITION_KAFKA_ADVERTISEDHOST", "localhost");
            assertThat(partition.get("ports")).asString().contains(port + ":" + port);
            Map<String, Object> secured = secure.get("partition-" + node);
            assertThat(ComposeFile.map(secured.get("environment")))
                    .doesNotContainKey("SLUICE_PARTITION_KAFKA_ENABLED")
                    .containsEntry("SLUICE_SECURITY_BASIC_USERSFILE", "/run/secrets/users")
                    .containsEntry("SLUICE_SECURITY_SUPERUSERS", "User:admin")
                    .containsEntry("SLUICE_PARTITION_KAFKA_SSLBUNDLE", "kafka")
                    .containsEntry("SPRING_SSL_BUNDLE_PEM_KAFKA_KEYSTORE_CERTIFICATE", "file:/run/secrets/tls/tls.crt")
                    .containsEntry("SPRING_SSL_BUNDLE_PEM_KAFKA_KEYSTORE_PRIVATEKEY", "file:/run/secrets/tls/tls.key")
                    .containsEntry("SLUICE_INTERNALTLS_BUNDLE", "cluster")
                    .containsEntry("SPRING_SSL_BUNDLE_PEM_CLUSTER_TRUSTSTORE_CERTIFICATE", "file:/run/secrets/ca.crt")
                    .doesNotContainKey("SERVER_SSL_BUNDLE");
            assertThat(secretTargets(secured)).containsEntry("users", "users").containsEntry("ca.crt", "gateway_ca")
                    .containsEntry("tls/tls.crt", "partition_" + node + "_tls_crt")
                    .containsEntry("tls/tls.key", "partition_" + node + "_tls_key");
        }
    }

    @Test
    void theObservabilityProfileScrapesEveryServiceAndMountsFilesThatExist() throws Exception {
        Map<String, Map<String, Object>> services = ComposeFile.read().services();
        String prometheus = Files.readString(Repo.root().resolve("deploy/prometheus/prometheus.yml"));

        for (String name : SLUICE_SERVICES) {
            assertThat(prometheus).contains("\"" + name + ":8081\"");
        }
        for (String name : List.of("prometheus", "grafana")) {
            assertThat(services.get(name).get("profiles")).asString().contains("observability");
            for (Object volume : (List<?>) services.get(name).get("volumes")) {
                String source = volume.toString().split(":")[0];
                if (source.startsWith("./")) {
                    assertThat(Repo.root().resolve(source)).as("%s mounts %s", name, source).exists();
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static void assertDependsHealthy(Map<String, Map<String, Object>> services, String name,
                                             String... dependencies) {
        Map<String, Object> dependsOn = ComposeFile.map(services.get(name).get("depends_on"));
        for (String dependency : dependencies) {
            assertThat(((Map<String, Object>) dependsOn.get(dependency)).get("condition")).as("%s on %s", name,
                    dependency).isEqualTo("service_healthy");
        }
    }
}

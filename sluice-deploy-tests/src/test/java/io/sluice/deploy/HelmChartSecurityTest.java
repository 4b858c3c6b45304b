package io.sluice.deploy;

import static io.sluice.deploy.HelmChartTest.env;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.certmanager.api.model.v1.Certificate;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretProjection;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The chart's {@code security} values (docs/deploy.md#a-secured-release): off, the release is the one HelmChartTest
 * checks; on ({@code values/secured.yaml}), every service gets the switch and the cluster secret as a file, the gateway
 * its users, JWT, quota, CORS and TLS settings, the console sign-in and the gateway's CA, and no secret value is written
 * anywhere but in a Secret.
 */
class HelmChartSecurityTest {

    private static final String SECURED = "secured.yaml";

    @Test
    void withSecurityOffNoServiceGetsASecuritySettingOrASecret() {
        Manifests manifests = Chart.manifests(null);

        assertThat(manifests.all(Secret.class)).isEmpty();
        assertThat(manifests.all(ConfigMap.class)).isEmpty();
        for (Container container : sluiceContainers(manifests).values()) {
            assertThat(env(container)).doesNotContainKeys("SLUICE_SECURITY_ENABLED", "SPRING_CONFIG_IMPORT",
                    "SLUICE_ADMINUI_SIGNIN_ENABLED");
            assertThat(container.getVolumeMounts()).extracting(VolumeMount::getName).isSubsetOf("tmp", "data");
        }
        assertThat(env(sluiceContainers(manifests).get("sluice-admin-ui")))
                .containsEntry("SLUICE_ADMINUI_GATEWAYURL", "http://sluice-gateway:8080");
    }

    @Test
    void everyServiceReadsTheSwitchAndTheClusterSecretFromAConfigTree() {
        Manifests manifests = Chart.manifests(SECURED);

        for (String name : List.of("sluice-coordinator", "sluice-partition", "sluice-gateway")) {
            PodSpec pod = podSpec(manifests, name);
            Container container = pod.getContainers().getFirst();
            assertThat(env(container)).as(name).containsEntry("SLUICE_SECURITY_ENABLED", "true");
            assertThat(env(container).get("SPRING_CONFIG_IMPORT")).as(name)
                    .startsWith("configtree:/etc/sluice/secrets/");
            assertThat(mount(container, "secrets").getMountPath()).isEqualTo("/etc/sluice/secrets");
            assertThat(mount(container, "secrets").getReadOnly()).isTrue();
            assertThat(secretItems(volume(pod, "secrets"))).as(name)
                    .containsEntry("sluice.security.cluster-secret", "sluice-security/cluster-secret");
        }
        assertThat(secretItems(volume(podSpec(manifests, "sluice-gateway"), "secrets")))
                .containsEntry("sluice.security.stream-tokens.secret", "sluice-security/stream-token-secret");
        assertThat(secretItems(volume(podSpec(manifests, "sluice-partition"), "secrets")))
                .doesNotContainKey("sluice.security.stream-tokens.secret");
    }

    @Test
    void theGeneratedSecretsAppearInTheSecretOnly() throws IOException {
        String yaml = Chart.render(SECURED, Map.of());
        Secret secret = Manifests.parse(yaml).one(Secret.class, "-security");

        assertThat(secret.getData()).containsOnlyKeys("cluster-secret", "stream-token-secret");
        for (String encoded : secret.getData().values()) {
            String value = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
            assertThat(value).hasSize(48);
            String elsewhere = withoutDocument(yaml, "kind: Secret");
            assertThat(elsewhere).doesNotContain(value).doesNotContain(encoded);
        }
        // An upgrade keeps the Secret's values, looked up in the namespace; helm template cannot look up, and each
        // render makes new ones.
        assertThat(Files.readString(Chart.dir().resolve("templates/security.yaml")))
                .contains("(lookup \"v1\" \"Secret\" $.Release.Namespace $name).data");
        assertThat(Manifests.parse(Chart.render(SECURED, Map.of())).one(Secret.class, "-security").getData())
                .isNotEqualTo(secret.getData());
    }

    @Test
    void noContainerTakesASecretThroughItsEnvironment() {
        Manifests manifests = Chart.manifests(SECURED);
        List<Container> containers = new ArrayList<>(sluiceContainers(manifests).values());

        for (Container container : containers) {
            for (EnvVar variable : container.getEnv()) {
                assertThat(variable.getValueFrom() == null || variable.getValueFrom().getSecretKeyRef() == null)
                        .as("%s %s", container.getName(), variable.getName()).isTrue();
            }
            assertThat(container.getArgs()).as(container.getName()).isNullOrEmpty();
        }
    }

    @Test
    void existingSecretsAreMountedAndNothingIsGenerated() {
        Manifests manifests = Chart.manifests(SECURED, Map.of(
                "security.clusterSecret.existingSecret", "ops-cluster", "security.clusterSecret.key", "secret",
                "security.streamTokens.existingSecret", "ops-streams"));

        assertThat(manifests.all(Secret.class)).isEmpty();
        assertThat(secretItems(volume(podSpec(manifests, "sluice-coordinator"), "secrets")))
                .containsEntry("sluice.security.cluster-secret", "ops-cluster/secret");
        assertThat(secretItems(volume(podSpec(manifests, "sluice-gateway"), "secrets")))
                .containsEntry("sluice.security.cluster-secret", "ops-cluster/secret")
                .containsEntry("sluice.security.stream-tokens.secret", "ops-streams/stream-token-secret");
    }

    @Test
    void theGatewayReadsUsersJwtSuperUsersQuotasAndCorsFromItsConfigMap() {
        Manifests manifests = Chart.manifests(SECURED);
        PodSpec gateway = podSpec(manifests, "sluice-gateway");
        Container container = gateway.getContainers().getFirst();
        Properties properties = gatewayProperties(manifests);

        assertThat(env(container).get("SPRING_CONFIG_IMPORT"))
                .isEqualTo("configtree:/etc/sluice/secrets/,file:/etc/sluice/config/security.properties");
        assertThat(volume(gateway, "security-config").getConfigMap().getName()).isEqualTo("sluice-gateway-security");
        assertThat(mount(container, "security-config").getMountPath()).isEqualTo("/etc/sluice/config");
        assertThat(volume(gateway, "users").getSecret().getSecretName()).isEqualTo("sluice-users");
        assertThat(volume(gateway, "users").getSecret().getItems()).extracting(KeyToPath::getKey, KeyToPath::getPath)
                .containsExactly(Tuple.tuple("users", "users"));
        assertThat(mount(container, "users").getMountPath()).isEqualTo("/etc/sluice/users");
        assertThat(mount(container, "users").getReadOnly()).isTrue();
        assertThat(properties)
                .containsEntry("sluice.security.basic.users-file", "/etc/sluice/users/users")
                .containsEntry("sluice.security.jwt.jwk-set-uri", "https://id.example.com/.well-known/jwks.json")
                .containsEntry("sluice.security.jwt.issuer", "https://id.example.com/")
                .containsEntry("sluice.security.jwt.audience", "sluice")
                .containsEntry("sluice.security.super-users", "User:admin,User:ops")
                .containsEntry("sluice.security.stream-tokens.ttl", "2m")
                .containsEntry("sluice.security.quotas.defaults.produce-bytes-per-second", "5MB")
                .containsEntry("sluice.security.quotas.defaults.requests-per-second", "100")
                .containsEntry("sluice.security.quotas.overrides[User:batch-loader].produce-bytes-per-second", "50MB")
                .containsEntry("sluice.security.cors.allowed-origins", "https://console.example.com")
                .containsEntry("sluice.security.cors.max-age", "30m")
                .doesNotContainKey("sluice.security.quotas.defaults.fetch-bytes-per-second");
    }

    @Test
    void aJwtPublicKeyIsAFileFromItsSecret() {
        Manifests manifests = Chart.manifests(SECURED, Map.of("security.jwt.jwkSetUri", "",
                "security.jwt.publicKey.existingSecret", "idp-key"));
        PodSpec gateway = podSpec(manifests, "sluice-gateway");

        assertThat(volume(gateway, "jwt").getSecret().getSecretName()).isEqualTo("idp-key");
        assertThat(volume(gateway, "jwt").getSecret().getItems().getFirst().getPath()).isEqualTo("public-key.pem");
        assertThat(mount(gateway.getContainers().getFirst(), "jwt").getMountPath()).isEqualTo("/etc/sluice/jwt");
        assertThat(gatewayProperties(manifests))
                .containsEntry("sluice.security.jwt.public-key-file", "/etc/sluice/jwt/public-key.pem")
                .doesNotContainKey("sluice.security.jwt.jwk-set-uri");
    }

    @Test
    void theGatewayServesTlsFromTheTlsSecretAsAPemBundleAndIsStillProbedOverPlainManagementHttp() {
        Manifests manifests = Chart.manifests(SECURED);
        PodSpec gateway = podSpec(manifests, "sluice-gateway");
        Container container = gateway.getContainers().getFirst();

        assertThat(volume(gateway, "tls").getSecret().getSecretName()).isEqualTo("sluice-gateway-tls");
        assertThat(volume(gateway, "tls").getSecret().getItems()).extracting(KeyToPath::getKey)
                .containsExactly("tls.crt", "tls.key");
        assertThat(mount(container, "tls").getMountPath()).isEqualTo("/etc/sluice/tls");
        assertThat(mount(container, "tls").getReadOnly()).isTrue();
        assertThat(gatewayProperties(manifests))
                .containsEntry("server.ssl.bundle", "public")
                .containsEntry("spring.ssl.bundle.pem.public.keystore.certificate", "file:/etc/sluice/tls/tls.crt")
                .containsEntry("spring.ssl.bundle.pem.public.keystore.private-key", "file:/etc/sluice/tls/tls.key")
                .containsEntry("spring.ssl.bundle.pem.public.reload-on-update", "true")
                .containsEntry("management.server.ssl.enabled", "false");
        // The management port inherits the public port's SSL unless told not to: probes and scrapes stay plain HTTP.
        for (Probe probe : List.of(container.getStartupProbe(), container.getLivenessProbe(),
                container.getReadinessProbe())) {
            assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("management");
            assertThat(probe.getHttpGet().getScheme()).isNull();
        }
        assertThat(manifests.one(Service.class, "-gateway").getSpec().getPorts().getFirst().getAppProtocol())
                .isEqualTo("https");
        ServiceMonitor monitor = manifests.one(ServiceMonitor.class, "sluice");
        assertThat(monitor.getSpec().getEndpoints()).singleElement().satisfies(endpoint -> {
            assertThat(endpoint.getPort()).isEqualTo("management");
            assertThat(endpoint.getScheme()).isNull();
        });
    }

    @Test
    void theConsoleSignsInAndCallsTheGatewayOverHttpsTrustingItsCa() {
        Manifests manifests = Chart.manifests(SECURED);
        PodSpec console = podSpec(manifests, "sluice-admin-ui");
        Container container = console.getContainers().getFirst();

        assertThat(env(container)).containsEntry("SLUICE_ADMINUI_SIGNIN_ENABLED", "true")
                .containsEntry("SLUICE_ADMINUI_GATEWAYURL", "https://sluice-gateway:8080")
                .containsEntry("SPRING_SSL_BUNDLE_PEM_GATEWAY_TRUSTSTORE_CERTIFICATE",
                        "file:/etc/sluice/gateway-ca/ca.crt")
                .containsEntry("SPRING_HTTP_CLIENTS_SSL_BUNDLE", "gateway");
        assertThat(volume(console, "gateway-ca").getSecret().getSecretName()).isEqualTo("sluice-gateway-tls");
        assertThat(volume(console, "gateway-ca").getSecret().getItems()).extracting(KeyToPath::getKey,
                KeyToPath::getPath).containsExactly(Tuple.tuple("ca.crt", "ca.crt"));
        assertThat(mount(container, "gateway-ca").getMountPath()).isEqualTo("/etc/sluice/gateway-ca");
        // Only the CA: the console never sees the gateway's private key.
        assertThat(console.getVolumes()).noneMatch(v -> v.getSecret() != null && v.getSecret().getItems().stream()
                .anyMatch(item -> item.getKey().equals("tls.key")));
    }

    @Test
    void certManagerIssuesTheGatewaysCertificateForItsServiceNames() {
        Manifests manifests = Chart.manifests(SECURED, Map.of("security.tls.existingSecret", "",
                "security.tls.certManager.enabled", true, "security.tls.certManager.issuerRef.name", "sluice-ca",
                "security.tls.certManager.issuerRef.kind", "ClusterIssuer"));
        Certificate certificate = manifests.one(Certificate.class, "-gateway");

        assertThat(certificate.getSpec().getSecretName()).isEqualTo("sluice-gateway-tls");
        assertThat(certificate.getSpec().getIssuerRef().getName()).isEqualTo("sluice-ca");
        assertThat(certificate.getSpec().getIssuerRef().getKind()).isEqualTo("ClusterIssuer");
        assertThat(certificate.getSpec().getDnsNames()).contains("sluice-gateway",
                "sluice-gateway.streaming.svc.cluster.local");
        assertThat(certificate.getSpec().getPrivateKey().getEncoding()).isEqualTo("PKCS8");
        assertThat(volume(podSpec(manifests, "sluice-gateway"), "tls").getSecret().getSecretName())
                .isEqualTo(certificate.getSpec().getSecretName());
        assertThat(volume(podSpec(manifests, "sluice-admin-ui"), "gateway-ca").getSecret().getSecretName())
                .isEqualTo(certificate.getSpec().getSecretName());
        assertThat(Chart.manifests(SECURED).all(Certificate.class)).isEmpty();
    }

    @Test
    void tlsAloneNeedsNoSecurityAndGeneratesNoSecret() {
        Manifests manifests = Chart.manifests(null, Map.of("security.tls.enabled", true,
                "security.tls.existingSecret", "gateway-tls"));
        Container gateway = podSpec(manifests, "sluice-gateway").getContainers().getFirst();

        assertThat(manifests.all(Secret.class)).isEmpty();
        assertThat(env(gateway)).doesNotContainKey("SLUICE_SECURITY_ENABLED")
                .containsEntry("SPRING_CONFIG_IMPORT", "file:/etc/sluice/config/security.properties");
        assertThat(gatewayProperties(manifests)).containsEntry("server.ssl.bundle", "public")
                .doesNotContainKey("sluice.security.basic.users-file");
        assertThat(env(podSpec(manifests, "sluice-admin-ui").getContainers().getFirst()))
                .doesNotContainKey("SLUICE_ADMINUI_SIGNIN_ENABLED");
    }

    @Test
    void withSecurityOnThePartitionsKafkaListenersSignClientsInAsTheGatewayDoes() {
        Manifests manifests = Chart.manifests(SECURED, Map.of("security.tls.enabled", false,
                "security.tls.existingSecret", ""));
        PodSpec partition = podSpec(manifests, "sluice-partition");
        Container container = partition.getContainers().getFirst();
        Properties properties = properties(manifests, "-partition-security");

        assertThat(env(container)).containsEntry("SLUICE_PARTITION_KAFKA_ENABLED", "true")
                .containsEntry("SPRING_CONFIG_IMPORT",
                        "configtree:/etc/sluice/secrets/,file:/etc/sluice/config/security.properties");
        assertThat(volume(partition, "security-config").getConfigMap().getName())
                .isEqualTo("sluice-partition-security");
        assertThat(mount(container, "users").getMountPath()).isEqualTo("/etc/sluice/users");
        assertThat(volume(partition, "users").getSecret().getSecretName()).isEqualTo("sluice-users");
        Properties gateway = gatewayProperties(manifests);
        for (String key : List.of("sluice.security.basic.users-file", "sluice.security.jwt.jwk-set-uri",
                "sluice.security.super-users", "sluice.security.quotas.defaults.produce-bytes-per-second",
                "sluice.security.quotas.overrides[User:batch-loader].produce-bytes-per-second")) {
            assertThat(properties.getProperty(key)).as(key).isNotNull().isEqualTo(gateway.getProperty(key));
        }
        assertThat(properties).doesNotContainKeys("sluice.partition.kafka.ssl-bundle", "server.ssl.bundle",
                "sluice.security.stream-tokens.ttl");
        assertThat(container.getVolumeMounts()).extracting(VolumeMount::getName).doesNotContain("tls");
    }

    @Test
    void withTlsAndNoCertificateForThePodsThePartitionsStayBehindTheGateways() {
        Manifests manifests = Chart.manifests(SECURED);
        PodSpec partition = podSpec(manifests, "sluice-partition");

        assertThat(env(partition.getContainers().getFirst())).doesNotContainKey("SLUICE_PARTITION_KAFKA_ENABLED");
        assertThat(partition.getVolumes()).extracting(Volume::getName).doesNotContain("tls", "gateway-ca");
        assertThat(properties(manifests, "-partition-security")).doesNotContainKey("sluice.partition.kafka.ssl-bundle");
    }

    @Test
    void withACertificateForThePodsThePartitionsServeTlsAndTrustTheGatewaysCa() {
        Manifests manifests = Chart.manifests(SECURED, Map.of("security.tls.partitions.existingSecret",
                "partition-tls"));
        PodSpec partition = podSpec(manifests, "sluice-partition");
        Container container = partition.getContainers().getFirst();

        assertThat(env(container)).containsEntry("SLUICE_PARTITION_KAFKA_ENABLED", "true");
        assertThat(volume(partition, "tls").getSecret().getSecretName()).isEqualTo("partition-tls");
        assertThat(volume(partition, "gateway-ca").getSecret().getSecretName()).isEqualTo("sluice-gateway-tls");
        assertThat(mount(container, "tls").getMountPath()).isEqualTo("/etc/sluice/tls");
        assertThat(mount(container, "gateway-ca").getMountPath()).isEqualTo("/etc/sluice/gateway-ca");
        assertThat(properties(manifests, "-partition-security"))
                .containsEntry("sluice.partition.kafka.ssl-bundle", "kafka")
                .containsEntry("spring.ssl.bundle.pem.kafka.keystore.certificate", "file:/etc/sluice/tls/tls.crt")
                .containsEntry("spring.ssl.bundle.pem.kafka.keystore.private-key", "file:/etc/sluice/tls/tls.key")
                .containsEntry("sluice.internal-tls.bundle", "cluster")
                .containsEntry("spring.ssl.bundle.pem.cluster.truststore.certificate",
                        "file:/etc/sluice/gateway-ca/ca.crt")
                // The internal HTTP API stays plain: the coordinators and gateways call it over http://.
                .doesNotContainKey("server.ssl.bundle");
        // The partitions forward to the gateways' Service, which the gateway's certificate names, whatever clients
        // are told.
        assertThat(env(podSpec(manifests, "sluice-gateway").getContainers().getFirst()))
                .containsEntry("SLUICE_GATEWAY_KAFKA_INTERNALHOST", "sluice-gateway.streaming.svc")
                .containsEntry("SLUICE_GATEWAY_KAFKA_INTERNALPORT", "9092");
    }

    @Test
    void certManagerIssuesThePartitionsACertificateForEveryPodsName() {
        Manifests manifests = Chart.manifests(SECURED, Map.of("security.tls.existingSecret", "",
                "security.tls.certManager.enabled", true, "security.tls.certManager.issuerRef.name", "sluice-ca"));
        Certificate certificate = manifests.one(Certificate.class, "-partition");

        assertThat(certificate.getSpec().getDnsNames()).containsExactly("*.sluice-partition.streaming.svc",
                "*.sluice-partition.streaming.svc.cluster.local");
        assertThat(certificate.getSpec().getSecretName()).isEqualTo("sluice-partition-tls");
        assertThat(certificate.getSpec().getIssuerRef().getName()).isEqualTo("sluice-ca");
        assertThat(volume(podSpec(manifests, "sluice-partition"), "tls").getSecret().getSecretName())
                .isEqualTo("sluice-partition-tls");
        assertThat(env(podSpec(manifests, "sluice-partition").getContainers().getFirst()))
                .containsEntry("SLUICE_PARTITION_KAFKA_ADVERTISEDHOST",
                        "$(POD_NAME).sluice-partition.$(POD_NAMESPACE).svc.cluster.local");
    }

    @Test
    void theHelmTestChecksTheRefusalAndSignsInWithItsCredentialsFromFiles(@TempDir Path workDir) {
        Pod test = Chart.testPods(workDir, SECURED).getFirst();
        Container container = test.getSpec().getContainers().getFirst();
        String script = String.join("\n", container.getArgs());

        assertThat(env(container)).containsEntry("GATEWAY", "https://sluice-gateway:8080")
                .containsEntry("CURL_CA_BUNDLE", "/etc/sluice/gateway-ca/ca.crt")
                .containsEntry("SECURED", "true")
                .containsEntry("CREDENTIALS", "/etc/sluice/test-credentials");
        assertThat(test.getSpec().getVolumes()).extracting(v -> v.getSecret().getSecretName())
                .containsExactlyInAnyOrder("sluice-gateway-tls", "sluice-helm-test");
        assertThat(script).contains("test \"$status\" = 401", "curl -K -");
    }

    @Test
    void clientCertificatesOfTheirCaSignInAtTheGatewaysHttpsAndEveryKafkaListenerByTheRulesGiven() {
        Manifests manifests = Chart.layered(List.of(SECURED, "client-certificates.yaml"));
        Properties gateway = gatewayProperties(manifests);
        Properties partition = properties(manifests, "-partition-security");

        for (Properties properties : List.of(gateway, partition)) {
            assertThat(properties).containsEntry("sluice.security.tls.client-auth", "required")
                    .containsEntry("sluice.security.tls.principal-mapping-rules",
                            "RULE:^CN=([^,]*)\\.ops,OU=clients.*$/$1/L,DEFAULT")
                    .containsEntry("sluice.security.sasl.max-session-lifetime", "1h");
        }
        // HTTPS only asks: the console and the helm test call it without a certificate.
        assertThat(gateway).containsEntry("server.ssl.client-auth", "want")
                .containsEntry("spring.ssl.bundle.pem.public.truststore.certificate",
                        "file:/etc/sluice/client-ca/ca.crt");
        assertThat(partition).containsEntry("spring.ssl.bundle.pem.kafka.truststore.certificate",
                "file:/etc/sluice/client-ca/ca.crt")
                // Under required, the partitions' forwards to the gateways present the pods' certificate.
                .containsEntry("spring.ssl.bundle.pem.cluster.keystore.certificate", "file:/etc/sluice/tls/tls.crt")
                .containsEntry("spring.ssl.bundle.pem.cluster.keystore.private-key", "file:/etc/sluice/tls/tls.key");
        Manifests requested = Chart.layered(List.of(SECURED, "client-certificates.yaml",
                "client-certificates-requested.yaml"));
        assertThat(properties(requested, "-partition-security"))
                .containsEntry("sluice.security.tls.client-auth", "requested")
                .doesNotContainKey("spring.ssl.bundle.pem.cluster.keystore.certificate");
        for (String name : List.of("sluice-gateway", "sluice-partition")) {
            PodSpec pod = podSpec(manifests, name);
            assertThat(volume(pod, "client-ca").getSecret().getSecretName()).as(name).isEqualTo("clients-ca");
            assertThat(volume(pod, "client-ca").getSecret().getItems()).singleElement()
                    .satisfies(item -> assertThat(item.getKey() + ">" + item.getPath()).isEqualTo("clients.pem>ca.crt"));
            assertThat(mount(pod.getContainers().getFirst(), "client-ca").getMountPath()).as(name)
                    .isEqualTo("/etc/sluice/client-ca");
        }
        assertThat(gatewayProperties(Chart.manifests(SECURED))).doesNotContainKeys("server.ssl.client-auth",
                "sluice.security.tls.client-auth", "sluice.security.sasl.max-session-lifetime");
    }

    @Test
    void clientCertificatesWithoutTlsAreRefused() {
        assertThatThrownBy(() -> Chart.render(SECURED, Map.of("security.tls.enabled", false,
                "security.tls.existingSecret", "", "security.clientCertificates.clientAuth", "requested",
                "security.clientCertificates.caSecret", "clients-ca")))
                .hasMessageContaining("security.clientCertificates.clientAuth needs security.enabled, "
                        + "security.tls.enabled and security.clientCertificates.caSecret");
    }

    @ParameterizedTest
    @MethodSource("badSecurityValues")
    void theSchemaRefusesSecurityThatCannotWork(Map<String, Object> values, String message) {
        assertThatThrownBy(() -> Chart.render(null, values))
                .hasMessageContaining("values don't meet the specifications of the schema")
                .hasMessageContaining(message);
    }

    static Stream<Arguments> badSecurityValues() {
        return Stream.of(
                // On, with no way to sign in: the gateway would refuse to start.
                Arguments.of(Map.of("security.enabled", true), "at '/security': 'anyOf' failed"),
                Arguments.of(Map.of("security.enabled", true, "security.basic.existingSecret", "users",
                        "security.jwt.jwkSetUri", "https://id.example.com/jwks",
                        "security.jwt.publicKey.existingSecret", "key"), "at '/security/jwt': 'not' failed"),
                Arguments.of(Map.of("security.tls.enabled", true), "at '/security/tls': 'oneOf' failed, none matched"),
                Arguments.of(Map.of("security.tls.enabled", true, "security.tls.existingSecret", "gateway-tls",
                        "security.tls.certManager.enabled", true,
                        "security.tls.certManager.issuerRef.name", "ca"),
                        "at '/security/tls': 'oneOf' failed, subschemas 0, 1 matched"),
                Arguments.of(Map.of("security.tls.enabled", true, "security.tls.certManager.enabled", true),
                        "at '/security/tls/certManager/issuerRef/name'"),
                Arguments.of(Map.of("security.superUsers[0]", "admin"), "/security/superUsers/0"),
                Arguments.of(Map.of("security.quotas.defaults.produceBytesPerSecond", "lots"),
                        "/security/quotas/defaults/produceBytesPerSecond"),
                Arguments.of(Map.of("security.cors.allowedOrigins[0]", "console.example.com"),
                        "/security/cors/allowedOrigins/0"),
                Arguments.of(Map.of("security.clientCertificates.clientAuth", "want"),
                        "/security/clientCertificates/clientAuth"),
                Arguments.of(Map.of("security.clientCertificates.clientAuth", "required"),
                        "/security/clientCertificates/caSecret"),
                Arguments.of(Map.of("security.sasl.maxSessionLifetime", "an hour"),
                        "/security/sasl/maxSessionLifetime"));
    }

    /** Every Sluice container of the release, by its Deployment's or StatefulSet's name. */
    private static Map<String, Container> sluiceContainers(Manifests manifests) {
        Map<String, Container> containers = new LinkedHashMap<>();
        for (String name : List.of("sluice-coordinator", "sluice-partition", "sluice-gateway", "sluice-admin-ui")) {
            containers.put(name, podSpec(manifests, name).getContainers().getFirst());
        }
        return containers;
    }

    private static PodSpec podSpec(Manifests manifests, String name) {
        return manifests.find(Deployment.class, name).map(d -> d.getSpec().getTemplate().getSpec())
                .or(() -> manifests.find(StatefulSet.class, name).map(s -> s.getSpec().getTemplate().getSpec()))
                .orElseThrow(() -> new AssertionError("No workload " + name));
    }

    private static Volume volume(PodSpec pod, String name) {
        return pod.getVolumes().stream().filter(v -> v.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("No volume " + name + " in " + pod.getVolumes()));
    }

    private static VolumeMount mount(Container container, String name) {
        return container.getVolumeMounts().stream().filter(m -> m.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("No mount " + name + " in " + container.getName()));
    }

    /** A projected volume's Secret items: file path → secret/key. */
    private static Map<String, String> secretItems(Volume volume) {
        Map<String, String> items = new LinkedHashMap<>();
        for (var source : volume.getProjected().getSources()) {
            SecretProjection secret = source.getSecret();
            for (KeyToPath item : secret.getItems()) {
                items.put(item.getPath(), secret.getName() + "/" + item.getKey());
            }
        }
        return items;
    }

    /** The gateway's security.properties, read as Spring Boot reads a properties file (escapes included). */
    private static Properties gatewayProperties(Manifests manifests) {
        return properties(manifests, "-gateway-security");
    }

    /** The security.properties of the ConfigMap whose name ends in {@code suffix}. */
    private static Properties properties(Manifests manifests, String suffix) {
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(manifests.one(ConfigMap.class, suffix).getData()
                    .get("security.properties")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    /** The rendered YAML without the documents that contain {@code marker}. */
    private static String withoutDocument(String yaml, String marker) {
        return String.join("\n---\n", Stream.of(yaml.split("(?m)^---\\s*$")).filter(d -> !d.contains(marker))
                .toList());
    }
}

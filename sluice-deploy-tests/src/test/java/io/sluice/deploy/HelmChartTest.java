package io.sluice.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The Helm chart at helm/sluice, rendered by Helm's library and read through fabric8's typed Kubernetes model. */
class HelmChartTest {

    @Test
    void theChartLintsCleanInStrictMode() {
        LintResult lint = new Helm(Chart.dir()).lint().strict().call();

        assertThat(lint.isFailed()).as("helm lint --strict: %s", lint.getMessages()).isFalse();
    }

    @Test
    void theDefaultsRenderEveryComponent() {
        Manifests manifests = Chart.manifests(null);

        assertThat(manifests.kinds()).containsOnly("Deployment", "StatefulSet", "Service", "PodDisruptionBudget");
        assertThat(manifests.one(Deployment.class, "-coordinator").getSpec().getReplicas()).isEqualTo(2);
        assertThat(manifests.one(StatefulSet.class, "-partition").getSpec().getReplicas()).isEqualTo(3);
        assertThat(manifests.one(Deployment.class, "-gateway").getSpec().getReplicas()).isEqualTo(2);
        assertThat(manifests.one(Deployment.class, "-admin-ui").getSpec().getReplicas()).isEqualTo(1);
        assertThat(manifests.find(StatefulSet.class, "-redis")).isPresent();
        assertThat(manifests.all(Ingress.class)).isEmpty();
    }

    @Test
    void partitionServicesAreAStatefulSetWithAVolumeEachBehindAHeadlessService() {
        Manifests manifests = Chart.manifests(null);
        StatefulSet partitions = manifests.one(StatefulSet.class, "-partition");
        Service headless = manifests.one(Service.class, "-partition");

        assertThat(partitions.getSpec().getServiceName()).isEqualTo(headless.getMetadata().getName());
        assertThat(headless.getSpec().getClusterIP()).isEqualTo("None");
        assertThat(headless.getSpec().getPublishNotReadyAddresses()).isTrue();
        assertThat(partitions.getSpec().getVolumeClaimTemplates()).singleElement().satisfies(claim -> {
            assertThat(claim.getMetadata().getName()).isEqualTo("data");
            assertThat(claim.getSpec().getResources().getRequests().get("storage").toString()).isEqualTo("20Gi");
        });
        Container container = partitions.getSpec().getTemplate().getSpec().getContainers().getFirst();
        assertThat(container.getVolumeMounts()).anySatisfy(mount -> {
            assertThat(mount.getName()).isEqualTo("data");
            assertThat(mount.getMountPath()).isEqualTo("/var/lib/sluice/data");
        });
        // No node id is given: each pod takes its ordinal from its name (PodOrdinalNodeId).
        assertThat(env(container)).doesNotContainKey("SLUICE_PARTITION_NODEID")
                .containsEntry("SLUICE_PARTITION_DATADIR", "/var/lib/sluice/data")
                .containsEntry("SLUICE_PARTITION_ADVERTISEDURL",
                        "http://$(POD_NAME).sluice-partition.$(POD_NAMESPACE).svc.cluster.local:9501");
    }

    @Test
    void partitionServicesGetAGracePeriodLongerThanTheirShutdown() {
        PodSpec pod = Chart.manifests(null).one(StatefulSet.class, "-partition").getSpec().getTemplate().getSpec();
        Map<String, String> env = env(pod.getContainers().getFirst());

        assertThat(pod.getTerminationGracePeriodSeconds()).isEqualTo(60);
        assertThat(env).containsEntry("SLUICE_PARTITION_REPLICATION_SHUTDOWNTIMEOUT", "15s")
                .containsEntry("SPRING_LIFECYCLE_TIMEOUTPERSHUTDOWNPHASE", "30s");
    }

    @Test
    void everyPartitionServiceMayBeDisruptedOnlyOneAtATime() {
        PodDisruptionBudget budget = Chart.manifests(null).one(PodDisruptionBudget.class, "-partition");

        assertThat(budget.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
        assertThat(budget.getSpec().getSelector().getMatchLabels())
                .containsEntry("app.kubernetes.io/component", "partition");
    }

    @Test
    void coordinatorsGatewaysHaveBudgetsToo() {
        Manifests manifests = Chart.manifests(null);

        assertThat(manifests.all(PodDisruptionBudget.class)).extracting(b -> b.getMetadata().getName())
                .containsExactlyInAnyOrder("sluice-coordinator", "sluice-partition", "sluice-gateway");
    }

    /** Kafka clients reach the gateways' Kafka listeners through the gateway Service, whose address they are given. */
    @Test
    void gatewaysListenForKafkaClientsBehindTheirServiceAndAdvertiseIt() {
        Manifests manifests = Chart.manifests(null);
        Container gateway = manifests.one(Deployment.class, "-gateway").getSpec().getTemplate().getSpec()
                .getContainers().getFirst();

        assertThat(gateway.getPorts()).anySatisfy(port -> {
            assertThat(port.getName()).isEqualTo("kafka");
            assertThat(port.getContainerPort()).isEqualTo(9092);
        });
        assertThat(gateway.getEnv()).extracting(EnvVar::getName, EnvVar::getValue).contains(
                org.assertj.core.groups.Tuple.tuple("SLUICE_GATEWAY_KAFKA_HOST", "0.0.0.0"),
                org.assertj.core.groups.Tuple.tuple("SLUICE_GATEWAY_KAFKA_PORT", "9092"),
                org.assertj.core.groups.Tuple.tuple("SLUICE_GATEWAY_KAFKA_ADVERTISEDHOST",
                        "sluice-gateway.streaming.svc"));
        assertThat(manifests.one(Service.class, "-gateway").getSpec().getPorts()).anySatisfy(port -> {
            assertThat(port.getName()).isEqualTo("kafka");
            assertThat(port.getPort()).isEqualTo(9092);
        });

        Container off = Chart.manifests(null, Map.of("gateway.kafka.enabled", false)).one(Deployment.class, "-gateway")
                .getSpec().getTemplate().getSpec().getContainers().getFirst();
        assertThat(off.getPorts()).noneMatch(port -> "kafka".equals(port.getName()));
        assertThat(off.getEnv()).extracting(EnvVar::getName, EnvVar::getValue)
                .contains(org.assertj.core.groups.Tuple.tuple("SLUICE_GATEWAY_KAFKA_ENABLED", "false"));
    }

    /**
     * The direct data path by default: each partition pod runs a Kafka listener advertised at its own address behind
     * the headless Service, the gateways name the nodes leaders and answer as a broker id beyond the pod ordinals;
     * with security on, or the gateways' listener off, the pods run none.
     */
    @Test
    void partitionPodsServeKafkaClientsAtTheirOwnAddressesOnTheDirectPath() {
        Manifests manifests = Chart.manifests(null);
        Container partition = manifests.one(StatefulSet.class, "-partition").getSpec().getTemplate().getSpec()
                .getContainers().getFirst();
        Container gateway = manifests.one(Deployment.class, "-gateway").getSpec().getTemplate().getSpec()
                .getContainers().getFirst();

        assertThat(partition.getPorts()).anySatisfy(port -> {
            assertThat(port.getName()).isEqualTo("kafka");
            assertThat(port.getContainerPort()).isEqualTo(9093);
        });
        assertThat(partition.getEnv()).extracting(EnvVar::getName, EnvVar::getValue).contains(
                org.assertj.core.groups.Tuple.tuple("SLUICE_PARTITION_KAFKA_ENABLED", "true"),
                org.assertj.core.groups.Tuple.tuple("SLUICE_PARTITION_KAFKA_HOST", "0.0.0.0"),
                org.assertj.core.groups.Tuple.tuple("SLUICE_PARTITION_KAFKA_PORT", "9093"),
                org.assertj.core.groups.Tuple.tuple("SLUICE_PARTITION_KAFKA_ADVERTISEDHOST",
                        "$(POD_NAME).sluice-partition.$(POD_NAMESPACE).svc.cluster.local"));
        assertThat(manifests.one(Service.class, "-partition").getSpec().getPorts())
                .anySatisfy(port -> assertThat(port.getName()).isEqualTo("kafka"));
        assertThat(gateway.getEnv()).extracting(EnvVar::getName, EnvVar::getValue).contains(
                org.assertj.core.groups.Tuple.tuple("SLUICE_GATEWAY_KAFKA_DATAPATH", "direct"),
                org.assertj.core.groups.Tuple.tuple("SLUICE_GATEWAY_KAFKA_NODEID", "1000"));

        List<Manifests> without = List.of(Chart.manifests(null, Map.of("partition.kafka.enabled", false)),
                Chart.manifests(null, Map.of("gateway.kafka.enabled", false)), Chart.manifests("secured.yaml"));
        for (Manifests off : without) {
            Container none = off.one(StatefulSet.class, "-partition").getSpec().getTemplate().getSpec()
                    .getContainers().getFirst();
            assertThat(none.getPorts()).noneMatch(port -> "kafka".equals(port.getName()));
            assertThat(none.getEnv()).noneMatch(env -> env.getName().startsWith("SLUICE_PARTITION_KAFKA_"));
        }
    }

    /**
     * Tiered storage off by default; on, every partition pod names the bucket and takes its credentials from the
     * Secret (never from the values), and the coordinators accept tiered topics.
     */
    @Test
    void remoteStorageNamesTheBucketAndTakesItsCredentialsFromASecret() {
        Manifests off = Chart.manifests(null);
        assertThat(off.one(StatefulSet.class, "-partition").getSpec().getTemplate().getSpec().getContainers()
                .getFirst().getEnv()).noneMatch(env -> env.getName().startsWith("SLUICE_PARTITION_REMOTESTORAGE_"));

        Manifests on = Chart.manifests(null, Map.of("remoteStorage.enabled", true, "remoteStorage.bucket", "history",
                "remoteStorage.endpoint", "http://minio.storage:9000", "remoteStorage.existingSecret", "s3-keys"));
        Container partition = on.one(StatefulSet.class, "-partition").getSpec().getTemplate().getSpec()
                .getContainers().getFirst();
        assertThat(env(partition)).containsEntry("SLUICE_PARTITION_REMOTESTORAGE_ENABLED", "true")
                .containsEntry("SLUICE_PARTITION_REMOTESTORAGE_BUCKET", "history")
                .containsEntry("SLUICE_PARTITION_REMOTESTORAGE_ENDPOINT", "http://minio.storage:9000")
                .containsEntry("SLUICE_PARTITION_REMOTESTORAGE_PREFIX", "sluice");
        assertThat(partition.getEnv()).filteredOn(env -> env.getName().endsWith("_ACCESSKEY")
                        || env.getName().endsWith("_SECRETKEY"))
                .hasSize(2)
                .allSatisfy(env -> assertThat(env.getValueFrom().getSecretKeyRef().getName()).isEqualTo("s3-keys"));
        assertThat(env(on.one(Deployment.class, "-coordinator").getSpec().getTemplate().getSpec().getContainers()
                .getFirst())).containsEntry("SLUICE_COORDINATOR_REMOTESTORAGEENABLED", "true");
        assertThatThrownBy(() -> Chart.render(null, Map.of("remoteStorage.enabled", true)))
                .as("no bucket").hasMessageContaining("values don't meet the specifications of the schema");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-coordinator", "-gateway", "-admin-ui"})
    void everyJavaServiceIsProbedOnItsManagementPort(String name) {
        Container container = Chart.manifests(null).one(Deployment.class, name).getSpec().getTemplate().getSpec()
                .getContainers().getFirst();

        assertProbedOnManagementPort(container);
    }

    @Test
    void partitionServicesAreProbedOnTheirManagementPort() {
        assertProbedOnManagementPort(Chart.manifests(null).one(StatefulSet.class, "-partition").getSpec()
                .getTemplate().getSpec().getContainers().getFirst());
    }

    @ParameterizedTest
    @MethodSource("valuesFiles")
    void everyPodRunsRestrictedWithAReadOnlyRootFilesystem(String valuesFile, @TempDir Path workDir) {
        for (PodSpec pod : podSpecs(Chart.withHooks(workDir, valuesFile, Map.of()))) {
            assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
            assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
            assertThat(pod.getAutomountServiceAccountToken()).isFalse();
            for (Container container : pod.getContainers()) {
                assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
                assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
                assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("valuesFiles")
    void everyServiceContainerHasResourcesAndSpreadsOverNodes(String valuesFile) {
        Manifests manifests = Chart.manifests(valuesFile);
        List<PodSpec> pods = new ArrayList<>();
        manifests.all(Deployment.class).forEach(d -> pods.add(d.getSpec().getTemplate().getSpec()));
        manifests.all(StatefulSet.class).forEach(s -> pods.add(s.getSpec().getTemplate().getSpec()));
        for (PodSpec pod : pods) {
            assertThat(pod.getContainers().getFirst().getResources().getRequests()).containsKeys("cpu", "memory");
            assertThat(pod.getContainers().getFirst().getResources().getLimits()).containsKey("memory");
        }
        List<PodSpec> spread = new ArrayList<>();
        manifests.all(Deployment.class).forEach(d -> spread.add(d.getSpec().getTemplate().getSpec()));
        spread.add(manifests.one(StatefulSet.class, "-partition").getSpec().getTemplate().getSpec());
        for (PodSpec pod : spread) {
            assertThat(pod.getTopologySpreadConstraints()).singleElement()
                    .satisfies(c -> assertThat(c.getTopologyKey()).isEqualTo("kubernetes.io/hostname"));
        }
    }

    @Test
    void theBundledRedisKeepsAnAppendOnlyFileSyncedOnEveryWriteOnAVolume() {
        StatefulSet redis = Chart.manifests(null).one(StatefulSet.class, "-redis");
        Container container = redis.getSpec().getTemplate().getSpec().getContainers().getFirst();

        assertThat(String.join(" ", container.getArgs())).contains("--appendonly yes", "--appendfsync always");
        assertThat(redis.getSpec().getVolumeClaimTemplates()).hasSize(1);
        assertThat(env(coordinator(Chart.manifests(null)))).containsEntry("SLUICE_COORDINATOR_REDIS_URL",
                "redis://sluice-redis:6379");
    }

    @Test
    void anExternalRedisReplacesTheBundledOne() {
        Manifests manifests = Chart.manifests("production.yaml");

        assertThat(manifests.find(StatefulSet.class, "-redis")).isEmpty();
        assertThat(env(coordinator(manifests))).containsEntry("SLUICE_COORDINATOR_REDIS_URL",
                "redis://metadata.redis.example.com:6379");
    }

    @Test
    void productionValuesRenderIngressesAndObservability() {
        Manifests manifests = Chart.manifests("production.yaml");

        assertThat(manifests.one(StatefulSet.class, "-partition").getSpec().getReplicas()).isEqualTo(5);
        assertThat(manifests.one(StatefulSet.class, "-partition").getSpec().getVolumeClaimTemplates().getFirst()
                .getSpec().getStorageClassName()).isEqualTo("fast-ssd");
        assertThat(manifests.all(Ingress.class)).extracting(i -> i.getSpec().getRules().getFirst().getHost())
                .containsExactlyInAnyOrder("sluice.example.com", "console.sluice.example.com");
        assertThat(coordinator(manifests).getImage()).isEqualTo("registry.example.com/sluice/coordinator-service:0.1.0");
        ServiceMonitor monitor = manifests.one(ServiceMonitor.class, "sluice");
        assertThat(monitor.getSpec().getEndpoints()).singleElement()
                .satisfies(e -> assertThat(e.getPath()).isEqualTo("/actuator/prometheus"))
                .satisfies(e -> assertThat(e.getPort()).isEqualTo("management"));
        assertThat(manifests.all(Service.class).stream()
                .filter(s -> "true".equals(s.getMetadata().getLabels().get("sluice.io/metrics"))))
                .extracting(s -> s.getMetadata().getName())
                .containsExactlyInAnyOrder("sluice-coordinator", "sluice-partition", "sluice-gateway",
                        "sluice-admin-ui");
        PrometheusRule rule = manifests.one(PrometheusRule.class, "sluice");
        assertThat(rule.getSpec().getGroups().getFirst().getRules()).extracting(r -> r.getAlert())
                .contains("SluiceOfflinePartitions", "SluiceUnderReplicatedPartitions", "SluiceNoActiveCoordinator",
                        "SluicePartitionDiskNearlyFull");
        ConfigMap dashboard = manifests.one(ConfigMap.class, "-dashboard");
        assertThat(dashboard.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
        assertThat(dashboard.getData().get("sluice-dashboard.json")).contains("sluice_gateway_records_in_total");
    }

    @Test
    void theSmallestReleaseHasOneOfEachAndNoConsole() {
        Manifests manifests = Chart.manifests("small.yaml");

        assertThat(manifests.one(StatefulSet.class, "-partition").getSpec().getReplicas()).isEqualTo(1);
        assertThat(manifests.find(Deployment.class, "-admin-ui")).isEmpty();
    }

    @Test
    void helmTestIsAPodThatProducesARecordAndReadsItBack(@TempDir Path workDir) throws IOException {
        assertThat(Files.readString(Chart.dir().resolve("templates/tests/produce-read.yaml")))
                .contains("helm.sh/hook: test");

        Pod test = Chart.testPods(workDir).getFirst();

        assertThat(test.getMetadata().getName()).isEqualTo("sluice-test-produce-read");
        assertThat(test.getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(env(test.getSpec().getContainers().getFirst())).containsEntry("GATEWAY", "http://sluice-gateway:8080");
        assertThat(String.join("\n", test.getSpec().getContainers().getFirst().getArgs()))
                .contains("/v1/topics/helm-test/records", "grep -q \"$value\"");
    }

    @Test
    void anUpgradeOrRollbackFirstDecommissionsTheNodesTheNewReplicaCountLeavesOut(@TempDir Path workDir)
            throws IOException {
        assertThat(Files.readString(Chart.dir().resolve("templates/partition-scale-down.yaml")))
                .contains("helm.sh/hook: pre-upgrade,pre-rollback",
                        "helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded");
        Job job = Chart.withHooks(workDir, null, Map.of("partition.replicas", 2))
                .one(Job.class, "-partition-scale-down");

        assertThat(job.getSpec().getBackoffLimit()).isZero();
        assertThat(job.getSpec().getActiveDeadlineSeconds()).isEqualTo(3660L);
        Container container = job.getSpec().getTemplate().getSpec().getContainers().getFirst();
        assertThat(env(container)).containsEntry("KEEP", "2").containsEntry("TIMEOUT_SECONDS", "3600")
                .containsEntry("GATEWAY", "http://sluice-gateway:8080");
        assertThat(String.join("\n", container.getArgs()))
                .contains("/v1/nodes/$id/decommission", "\"safe_to_remove\":true", "exit 1");

        assertThat(Chart.withHooks(workDir, null, Map.of("partition.scaleDown.decommission", false))
                .find(Job.class, "-partition-scale-down")).as("turned off").isEmpty();
        assertThat(Chart.withHooks(workDir, "secured.yaml", Map.of()).find(Job.class, "-partition-scale-down"))
                .as("security on and no user to act with").isEmpty();
        Job secured = Chart.withHooks(workDir, "secured.yaml", Map.of("partition.scaleDown.credentials.existingSecret",
                "sluice-operator")).one(Job.class, "-partition-scale-down");
        assertThat(secured.getSpec().getTemplate().getSpec().getVolumes())
                .extracting(v -> v.getSecret() == null ? null : v.getSecret().getSecretName())
                .contains("sluice-operator");
        assertThat(env(secured.getSpec().getTemplate().getSpec().getContainers().getFirst()))
                .containsEntry("CREDENTIALS", "/etc/sluice/scale-down-credentials");
    }

    @ParameterizedTest
    @MethodSource("badValues")
    void theSchemaRefusesBadValues(String key, Object value, String message) {
        assertThatThrownBy(() -> Chart.render(null, Map.of(key, value)))
                .hasMessageContaining("values don't meet the specifications of the schema")
                .hasMessageContaining(message);
    }

    @Test
    void theSchemaRefusesAMisspeltKey() {
        assertThatThrownBy(() -> Chart.render(null, Map.of("partition.replica", 3)))
                .hasMessageContaining("additional properties 'replica' not allowed");
    }

    @Test
    void aMisspeltFieldInAManifestIsReported() {
        String manifest = """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: typo
                spec:
                  replica: 2
                """;

        assertThatThrownBy(() -> Manifests.parse(manifest)).hasMessageContaining("Deployment/typo.spec: [replica]");
    }

    static Stream<String> valuesFiles() {
        return Stream.of(null, "production.yaml", "small.yaml");
    }

    static Stream<Arguments> badValues() {
        return Stream.of(
                Arguments.of("partition.replicas", 0, "/partition/replicas"),
                Arguments.of("partition.scaleDown.timeoutSeconds", 0, "/partition/scaleDown/timeoutSeconds"),
                Arguments.of("coordinator.port", 70000, "/coordinator/port"),
                Arguments.of("image.pullPolicy", "Sometimes", "/image/pullPolicy"),
                Arguments.of("partition.persistence.size", "lots", "/partition/persistence/size"),
                Arguments.of("partition.controlledShutdownTimeout", "15", "/partition/controlledShutdownTimeout"),
                Arguments.of("redis.external.url", "metadata:6379", "/redis/external/url"),
                Arguments.of("topologySpread.whenUnsatisfiable", "Never", "/topologySpread/whenUnsatisfiable"));
    }

    private static void assertProbedOnManagementPort(Container container) {
        assertThat(container.getPorts()).anySatisfy(port -> {
            assertThat(port.getName()).isEqualTo("management");
            assertThat(port.getContainerPort()).isEqualTo(8081);
        });
        assertThat(container.getStartupProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/liveness");
        assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/liveness");
        assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/readiness");
        assertThat(container.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("management");
        assertThat(env(container)).containsEntry("MANAGEMENT_SERVER_PORT", "8081");
    }

    private static Container coordinator(Manifests manifests) {
        return manifests.one(Deployment.class, "-coordinator").getSpec().getTemplate().getSpec().getContainers()
                .getFirst();
    }

    private static List<PodSpec> podSpecs(Manifests manifests) {
        List<PodSpec> pods = new ArrayList<>();
        manifests.all(Deployment.class).forEach(d -> pods.add(d.getSpec().getTemplate().getSpec()));
        manifests.all(StatefulSet.class).forEach(s -> pods.add(s.getSpec().getTemplate().getSpec()));
        manifests.all(Job.class).forEach(j -> pods.add(j.getSpec().getTemplate().getSpec()));
        return pods;
    }

    static Map<String, String> env(Container container) {
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvVar variable : container.getEnv()) {
            env.put(variable.getName(), variable.getValue());
        }
        return env;
    }
}

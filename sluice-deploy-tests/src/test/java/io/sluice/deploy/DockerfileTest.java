package io.sluice.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Dockerfile's service images; that they boot as configured is the *BootIT classes' part. */
class DockerfileTest {

    @ParameterizedTest
    @ValueSource(strings = {"coordinator-service", "partition-service", "gateway-service", "admin-ui"})
    void everyServiceImageRunsLayeredOnTheJreAsAnUnprivilegedUserWithAHealthcheck(String target) {
        Dockerfile.Image image = Dockerfile.read().image(target);

        assertThat(image.base()).startsWith("eclipse-temurin:").endsWith("-jre");
        assertThat(image.user()).isEqualTo("10001:10001");
        assertThat(image.copiedLayers()).containsExactly("dependencies", "spring-boot-loader", "snapshot-dependencies",
                "application");
        assertThat(image.entrypoint()).containsSequence("java", "--enable-native-access=ALL-UNNAMED",
                "org.springframework.boot.loader.launch.JarLauncher");
        assertThat(image.healthcheck()).contains("HealthProbe");
        assertThat(image.labels()).containsKeys("org.opencontainers.image.title", "org.opencontainers.image.version",
                "org.opencontainers.image.revision");
        assertThat(image.env()).containsEntry("SERVER_ADDRESS", "0.0.0.0").containsEntry("MANAGEMENT_SERVER_PORT",
                "8081").containsKey("SERVER_PORT");
    }

    @ParameterizedTest
    @ValueSource(strings = {"coordinator-service", "partition-service", "gateway-service", "admin-ui"})
    void theBuildStageExtractsEveryServiceJarIntoLayers(String module) {
        String build = Dockerfile.read().stage("build").instructions().stream()
                .filter(i -> i.keyword().equals("RUN")).map(Dockerfile.Instruction::arguments).reduce("", String::concat);

        assertThat(build).contains(module, "-Djarmode=tools", "extract --layers --launcher");
    }

    @Test
    void aPartitionServiceWritesItsDataToAVolume() {
        Dockerfile.Image image = Dockerfile.read().image("partition-service");

        assertThat(image.env()).containsEntry("SLUICE_PARTITION_DATADIR", "/var/lib/sluice/data");
    }
}

package io.sluice.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When a service starts from its start-up cache, and when from its fat jar as before. */
class AotCacheTest {

    private static final Instant BUILT = Instant.parse("2026-11-23T10:00:00Z");

    @TempDir
    Path repo;

    private Path jar;
    private Path extracted;
    private Path cache;

    @BeforeEach
    void aBuiltServiceWithItsCache() throws IOException {
        jar = file(repo.resolve("coordinator-service/target/coordinator-service-0.1.0-SNAPSHOT.jar"), BUILT);
        extracted = file(repo.resolve("coordinator-service/target/aot/coordinator-service-0.1.0-SNAPSHOT.jar"),
                BUILT.plusSeconds(2));
        cache = file(repo.resolve("coordinator-service/target/aot/coordinator-service-0.1.0-SNAPSHOT.aot"),
                BUILT.plusSeconds(9));
    }

    @Test
    void aCurrentCacheOnJdk25StartsTheExtractedJarWithIt() throws IOException {
        ClusterConfig config = configWithJdk("25.0.3");

        List<String> command = LaunchCommand.of(config, coordinator(config));

        assertThat(command).containsSubsequence("-XX:AOTCache=" + cache, "-jar", extracted.toString());
        assertThat(command).as("the training start's grant, without which the JVM refuses the cache")
                .containsOnlyOnce(AotCache.NATIVE_ACCESS);
        assertThat(command).doesNotContain(jar.toString());
        assertThat(isLaunchOf(command, config)).as("down and status still know the process").isTrue();
    }

    @Test
    void optionsThatAlreadyGrantNativeAccessAreNotGivenItTwice() throws IOException {
        ClusterConfig config = configWithJdk("25.0.3").withJvmOptions(List.of("-Xmx64m", AotCache.NATIVE_ACCESS));

        assertThat(LaunchCommand.of(config, coordinator(config))).containsOnlyOnce(AotCache.NATIVE_ACCESS)
                .contains("-XX:AOTCache=" + cache);
    }

    @Test
    void aJdkOlderThan25StartsTheFatJar() throws IOException {
        ClusterConfig config = configWithJdk("21.0.9");

        List<String> command = LaunchCommand.of(config, coordinator(config));

        assertThat(command).containsSubsequence("-jar", jar.toString());
        assertThat(command).noneMatch(arg -> arg.startsWith("-XX:AOTCache"));
        assertThat(isLaunchOf(command, config)).isTrue();
    }

    @Test
    void aJarRebuiltAfterItsCacheStartsWithoutIt() throws IOException {
        Files.setLastModifiedTime(jar, FileTime.from(BUILT.plusSeconds(60)));
        ClusterConfig config = configWithJdk("25.0.3");

        assertThat(LaunchCommand.of(config, coordinator(config))).containsSubsequence("-jar", jar.toString())
                .noneMatch(arg -> arg.startsWith("-XX:AOTCache"));
    }

    @Test
    void noCacheOrNoReadableJdkMeansTheFatJar() throws IOException {
        Files.delete(cache);
        assertThat(AotCache.of(jar, configWithJdk("25.0.3").java(), "coordinator", false)).isEmpty();

        assertThat(AotCache.featureVersion(repo.resolve("nowhere/bin/java"))).isZero();
        assertThat(AotCache.of(jar, repo.resolve("nowhere/bin/java"), "coordinator", false)).isEmpty();
    }

    @Test
    void aTrainingRunRecordsTheServicesOwnCacheWhichItsLaterStartsUseBeforeTheStartUpCache() throws IOException {
        ClusterConfig training = configWithJdk("25.0.3").withAotTrain(true);
        Path trained = repo.resolve("coordinator-service/target/aot/trained/coordinator.aot");

        List<String> recording = LaunchCommand.of(training, coordinator(training));

        assertThat(recording).containsSubsequence("-XX:AOTCacheOutput=" + trained, "-jar", extracted.toString())
                .noneMatch(arg -> arg.startsWith("-XX:AOTCache="));
        assertThat(trained.getParent()).as("the JVM writes into it as it stops").isDirectory();
        assertThat(isLaunchOf(recording, training)).isTrue();

        file(trained, BUILT.plusSeconds(600));
        ClusterConfig config = configWithJdk("25.0.3");
        assertThat(LaunchCommand.of(config, coordinator(config)))
                .containsSubsequence("-XX:AOTCache=" + trained, "-jar", extracted.toString());
    }

    @Test
    void aTrainedCacheOlderThanTheJarIsPassedOverForTheStartUpCache() throws IOException {
        file(repo.resolve("coordinator-service/target/aot/trained/coordinator.aot"), BUILT.minusSeconds(60));
        ClusterConfig config = configWithJdk("25.0.3");

        assertThat(LaunchCommand.of(config, coordinator(config))).contains("-XX:AOTCache=" + cache);
    }

    @Test
    void anotherJarsExtractedCopyIsNotThisService() throws IOException {
        ClusterConfig config = configWithJdk("25.0.3");
        List<String> command = LaunchCommand.of(config, coordinator(config));

        assertThat(LaunchCommand.isLaunchOf(Optional.of(command.getFirst()),
                Optional.of(command.subList(1, command.size()).toArray(String[]::new)), "coordinator",
                repo.resolve("elsewhere/target/coordinator-service-0.1.0-SNAPSHOT.jar"), config.baseDir())).isFalse();
    }

    private ClusterConfig configWithJdk(String version) throws IOException {
        Path home = repo.resolve("jdk-" + version);
        Files.createDirectories(home.resolve("bin"));
        Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"Eclipse Adoptium\"\nJAVA_VERSION=\"" + version
                + "\"\nJAVA_RUNTIME_VERSION=\"" + version + "+9-LTS\"\n");
        ClusterConfig d = ClusterConfig.defaults(repo);
        return new ClusterConfig(d.repoRoot(), d.baseDir(), home.resolve("bin/java"), d.jvmOptions(),
                d.coordinatorPort(), d.redisPort(), d.firstPartitionPort(), d.nodes(), d.gatewayPort(), d.adminPort(),
                d.kafkaPort(), d.kinds(), d.extraArgs(), d.readyTimeout(), d.stopGrace(), d.secure(), d.routes(),
                d.directDataPath(), d.aotTrain());
    }

    private ServiceSpec coordinator(ClusterConfig config) {
        ServiceSpec spec = config.spec("coordinator").orElseThrow();
        assertThat(spec.jar()).isEqualTo(jar);
        return spec;
    }

    private boolean isLaunchOf(List<String> command, ClusterConfig config) {
        return LaunchCommand.isLaunchOf(Optional.of(command.getFirst()),
                Optional.of(command.subList(1, command.size()).toArray(String[]::new)), "coordinator", jar,
                config.baseDir());
    }

    private static Path file(Path path, Instant modified) throws IOException {
        Files.createDirectories(path.getParent());
        Files.write(path, new byte[] {1});
        Files.setLastModifiedTime(path, FileTime.from(modified));
        return path;
    }
}

package io.sluice.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The check that stands between a pid file and a signal: only our own launch of that service passes. */
class LaunchCommandTest {

    private static final Path ROOT = Path.of("/repo");
    private static final ClusterConfig CONFIG = ClusterConfig.defaults(ROOT);
    private static final ServiceSpec COORDINATOR = CONFIG.spec("coordinator").orElseThrow();

    @Test
    void theLaunchCommandIsRecognisedAsThatService() {
        List<String> command = LaunchCommand.of(CONFIG, COORDINATOR);

        assertThat(command).startsWith(CONFIG.java().toString()).contains("-jar", COORDINATOR.jar().toString());
        assertThat(isLaunchOf(command, "coordinator", COORDINATOR.jar(), CONFIG.baseDir())).isTrue();
        assertThat(LaunchCommand.port(Optional.of(arguments(command)))).hasValue(9400);
    }

    @Test
    void anUnrelatedProcessIsNot() {
        assertThat(isLaunchOf(List.of("/usr/bin/sleep", "60"), "coordinator", COORDINATOR.jar(), CONFIG.baseDir()))
                .isFalse();
    }

    @Test
    void anotherServiceOfTheSameJarIsNot() {
        List<String> node2 = LaunchCommand.of(CONFIG, CONFIG.partition(2));

        assertThat(isLaunchOf(node2, "partition-1", CONFIG.partition(1).jar(), CONFIG.baseDir())).isFalse();
    }

    @Test
    void theSameServiceOfAnotherClusterIsNot() {
        List<String> other = LaunchCommand.of(CONFIG.withBaseDir(Path.of("/tmp/other")), COORDINATOR);

        assertThat(isLaunchOf(other, "coordinator", COORDINATOR.jar(), CONFIG.baseDir())).isFalse();
    }

    @Test
    void anotherJarIsNot() {
        List<String> command = LaunchCommand.of(CONFIG, COORDINATOR);

        assertThat(isLaunchOf(command, "coordinator", Path.of("/elsewhere/coordinator.jar"), CONFIG.baseDir()))
                .isFalse();
    }

    @Test
    void aJavaProcessWithTheMarkersOnlyAsApplicationArgumentsIsNot() {
        List<String> command = List.of("/usr/bin/java", "-jar", COORDINATOR.jar().toString(),
                LaunchCommand.SERVICE_MARKER + "coordinator", LaunchCommand.BASE_DIR_MARKER + CONFIG.baseDir());

        assertThat(isLaunchOf(command, "coordinator", COORDINATOR.jar(), CONFIG.baseDir())).isFalse();
    }

    @Test
    void aNonJavaExecutableWithTheSameArgumentsIsNot() {
        List<String> command = new ArrayList<>(LaunchCommand.of(CONFIG, COORDINATOR));
        command.set(0, "/usr/bin/python3");

        assertThat(isLaunchOf(command, "coordinator", COORDINATOR.jar(), CONFIG.baseDir())).isFalse();
    }

    @Test
    void aProcessWhoseCommandLineCannotBeReadIsNot() {
        assertThat(LaunchCommand.isLaunchOf(Optional.empty(), Optional.empty(), "coordinator", COORDINATOR.jar(),
                CONFIG.baseDir())).isFalse();
        assertThat(LaunchCommand.isLaunchOf(Optional.of("/usr/bin/java"), Optional.empty(), "coordinator",
                COORDINATOR.jar(), CONFIG.baseDir())).isFalse();
    }

    private static boolean isLaunchOf(List<String> command, String name, Path jar, Path baseDir) {
        return LaunchCommand.isLaunchOf(Optional.of(command.getFirst()), Optional.of(arguments(command)), name, jar,
                baseDir);
    }

    private static String[] arguments(List<String> command) {
        return command.subList(1, command.size()).toArray(String[]::new);
    }
}

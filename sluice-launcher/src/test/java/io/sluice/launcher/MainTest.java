package io.sluice.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI's answers that need no running process. */
class MainTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void helpListsEveryCommandAndEverySetting() {
        assertThat(run(List.of("--help"), Map.of())).isEqualTo(Main.OK);

        assertThat(out.toString(StandardCharsets.UTF_8)).contains("up", "down", "status", "logs [SERVICE] [-f]");
        for (Setting setting : Setting.values()) {
            assertThat(out.toString(StandardCharsets.UTF_8))
                    .contains(setting.option(), setting.environmentVariable(), setting.defaultValue());
        }
    }

    @Test
    void statusOfAnEmptyBaseDirIsNotRunning() {
        assertThat(run(List.of("status"), Map.of("SLUICE_BASE_DIR", dir.toString()))).isEqualTo(Main.NOT_RUNNING);

        assertThat(out.toString(StandardCharsets.UTF_8)).contains("coordinator", "Metadata: unavailable");
    }

    @Test
    void anOptionWinsOverItsEnvironmentVariable() {
        run(List.of("status", "--base-dir", dir.resolve("b").toString()),
                Map.of("SLUICE_BASE_DIR", dir.resolve("a").toString()));

        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Cluster in " + dir.resolve("b"));
    }

    @Test
    void whenTheUsageIsWrongShouldExitWithTwo() {
        assertThat(run(List.of("up", "--nodes", "many"), Map.of())).isEqualTo(Main.USAGE);

        assertThat(err.toString(StandardCharsets.UTF_8)).contains("SLUICE_NODES/--nodes=many", "Usage:");
    }

    @Test
    void logsWithoutLogsSaysSo() {
        assertThat(run(List.of("logs", "coordinator", "--base-dir", dir.toString()), Map.of())).isEqualTo(Main.FAILED);

        assertThat(err.toString(StandardCharsets.UTF_8)).contains("No logs in " + dir.resolve("logs"));
    }

    private int run(List<String> args, Map<String, String> environment) {
        return Main.run(args, environment, dir, dir, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }
}

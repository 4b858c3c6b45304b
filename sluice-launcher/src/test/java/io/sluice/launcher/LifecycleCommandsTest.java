package io.sluice.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** bin/sluice's lifecycle commands, parsed by picocli: the answers that need no running process. */
class LifecycleCommandsTest {

    @Command(name = "bin/sluice", mixinStandardHelpOptions = true)
    static final class Root implements Runnable {

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            throw new ParameterException(spec.commandLine(), "No command given");
        }
    }

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void helpListsEveryCommandAndTheSettingsTableEverySetting() {
        assertThat(run(List.of("--help"), Map.of())).isEqualTo(LifecycleCommands.OK);

        assertThat(out.toString()).contains("up", "down", "status", "logs");
        for (Setting setting : Setting.values()) {
            assertThat(LifecycleCommands.settingsHelp())
                    .contains(setting.option(), setting.environmentVariable(), setting.defaultValue());
        }
    }

    @Test
    void eachLifecycleCommandTakesEverySetting() {
        assertThat(run(List.of("up", "--help"), Map.of())).isEqualTo(LifecycleCommands.OK);

        for (Setting setting : Setting.values()) {
            assertThat(out.toString()).contains(setting.option(), setting.environmentVariable());
        }
    }

    @Test
    void eachCommandHasItsOwnHelp() {
        assertThat(run(List.of("logs", "--help"), Map.of())).isEqualTo(LifecycleCommands.OK);

        assertThat(out.toString()).contains("Usage: bin/sluice logs", "[SERVICE]", "--follow", "--base-dir=DIR");
    }

    @Test
    void statusOfAnEmptyBaseDirIsNotRunning() {
        assertThat(run(List.of("status"), Map.of("SLUICE_BASE_DIR", dir.toString())))
                .isEqualTo(LifecycleCommands.NOT_RUNNING);

        assertThat(out.toString()).contains("coordinator", "Metadata: unavailable");
    }

    @Test
    void anOptionWinsOverItsEnvironmentVariable() {
        run(List.of("status", "--base-dir", dir.resolve("b").toString()),
                Map.of("SLUICE_BASE_DIR", dir.resolve("a").toString()));

        assertThat(out.toString()).contains("Cluster in " + dir.resolve("b"));
    }

    @Test
    void optionsTakeTheirValueAfterASpaceOrAnEqualsSignBeforeOrAfterTheCommand() {
        run(List.of("--base-dir", dir.resolve("a").toString(), "status"), Map.of());
        assertThat(out.toString()).contains("Cluster in " + dir.resolve("a"));

        run(List.of("--base-dir", dir.resolve("a").toString(), "status", "--base-dir=" + dir.resolve("c")), Map.of());
        assertThat(out.toString()).contains("Cluster in " + dir.resolve("c"));
    }

    @Test
    void whenTheUsageIsWrongShouldExitWithTwo() {
        assertThat(run(List.of("up", "--nodes", "many"), Map.of())).isEqualTo(LifecycleCommands.USAGE);

        assertThat(err.toString()).contains("SLUICE_NODES/--nodes=many", "Usage:");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''                    | No command given",
            "start                 | Unmatched argument at index 0: 'start'",
            "up --nodes            | Missing required parameter for option '--nodes'",
            "up --verbose          | Unknown option: '--verbose'",
            "logs broker           | Unknown service broker",
            "logs coordinator more | Unmatched argument at index 2: 'more'",
            "status coordinator    | Unmatched argument at index 1: 'coordinator'",
            "status --secure       | Unknown option: '--secure'",
            "down -f               | Unknown option: '-f'"})
    void whenTheCallIsInvalidShouldSayWhyAndExitWithTwo(String args, String problem) {
        List<String> list = args.isBlank() ? List.of() : List.of(args.split(" "));

        assertThat(run(list, Map.of())).isEqualTo(LifecycleCommands.USAGE);
        assertThat(err.toString()).contains(problem);
    }

    @Test
    void logsWithoutLogsSaysSo() {
        assertThat(run(List.of("logs", "coordinator", "--base-dir", dir.toString()), Map.of()))
                .isEqualTo(LifecycleCommands.FAILED);

        assertThat(err.toString()).contains("No logs in " + dir.resolve("logs"));
    }

    private int run(List<String> args, Map<String, String> environment) {
        CommandLine commandLine = new CommandLine(new Root());
        new LifecycleCommands(environment, Optional.of(dir), dir).register(commandLine);
        commandLine.setUsageHelpWidth(120);
        commandLine.setExecutionExceptionHandler((e, line, parsed) -> LifecycleCommands.handle(e, line));
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args.toArray(String[]::new));
    }
}

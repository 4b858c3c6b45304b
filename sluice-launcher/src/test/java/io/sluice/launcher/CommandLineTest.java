package io.sluice.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.sluice.launcher.CommandLine.Command;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CommandLineTest {

    @Test
    void optionsTakeTheirValueAfterASpaceOrAnEqualsSign() {
        CommandLine line = CommandLine.parse(List.of("--nodes", "5", "up", "--base-dir=/tmp/c"));

        assertThat(line.command()).isEqualTo(Command.UP);
        assertThat(line.settings()).containsExactlyInAnyOrderEntriesOf(
                Map.of(Setting.NODES, "5", Setting.BASE_DIR, "/tmp/c"));
    }

    @Test
    void logsTakesAServiceAndFollow() {
        CommandLine line = CommandLine.parse(List.of("logs", "partition-2", "-f"));

        assertThat(line.command()).isEqualTo(Command.LOGS);
        assertThat(line.service()).contains("partition-2");
        assertThat(line.follow()).isTrue();
        assertThat(CommandLine.parse(List.of("logs")).service()).isEmpty();
    }

    @Test
    void upTakesSecure() {
        assertThat(CommandLine.parse(List.of("up", "--secure", "--base-dir", "/tmp/c")).secure()).isTrue();
        assertThat(CommandLine.parse(List.of("up")).secure()).isFalse();
    }

    @Test
    void helpWinsOverEverythingElse() {
        assertThat(CommandLine.parse(List.of("up", "--bogus", "-h")).command()).isEqualTo(Command.HELP);
        assertThat(CommandLine.parse(List.of("--help")).command()).isEqualTo(Command.HELP);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''                    | No command given",
            "start                 | Unknown command start",
            "up --nodes            | --nodes needs a value",
            "up --verbose          | Unknown option --verbose",
            "logs broker           | Unknown service broker",
            "logs coordinator more | Unexpected argument coordinator",
            "status coordinator    | Unexpected argument coordinator",
            "status --secure       | --secure only goes with up",
            "down -f               | -f only goes with logs"})
    void whenTheCallIsInvalidShouldSayWhy(String args, String problem) {
        List<String> list = args.isBlank() ? List.of() : List.of(args.split(" "));

        assertThatIllegalArgumentException().isThrownBy(() -> CommandLine.parse(list)).withMessageContaining(problem);
    }
}

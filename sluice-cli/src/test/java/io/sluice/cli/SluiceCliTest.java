package io.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** The command tree and its answers that need no gateway: help, usage errors, completion, an unreachable gateway. */
class SluiceCliTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    static Stream<String> everyCommand() {
        List<String> names = new ArrayList<>();
        collect(SluiceCli.commandLine(Map.of(), Optional.empty(), Path.of("."), System.in), "", names);
        return names.stream();
    }

    private static void collect(CommandLine command, String prefix, List<String> names) {
        command.getSubcommands().forEach((name, sub) -> {
            if (!name.equals("help") && !name.equals("generate-completion")) {
                names.add((prefix + " " + name).strip());
                collect(sub, prefix + " " + name, names);
            }
        });
    }

    @ParameterizedTest
    @MethodSource("everyCommand")
    void everyCommandHasHelp(String command) {
        List<String> args = new ArrayList<>(List.of(command.split(" ")));
        args.add("--help");

        assertThat(run(args)).isZero();
        assertThat(out.toString()).startsWith("Usage: sluice " + command);
    }

    @Test
    void theHelpListsTheLifecycleSettingsAsBinSluiceAlwaysDid() {
        assertThat(run(List.of("--help"))).isZero();

        assertThat(out.toString()).contains("--base-dir DIR", "SLUICE_BASE_DIR", "--nodes N", "SLUICE_NODES",
                "--gateway-port PORT", "SLUICE_GATEWAY_PORT", "--stop-grace DURATION", "SLUICE_STOP_GRACE",
                "Exit status:", "generate-completion");
    }

    @Test
    void theCommandsOfIssue46Exist() {
        assertThat(everyCommand()).contains("topic list", "topic describe", "topic create", "topic delete",
                "topic alter", "topic add-partitions", "produce", "consume", "group list", "group describe",
                "group reset", "group delete", "acl list", "acl add", "acl remove",
                "quota list", "quota set", "quota remove", "cluster info", "cluster nodes",
                "up", "down", "status", "logs");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "topic                                          | Missing required subcommand",
            "topic create                                   | Missing required parameter: 'TOPIC'",
            "topic create t --partitions many               | Invalid value for option '--partitions'",
            "topic alter t                                  | Nothing to change",
            "group reset g --topic t                        | Error: Missing required argument",
            "group reset g --topic t --to-earliest --to-latest | mutually exclusive",
            "consume t --offset 1 --last 2                  | Give one of --offset, --from-time and --last",
            "consume t --group g --partition 1              | With --group, the group decides",
            "consume t --template {vaule}                   | Unknown field {vaule}",
            "produce t --stream --idempotency-key k         | does not go with --stream",
            "produce t --value-format yaml                  | Invalid value for option '--value-format'",
            "acl add --principal User:a --operation READ    | Name one resource",
            "acl remove                                     | Give at least one filter",
            "quota set --for-user a                         | Give a rate",
            "quota set --request-rate 5                     | Name the entity",
            "quota set --for-user a --for-default-user --request-rate 5 | mutually exclusive",
            "user set-scram alice --new-password-file p     | Missing required option: '--mechanism",
            "--url ftp://x topic list                       | must be http:// or https://",
            "topic list --ca-file /nonexistent/ca.pem       | Cannot use /nonexistent/ca.pem as a CA file"})
    void whenTheUsageIsWrongShouldSayWhyAndExitWithTwo(String args, String problem) {
        assertThat(run(List.of(args.split(" ")))).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString()).contains(problem);
    }

    @Test
    void optionsOfTheConnectionGoBeforeOrAfterTheCommand() {
        assertThat(run(List.of("--url", "http://127.0.0.1:1", "topic", "list"))).isEqualTo(ExitCode.UNREACHABLE);
        assertThat(err.toString()).contains("Cannot reach the gateway at http://127.0.0.1:1");

        assertThat(run(List.of("topic", "list", "--url", "http://127.0.0.1:2"))).isEqualTo(ExitCode.UNREACHABLE);
        assertThat(err.toString()).contains("Cannot reach the gateway at http://127.0.0.1:2");
    }

    @Test
    void completionScriptCoversTheCommands() {
        assertThat(run(List.of("generate-completion"))).isZero();

        assertThat(out.toString()).contains("complete -F", "topic", "add-partitions", "--idempotency-key");
    }

    private int run(List<String> args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        CommandLine commandLine = SluiceCli.commandLine(Map.of(), Optional.empty(), Path.of("."),
                new ByteArrayInputStream(new byte[0]));
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args.toArray(String[]::new));
    }
}

package io.sluice.cli;

import io.sluice.launcher.LifecycleCommands;
import io.sluice.launcher.RepoRoot;
import io.sluice.launcher.SluiceVersion;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code sluice}, the command behind {@code bin/sluice}: the local cluster's lifecycle ({@code up}, {@code down},
 * {@code status}, {@code logs}; {@link LifecycleCommands}) and everything a user does with a cluster, local or not,
 * over the gateway's public API only ({@code topic}, {@code produce}, {@code consume}, {@code group}, {@code acl},
 * {@code cluster}).
 *
 * <p>System properties set by {@code bin/sluice}: {@code sluice.home}, the checkout (else found upwards from the
 * working directory), and {@code sluice.cwd}, the directory the user called it from.
 */
@Command(name = "sluice", mixinStandardHelpOptions = true, versionProvider = SluiceVersion.class,
        subcommands = {TopicCommand.class, ProduceCommand.class, ConsumeCommand.class, GroupCommand.class,
                ShareGroupCommand.class,
                TransactionCommand.class, AclCommand.class, QuotaCommand.class, UserCommand.class,
                ClusterCommand.class, ReassignmentCommand.class,
                NodeCommand.class, SchemaCommand.class, AutoComplete.GenerateCompletion.class,
                HelpCommand.class},
        description = {"Sluice from a terminal: topics, produce, consume, consumer and share groups, transactions, ACLs, users, partition "
                + "moves, node decommissioning and the "
                + "cluster over "
                + "the gateway's public API (--url, default http://127.0.0.1:8080), and a local cluster's lifecycle "
                + "(up, down, status, logs)."},
        footerHeading = "%n")
public final class SluiceCli implements Runnable {

    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions options;

    private Map<String, String> environment = Map.of();
    private InputStream stdin = System.in;

    public static void main(String[] args) {
        Path cwd = Path.of(System.getProperty("sluice.cwd", System.getProperty("user.dir")));
        Optional<Path> root = Optional.ofNullable(System.getProperty("sluice.home")).map(Path::of)
                .or(() -> RepoRoot.find(Path.of(System.getProperty("user.dir"))));
        System.exit(commandLine(System.getenv(), root, cwd, System.in).execute(args));
    }

    /**
     * The whole command tree; {@link CommandLine#execute} answers the exit status.
     *
     * @param stdin what {@code produce} reads without files
     */
    static CommandLine commandLine(Map<String, String> environment, Optional<Path> repoRoot, Path cwd,
                                   InputStream stdin) {
        SluiceCli cli = new SluiceCli();
        cli.environment = Map.copyOf(environment);
        cli.stdin = stdin;
        CommandLine root = new CommandLine(cli);
        new LifecycleCommands(environment, repoRoot, cwd).register(root);
        root.setCaseInsensitiveEnumValuesAllowed(true);
        root.setUsageHelpWidth(120);
        root.getCommandSpec().usageMessage().footer(footer());
        root.setExecutionExceptionHandler(SluiceCli::handle);
        // The completion script's command is hidden from the list; the footer names it.
        root.getSubcommands().get("generate-completion").getCommandSpec().usageMessage().hidden(true);
        return root;
    }

    /** The lifecycle commands' settings (as bin/sluice --help always listed them), exit codes, completion. */
    private static String footer() {
        return "Options of up, down, status and logs, each also an environment variable (the option wins):%n"
                + LifecycleCommands.settingsHelp().replace("%", "%%")
                + "%nExit status: 0 done, 1 refused by the gateway (or some records failed), 2 bad usage, "
                + "3 (status) nothing running, 4 not found, 5 retriable (try again), 6 gateway unreachable.%n"
                + "Shell completion: source <(bin/sluice generate-completion). The guide: docs/cli.md.%n";
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "No command given");
    }

    /** A problem or a missing gateway as one line on stderr, and its exit code; anything else is a bug. */
    private static int handle(Exception e, CommandLine commandLine, CommandLine.ParseResult parsed) throws Exception {
        if (e instanceof GatewayException gateway) {
            commandLine.getErr().println(gateway.getMessage());
            commandLine.getErr().flush();
            return gateway.exitCode();
        }
        if (e instanceof InputException input) {
            commandLine.getErr().println(input.getMessage());
            commandLine.getErr().flush();
            return ExitCode.REFUSED;
        }
        return LifecycleCommands.handle(e, commandLine);
    }

    static Map<String, String> environment(CommandSpec spec) {
        return ((SluiceCli) spec.root().userObject()).environment;
    }

    static InputStream stdin(CommandSpec spec) {
        return ((SluiceCli) spec.root().userObject()).stdin;
    }

    static ClientOptions rootOptions(CommandSpec spec) {
        return ((SluiceCli) spec.root().userObject()).options;
    }
}

package io.sluice.launcher;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The command line behind {@code bin/sluice}: {@code up}, {@code down}, {@code status}, {@code logs}
 * ({@link LifecycleCommands}), parsed by picocli.
 *
 * <p>System properties set by {@code bin/sluice}: {@code sluice.home}, the checkout (else found upwards from the
 * working directory), and {@code sluice.cwd}, the directory the user called it from, against which a relative
 * {@code --base-dir} is resolved.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        Path cwd = Path.of(System.getProperty("sluice.cwd", System.getProperty("user.dir")));
        Optional<Path> root = Optional.ofNullable(System.getProperty("sluice.home")).map(Path::of)
                .or(() -> RepoRoot.find(Path.of(System.getProperty("user.dir"))));
        System.exit(commandLine(System.getenv(), root, cwd).execute(args));
    }

    /** {@code bin/sluice} with its subcommands; {@link CommandLine#execute} answers the exit status. */
    static CommandLine commandLine(Map<String, String> environment, Optional<Path> repoRoot, Path cwd) {
        CommandLine root = new CommandLine(new Root());
        new LifecycleCommands(environment, repoRoot, cwd).register(root);
        root.getCommandSpec().usageMessage().footer(footer());
        // As wide as the settings table below: wrapped at 80 columns it breaks defaults in two.
        root.setUsageHelpWidth(120);
        root.setExecutionExceptionHandler((e, commandLine, parsed) -> LifecycleCommands.handle(e, commandLine));
        return root;
    }

    static String footer() {
        return "%nServices: coordinator, partition-1 .. partition-N, gateway, admin-ui.%n%n"
                + "Options of up, down, status and logs, each also an environment variable (the option wins):%n"
                + LifecycleCommands.settingsHelp().replace("%", "%%")
                + "%nFiles under the base directory: coordinator/ and node-<id>/ (data), logs/<service>.log "
                + "(appended on every start), run/<service>.pid, secure/ (up --secure). Delete the directory after "
                + "down for a fresh cluster.%n"
                + "Exit status: 0 done, 1 failed, 2 bad usage, 3 (status) nothing running.%n";
    }

    @Command(name = "bin/sluice", mixinStandardHelpOptions = true, subcommands = HelpCommand.class,
            versionProvider = SluiceVersion.class,
            description = {"Runs a Sluice cluster on this machine: the coordinator (with its embedded Redis), "
                    + "partition services, gateway and admin UI, each a java process on 127.0.0.1. Services whose "
                    + "module is not in the checkout are skipped. bin/sluice builds missing jars first "
                    + "(./mvnw -DskipTests package)."})
    static final class Root implements Runnable {

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            throw new CommandLine.ParameterException(spec.commandLine(), "No command given");
        }
    }
}

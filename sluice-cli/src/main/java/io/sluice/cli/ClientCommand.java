package io.sluice.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/**
 * A command that calls the gateway: it takes the {@link ClientOptions} (here or before the command), resolves the
 * {@link Connection} and runs against a {@link Gateway}. Failures are thrown: {@link SluiceCli} prints a problem as
 * one line and maps it to an {@link ExitCode}.
 */
abstract class ClientCommand implements Callable<Integer> {

    @Mixin
    ClientOptions options;

    @Spec
    CommandSpec spec;

    private ClientOptions resolved;

    @Override
    public final Integer call() throws Exception {
        Gateway gateway;
        try {
            gateway = new Gateway(Connection.resolve(options(), SluiceCli.environment(spec),
                    Path.of(System.getProperty("user.home"))));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        return run(gateway);
    }

    /** Runs the command; answers its exit code. */
    abstract int run(Gateway gateway) throws Exception;

    ClientOptions options() {
        if (resolved == null) {
            resolved = options.orElse(SluiceCli.rootOptions(spec));
        }
        return resolved;
    }

    Output output() {
        return options().output == null ? Output.table : options().output;
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** A usage error, reported as picocli reports its own (the message, then this command's usage). */
    ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /** With {@code -o json} the answer as JSON; otherwise what {@code table} prints. */
    int print(JsonNode answer, Runnable table) {
        if (output() == Output.json) {
            out().println(answer == null ? "null" : Json.pretty(answer));
            out().flush();
        } else {
            table.run();
            out().flush();
        }
        return ExitCode.OK;
    }

    static String path(String first, String... rest) {
        StringBuilder path = new StringBuilder(first);
        for (String segment : rest) {
            path.append('/').append(Query.encode(segment));
        }
        return path.toString();
    }
}

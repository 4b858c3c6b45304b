package io.sluice.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/**
 * {@code sluice user list|set-scram|delete-scram}: who signs in (the users file's users, the cluster's SCRAM users)
 * and the SCRAM users' credentials (docs/security.md). A password is read from a file, never from the command line.
 */
@Command(name = "user", mixinStandardHelpOptions = true,
        description = "List users; make or delete SCRAM users' credentials (SCRAM-SHA-256, SCRAM-SHA-512).",
        subcommands = {UserCommand.ListUsers.class, UserCommand.SetScram.class, UserCommand.DeleteScram.class})
final class UserCommand {

    private static final String USERS = "/v1/users";

    private UserCommand() {
    }

    /** The body of a PUT of a SCRAM credential. */
    record ScramPassword(String password, Integer iterations) {
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "The users who sign in with a password (the users file's, the SCRAM users) and the super "
                    + "users.")
    static final class ListUsers extends ClientCommand {

        @Override
        int run(Gateway gateway) {
            JsonNode answer = gateway.get(USERS, Query.of());
            return print(answer, () -> {
                Table table = new Table("PRINCIPAL", "SIGNS IN WITH", "SUPER USER");
                for (JsonNode user : answer.path("users")) {
                    table.row(user.path("principal").asString(), "users file",
                            user.path("super_user").asBoolean() ? "yes" : "no");
                }
                for (JsonNode user : answer.path("scram_users")) {
                    List<String> credentials = new ArrayList<>();
                    for (JsonNode credential : user.path("credentials")) {
                        credentials.add(credential.path("mechanism").asString() + " ("
                                + credential.path("iterations").asInt() + " iterations)");
                    }
                    table.row(user.path("principal").asString(), String.join(", ", credentials),
                            user.path("super_user").asBoolean() ? "yes" : "no");
                }
                table.print(out());
            });
        }
    }

    @Command(name = "set-scram", mixinStandardHelpOptions = true,
            description = "Make (or replace) a user's SCRAM credential from a password; the gateway salts and "
                    + "hashes it and keeps only the credential.")
    static final class SetScram extends ClientCommand {

        @Parameters(paramLabel = "NAME", description = "The user (principal User:NAME).")
        String name;

        @Option(names = "--mechanism", required = true, paramLabel = "MECHANISM",
                description = "SCRAM-SHA-256 or SCRAM-SHA-512.")
        String mechanism;

        @Option(names = "--new-password-file", required = true, paramLabel = "FILE",
                description = "A file whose first line is the user's password (- for standard input).")
        Path passwordFile;

        @Option(names = "--iterations", paramLabel = "N", description = "4096 to 16384 (default: 4096).")
        Integer iterations;

        @Override
        int run(Gateway gateway) throws IOException {
            String password = password();
            JsonNode answer = gateway.send("PUT", path(USERS, name, "scram-credentials",
                    mechanism.toUpperCase(Locale.ROOT)), Query.of(), new ScramPassword(password, iterations));
            return print(answer, () -> {
                JsonNode credential = answer.path("credentials").path(0);
                out().printf("Set the %s credential of %s (%d iterations)%n", credential.path("mechanism").asString(),
                        answer.path("principal").asString(), credential.path("iterations").asInt());
            });
        }

        private String password() throws IOException {
            String text = "-".equals(passwordFile.toString())
                    ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
                    : Files.readString(passwordFile, StandardCharsets.UTF_8);
            String first = text.lines().findFirst().orElse("");
            if (first.isEmpty()) {
                throw usage("The password file " + passwordFile + " has no password on its first line");
            }
            return first;
        }
    }

    @Command(name = "delete-scram", mixinStandardHelpOptions = true,
            description = "Delete a user's SCRAM credential of a mechanism.")
    static final class DeleteScram extends ClientCommand {

        @Parameters(paramLabel = "NAME", description = "The user (principal User:NAME).")
        String name;

        @Option(names = "--mechanism", required = true, paramLabel = "MECHANISM",
                description = "SCRAM-SHA-256 or SCRAM-SHA-512.")
        String mechanism;

        @Override
        int run(Gateway gateway) {
            String upper = mechanism.toUpperCase(Locale.ROOT);
            gateway.send("DELETE", path(USERS, name, "scram-credentials", upper), Query.of(), null);
            if (output() == Output.table) {
                out().printf("Deleted the %s credential of User:%s%n", upper, name);
            }
            out().flush();
            return ExitCode.OK;
        }
    }
}

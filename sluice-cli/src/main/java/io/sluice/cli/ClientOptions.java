package io.sluice.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * How to reach a gateway and how to print its answers: the options every client command takes, also before the
 * command ({@code sluice --url ... topic list}). A field is null when its option was not given;
 * {@link Connection#resolve} fills the gaps from the environment and the profile file.
 */
final class ClientOptions {

    @Option(names = "--url", paramLabel = "URL", order = 100,
            description = "The gateway's URL (SLUICE_URL; default: http://127.0.0.1:8080).")
    String url;

    @Option(names = "--profile", paramLabel = "NAME", order = 101,
            description = "A profile of the profile file: its url, user, password-file, token-file and ca-file "
                    + "are the defaults (SLUICE_PROFILE; default: 'default' when the file has it).")
    String profile;

    @Option(names = "--profile-file", paramLabel = "FILE", order = 102,
            description = "The profile file (SLUICE_PROFILE_FILE; default: ~/.config/sluice/profiles.properties).")
    Path profileFile;

    @Option(names = {"-u", "--user"}, paramLabel = "NAME[:PASSWORD]", order = 103,
            description = "Basic authentication. The password comes after a colon, from --password-file or from "
                    + "SLUICE_PASSWORD (SLUICE_USER).")
    String user;

    @Option(names = "--password-file", paramLabel = "FILE", order = 104,
            description = "A file whose first line is the password.")
    Path passwordFile;

    @Option(names = "--token", paramLabel = "JWT", order = 105,
            description = "A JWT, sent as a bearer token (SLUICE_TOKEN).")
    String token;

    @Option(names = "--token-file", paramLabel = "FILE", order = 106,
            description = "A file whose first line is the JWT.")
    Path tokenFile;

    @Option(names = "--ca-file", paramLabel = "FILE", order = 107,
            description = "PEM certificates to trust for an https URL, instead of the JDK's (SLUICE_CA_FILE).")
    Path caFile;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", order = 108,
            description = "table (for people; the default) or json (the gateway's answer, for scripts).")
    Output output;

    /** This command's options where given, else {@code outer}'s (the root command's). */
    ClientOptions orElse(ClientOptions outer) {
        ClientOptions merged = new ClientOptions();
        merged.url = url != null ? url : outer.url;
        merged.profile = profile != null ? profile : outer.profile;
        merged.profileFile = profileFile != null ? profileFile : outer.profileFile;
        merged.user = user != null ? user : outer.user;
        merged.passwordFile = passwordFile != null ? passwordFile : outer.passwordFile;
        merged.token = token != null ? token : outer.token;
        merged.tokenFile = tokenFile != null ? tokenFile : outer.tokenFile;
        merged.caFile = caFile != null ? caFile : outer.caFile;
        merged.output = output != null ? output : outer.output;
        return merged;
    }
}

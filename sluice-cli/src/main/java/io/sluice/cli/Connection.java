package io.sluice.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Where the gateway is and how to sign in there, resolved once per call: an option wins over its environment
 * variable, which wins over the profile, which wins over the default ({@code http://127.0.0.1:8080}, no
 * credentials).
 *
 * <p>The profile file is a properties file of {@code <profile>.<key>} lines, keys {@code url}, {@code user},
 * {@code password-file}, {@code token-file} and {@code ca-file}; a relative path in it is relative to the file.
 * Secrets are read from files (or {@code SLUICE_PASSWORD}, {@code SLUICE_TOKEN}), never stored in the profile.
 *
 * @param authorization the {@code Authorization} header's value, if any
 * @param caFile        PEM certificates to trust instead of the JDK's, if any
 */
record Connection(URI url, Optional<String> authorization, Optional<Path> caFile) {

    static final String DEFAULT_URL = "http://127.0.0.1:8080";
    static final String DEFAULT_PROFILE = "default";

    /**
     * @param home the user's home directory, for the default profile file
     * @throws IllegalArgumentException with a message for the user when the settings do not make a connection
     */
    static Connection resolve(ClientOptions options, Map<String, String> environment, Path home) {
        Path profileFile = Optional.ofNullable(options.profileFile)
                .or(() -> env(environment, "SLUICE_PROFILE_FILE").map(Path::of))
                .orElse(home.resolve(".config/sluice/profiles.properties"));
        Optional<String> named = Optional.ofNullable(options.profile).or(() -> env(environment, "SLUICE_PROFILE"));
        Map<String, String> profile = profile(profileFile, named);
        Path base = profileFile.toAbsolutePath().getParent();

        String url = first(options.url, env(environment, "SLUICE_URL"), profile.get("url")).orElse(DEFAULT_URL);
        URI uri;
        try {
            uri = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Not a URL: " + url);
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
            throw new IllegalArgumentException("The gateway's URL must be http:// or https://, was " + url);
        }

        Optional<String> user = first(options.user, env(environment, "SLUICE_USER"), profile.get("user"));
        Optional<Path> passwordFile = Optional.ofNullable(options.passwordFile)
                .or(() -> Optional.ofNullable(profile.get("password-file")).map(base::resolve));
        Optional<String> token = Optional.ofNullable(options.token)
                .or(() -> Optional.ofNullable(options.tokenFile).map(Connection::firstLine))
                .or(() -> env(environment, "SLUICE_TOKEN"))
                .or(() -> Optional.ofNullable(profile.get("token-file")).map(base::resolve).map(Connection::firstLine));
        if (user.isPresent() && token.isPresent()) {
            throw new IllegalArgumentException("Give a user (Basic) or a token (JWT), not both");
        }
        Optional<String> authorization = token.map(t -> "Bearer " + t);
        if (user.isPresent()) {
            String name = user.get();
            String password;
            int colon = name.indexOf(':');
            if (colon >= 0) {
                password = name.substring(colon + 1);
                name = name.substring(0, colon);
            } else {
                password = passwordFile.map(Connection::firstLine).or(() -> env(environment, "SLUICE_PASSWORD"))
                        .orElseThrow(() -> new IllegalArgumentException("No password for user " + user.get()
                                + ": give --user NAME:PASSWORD, --password-file or SLUICE_PASSWORD"));
            }
            authorization = Optional.of("Basic " + Base64.getEncoder()
                    .encodeToString((name + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        Optional<Path> caFile = Optional.ofNullable(options.caFile)
                .or(() -> env(environment, "SLUICE_CA_FILE").map(Path::of))
                .or(() -> Optional.ofNullable(profile.get("ca-file")).map(base::resolve));
        return new Connection(uri, authorization, caFile);
    }

    /** The profile's keys without their prefix; nothing when no profile is named and the file has no default. */
    private static Map<String, String> profile(Path file, Optional<String> named) {
        if (!Files.isRegularFile(file)) {
            if (named.isPresent()) {
                throw new IllegalArgumentException("No profile file " + file + " for profile " + named.get());
            }
            return Map.of();
        }
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the profile file " + file, e);
        }
        String name = named.orElse(DEFAULT_PROFILE);
        Map<String, String> values = new HashMap<>();
        for (String key : properties.stringPropertyNames()) {
            if (key.startsWith(name + ".")) {
                values.put(key.substring(name.length() + 1), properties.getProperty(key).strip());
            }
        }
        if (values.isEmpty() && named.isPresent()) {
            throw new IllegalArgumentException("No profile " + name + " in " + file);
        }
        return values;
    }

    private static String firstLine(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8).stream().findFirst().orElse("").strip();
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read " + file + ": " + e.getMessage());
        }
    }

    private static Optional<String> env(Map<String, String> environment, String name) {
        return Optional.ofNullable(environment.get(name)).filter(value -> !value.isBlank());
    }

    private static Optional<String> first(String option, Optional<String> environment, String profile) {
        return Optional.ofNullable(option).or(() -> environment).or(() -> Optional.ofNullable(profile));
    }
}

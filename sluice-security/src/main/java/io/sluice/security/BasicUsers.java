package io.sluice.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * The users HTTP Basic checks against, read once from a file of {@code name:bcrypt-hash} lines ({@code #} comments
 * and blank lines skipped) — the format {@code htpasswd -nbB name password} prints, and what a Kubernetes Secret
 * mounted as a file holds. A line that is not of that form fails the start, naming its line number and never its
 * content.
 *
 * <p>{@link #verify} costs one bcrypt comparison whether or not the user exists, so that timing does not tell which
 * names are real. It blocks for tens of milliseconds: callers run it off the event loop.
 */
public final class BasicUsers {

    /** Compared against when the name is unknown, so that an unknown name costs what a known one does. */
    private static final String UNKNOWN_USER_HASH = new BCryptPasswordEncoder().encode("no such user");

    private final BCryptPasswordEncoder bcrypt = new BCryptPasswordEncoder();
    private final Map<String, String> hashes;

    private BasicUsers(Map<String, String> hashes) {
        this.hashes = Map.copyOf(hashes);
    }

    public static BasicUsers read(Path file) {
        Map<String, String> hashes = new HashMap<>();
        try {
            int number = 0;
            for (String line : Files.readAllLines(file)) {
                number++;
                String trimmed = line.strip();
                if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                    continue;
                }
                int colon = trimmed.indexOf(':');
                String hash = colon < 1 ? "" : trimmed.substring(colon + 1);
                if (!hash.matches("\\$2[aby]?\\$\\d\\d\\$[./A-Za-z0-9]{53}")) {
                    throw new IllegalStateException("Line " + number + " of the users file " + file
                            + " is not 'name:bcrypt-hash'");
                }
                hashes.put(trimmed.substring(0, colon), hash);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the users file " + file, e);
        }
        return new BasicUsers(hashes);
    }

    /** The users' names, sorted. */
    public List<String> names() {
        return hashes.keySet().stream().sorted().toList();
    }

    /** The principal when {@code password} is the user's; empty for a wrong password or an unknown user alike. */
    public Optional<SluicePrincipal> verify(String name, String password) {
        String hash = hashes.get(name);
        boolean matches = bcrypt.matches(password, hash != null ? hash : UNKNOWN_USER_HASH);
        return matches && hash != null ? Optional.of(new SluicePrincipal(name)) : Optional.empty();
    }
}

package io.sluice.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The programs from Debian's packages that tests drive (kcat, promtool, docker-compose, openssl, curl). A test that
 * needs one and does not find it fails, naming the package, rather than skipping: a skipped test proves nothing and
 * looks green. {@code .ci/run} installs every package the tests need; so does the README's test command.
 */
public final class RequiredTools {

    private RequiredTools() {
    }

    /** The program {@code name} on the PATH (or in /usr/bin), or an error naming {@code debianPackage}. */
    public static Path require(String name, String debianPackage) {
        return find(name).orElseThrow(() -> new AssertionError(name + " is not installed: apt-get install -y "
                + debianPackage + " (.ci/run installs every package the tests need)"));
    }

    /** The program {@code name} on the PATH, else in /usr/bin or /bin, if it is there and executable. */
    public static Optional<Path> find(String name) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : (path + ":/usr/bin:/bin").split(":")) {
            if (!dir.isEmpty()) {
                Path candidate = Path.of(dir, name);
                if (Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }
}

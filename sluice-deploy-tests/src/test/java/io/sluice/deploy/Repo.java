package io.sluice.deploy;

import io.sluice.launcher.RepoRoot;
import java.nio.file.Path;

/** The checkout the tests run in. */
final class Repo {

    private Repo() {
    }

    static Path root() {
        return RepoRoot.find(Path.of("")).orElseThrow(() -> new IllegalStateException(
                "Not inside a Sluice checkout: " + Path.of("").toAbsolutePath()));
    }
}

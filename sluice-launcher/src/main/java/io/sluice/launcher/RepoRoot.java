package io.sluice.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the Sluice checkout a path is in: the nearest directory up that holds the Maven wrapper and a pom.xml naming
 * {@code sluice-parent} (module poms name it too, as their parent, but have no wrapper beside them).
 */
public final class RepoRoot {

    private RepoRoot() {
    }

    public static Optional<Path> find(Path from) {
        for (Path dir = from.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            Path pom = dir.resolve("pom.xml");
            try {
                if (Files.isRegularFile(dir.resolve("mvnw")) && Files.isRegularFile(pom)
                        && Files.readString(pom).contains("<artifactId>sluice-parent</artifactId>")) {
                    return Optional.of(dir);
                }
            } catch (IOException e) {
                // An unreadable pom is not our root; keep looking upwards.
            }
        }
        return Optional.empty();
    }
}

package io.sluice.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepoRootTest {

    private static final String PARENT = "<artifactId>sluice-parent</artifactId>";

    @Test
    void fromAModuleTheRootIsTheDirectoryWithTheWrapper(@TempDir Path repo) throws IOException {
        Files.writeString(repo.resolve("pom.xml"), "<project>" + PARENT + "</project>");
        Files.writeString(repo.resolve("mvnw"), "#!/bin/sh");
        Path module = Files.createDirectories(repo.resolve("sluice-launcher/src/main"));
        Files.writeString(repo.resolve("sluice-launcher/pom.xml"),
                "<project><parent>" + PARENT + "</parent></project>");

        assertThat(RepoRoot.find(module)).contains(repo.toAbsolutePath().normalize());
    }

    @Test
    void outsideACheckoutThereIsNone(@TempDir Path dir) {
        assertThat(RepoRoot.find(dir)).isEmpty();
    }
}

package io.sluice.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every internal route is written once, in this module: no main source file of another module spells an
 * {@code "/internal/...} string. (Mappings and clients use the constants and methods of the *Paths classes.)
 */
class InternalPathsDefinedOnceTest {

    /**
     * The launcher reads the coordinator's topics and nodes for {@code bin/sluice status}; it is kept free of
     * dependencies so its jar runs alone, and so it cannot use the constants.
     */
    private static final List<String> EXEMPT_MODULES = List.of("sluice-internal-api", "sluice-launcher");

    @Test
    void noOtherModuleWritesAnInternalPath() throws IOException {
        Path root = Path.of("").toAbsolutePath().getParent();
        List<String> hits;
        try (Stream<Path> modules = Files.list(root)) {
            hits = modules.filter(module -> Files.isDirectory(module.resolve("src/main/java")))
                    .filter(module -> !EXEMPT_MODULES.contains(module.getFileName().toString()))
                    .flatMap(module -> javaFiles(module.resolve("src/main/java")))
                    .flatMap(file -> lines(file).filter(line -> line.contains("\"/internal")).map(line ->
                            root.relativize(file) + ": " + line.strip()))
                    .toList();
        }
        assertThat(hits).as("internal paths written outside sluice-internal-api").isEmpty();
    }

    private static Stream<Path> javaFiles(Path dir) {
        try {
            return Files.walk(dir).filter(file -> file.toString().endsWith(".java")).toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Stream<String> lines(Path file) {
        try {
            return Files.readAllLines(file).stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

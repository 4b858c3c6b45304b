package io.sluice.gateway.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.testing.Commands;
import io.sluice.testing.RequiredTools;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A Node.js script of the tests (under {@code src/test/resources}) with the npm packages it needs, installed once
 * into a directory of {@code target/} at the versions named, from the npm registry, and run with Debian's node: how
 * the tests drive clients nobody here wrote (kafkajs, Confluent's schema registry clients).
 */
public final class NodeScripts {

    private static final Duration NPM_TIMEOUT = Duration.ofMinutes(5);

    private final Path node;
    private final Path script;

    private NodeScripts(Path node, Path script) {
        this.node = node;
        this.script = script;
    }

    /**
     * Copies {@code resource} (a path under src/test/resources) into {@code target/<directory>} and installs
     * {@code packages} ({@code name@version}) there unless the first of them is installed already.
     */
    public static NodeScripts install(String directory, String resource, String... packages) {
        Path node = RequiredTools.require("node", "nodejs");
        Path npm = RequiredTools.require("npm", "npm");
        Path dir = Path.of("target", directory).toAbsolutePath();
        Path script = dir.resolve(Path.of(resource).getFileName());
        try {
            Files.createDirectories(dir);
            Files.copy(Path.of("src/test/resources").resolve(resource), script, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String first = packages[0].substring(0, packages[0].lastIndexOf('@'));
        if (!Files.isDirectory(dir.resolve("node_modules").resolve(first))) {
            List<String> command = new ArrayList<>(List.of(npm.toString(), "install", "--no-audit", "--no-fund",
                    "--prefix", dir.toString()));
            command.addAll(List.of(packages));
            Commands.Run install = Commands.run(command, "", NPM_TIMEOUT);
            assertThat(install.ended()).as("npm install %s ends", List.of(packages)).isTrue();
            assertThat(install.exitCode()).as("npm install %s: %s", List.of(packages), install.out()).isZero();
        }
        return new NodeScripts(node, script);
    }

    /** Runs the script with {@code args}, for at most {@code timeout}. */
    public Commands.Run run(Duration timeout, String... args) {
        List<String> command = new ArrayList<>(List.of(node.toString(), script.toString()));
        command.addAll(List.of(args));
        return Commands.run(command, "", timeout);
    }
}

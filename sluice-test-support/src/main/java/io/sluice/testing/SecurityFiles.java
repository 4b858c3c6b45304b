package io.sluice.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.stream.Stream;

/**
 * The secrets of a secured test cluster, in a temporary directory of their own: the files the settings name (a users
 * file, a JWT public key) and a {@code security.properties} every service imports. Secrets reach the services in that
 * file, never on a command line, which the launcher logs. {@link #close} deletes the directory.
 */
public final class SecurityFiles implements AutoCloseable {

    private final Path dir;

    private SecurityFiles(Path dir) {
        this.dir = dir;
    }

    public static SecurityFiles create(String prefix) throws IOException {
        return new SecurityFiles(Files.createTempDirectory(prefix));
    }

    /** Writes {@code name} in the directory; answers its path, for the settings that name it. */
    public Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    /**
     * Writes {@code security.properties} of {@code settings} (one {@code key=value} each) and answers the argument a
     * service imports it with.
     */
    public String importArgument(String... settings) throws IOException {
        Path properties = write("security.properties", String.join("\n", List.of(settings)) + "\n");
        return "--spring.config.import=file:" + properties;
    }

    /** A new 2048-bit RSA key pair, to sign test JWTs with. */
    public static KeyPair rsaKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
        }
        Files.deleteIfExists(dir);
    }
}

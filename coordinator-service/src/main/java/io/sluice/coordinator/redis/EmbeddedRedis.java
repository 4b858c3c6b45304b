package io.sluice.coordinator.redis;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real redis-server process that the coordinator starts when no external Redis is configured. The binary is the
 * one shipped inside {@code com.github.codemonstur:embedded-redis} (Maven Central); this class only launches it.
 *
 * <p>Layout under the coordinator's data directory:
 * <pre>
 *   redis/redis-server      the binary, copied out of the jar
 *   redis/redis.pid         PID of the server this coordinator started
 *   redis/appendonly.aof    the data: append-only file, fsynced on every write, so nothing acknowledged is lost
 *   redis/redis.log         the server's own log
 * </pre>
 * The server listens on 127.0.0.1 only. If a previous coordinator on the same data directory died without stopping
 * its server, that process (found by the PID file, and only if it is a redis-server) is stopped first: two servers
 * on one append-only file would corrupt it.
 */
public final class EmbeddedRedis implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedRedis.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final int port;
    private final Path pidFile;

    private EmbeddedRedis(Process process, int port, Path pidFile) {
        this.process = process;
        this.port = port;
        this.pidFile = pidFile;
    }

    public static EmbeddedRedis start(Path dataDir, int port) {
        try {
            Path dir = Files.createDirectories(dataDir.resolve("redis")).toAbsolutePath();
            Path pidFile = dir.resolve("redis.pid");
            stopOrphan(pidFile);
            Path binary = installBinary(dir);
            List<String> command = new ArrayList<>(List.of(binary.toString(),
                    "--port", Integer.toString(port),
                    "--bind", "127.0.0.1",
                    "--dir", dir.toString(),
                    "--appendonly", "yes",
                    "--appendfsync", "always",
                    "--save", "",
                    "--logfile", "",
                    "--daemonize", "no"));
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            Files.writeString(pidFile, Long.toString(process.pid()));
            awaitReady(process, port, dir.resolve("redis.log"));
            LOG.info("Embedded redis-server (pid {}) listening on 127.0.0.1:{}, append-only file in {}",
                    process.pid(), port, dir);
            return new EmbeddedRedis(process, port, pidFile);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded redis-server on port " + port, e);
        }
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    /** Stops the server (SIGTERM: Redis flushes its append-only file and exits), forcibly after a timeout. */
    @Override
    public void close() throws IOException {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        Files.deleteIfExists(pidFile);
    }

    private static void stopOrphan(Path pidFile) throws IOException {
        if (!Files.exists(pidFile)) {
            return;
        }
        String text = Files.readString(pidFile).trim();
        Files.delete(pidFile);
        try {
            ProcessHandle.of(Long.parseLong(text))
                    .filter(p -> p.info().command().map(c -> c.endsWith("redis-server")).orElse(false))
                    .ifPresent(orphan -> {
                        LOG.warn("Stopping redis-server pid {} left running by a previous coordinator", orphan.pid());
                        orphan.destroy();
                        orphan.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> {
                            orphan.destroyForcibly();
                            return orphan;
                        }).join();
                    });
        } catch (NumberFormatException e) {
            LOG.warn("Ignoring unreadable pid file {}", pidFile);
        }
    }

    private static Path installBinary(Path dir) throws IOException {
        String resource = binaryResource();
        Path binary = dir.resolve("redis-server");
        try (InputStream in = EmbeddedRedis.class.getResourceAsStream("/" + resource)) {
            if (in == null) {
                throw new IOException("No embedded redis-server binary " + resource + " on the classpath");
            }
            Path temp = dir.resolve("redis-server.tmp");
            Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
            temp.toFile().setExecutable(true, true);
            Files.move(temp, binary, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        return binary;
    }

    /** The binary for this OS and CPU among those the embedded-redis jar ships. */
    private static String binaryResource() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        boolean arm = System.getProperty("os.arch").contains("aarch64") || System.getProperty("os.arch").contains("arm64");
        if (os.contains("linux")) {
            return arm ? "redis-server-6.2.7-linux-arm64" : "redis-server-6.2.6-v5-linux-amd64";
        }
        if (os.contains("mac")) {
            return arm ? "redis-server-6.2.6-v5-darwin-arm64" : "redis-server-6.2.6-v5-darwin-amd64";
        }
        throw new IllegalStateException("No embedded redis-server for " + os + "; set sluice.coordinator.redis.url");
    }

    /** Copies the server's output to its log and waits for "Ready to accept connections" (or its death). */
    private static void awaitReady(Process process, int port, Path log) throws IOException {
        CompletableFuture<Boolean> ready = new CompletableFuture<>();
        Thread.ofVirtual().name("redis-output").start(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                 var writer = Files.newBufferedWriter(log, StandardCharsets.UTF_8,
                         java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND)) {
                for (String line; (line = out.readLine()) != null; ) {
                    writer.write(line);
                    writer.newLine();
                    writer.flush();
                    if (line.contains("Ready to accept connections")) {
                        ready.complete(true);
                    }
                }
            } catch (IOException e) {
                ready.completeExceptionally(e);
            }
            ready.complete(false);
        });
        boolean started;
        try {
            started = ready.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            started = false;
        }
        if (!started) {
            process.destroyForcibly();
            throw new IOException("redis-server did not start on 127.0.0.1:" + port + " (is the port taken?); see " + log);
        }
    }
}

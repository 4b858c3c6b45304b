package io.sluice.coordinator.testing;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.sluice.coordinator.redis.EmbeddedRedis;
import io.sluice.testing.RedisProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;

/**
 * The real Redis that the coordinator's integration tests run against: one per test JVM, chosen in this order:
 * <ol>
 *   <li>{@code SLUICE_TEST_REDIS_URL} (for example {@code redis://127.0.0.1:6379}): an external Redis. <b>It must be
 *       a disposable Redis</b>: every test class starts by flushing it ({@code FLUSHALL}), which deletes every key in
 *       every database of that server.</li>
 *   <li>the system property {@code sluice.test.redis-server}, a redis-server binary on the machine: the build's
 *       coordinator-redis7-tests module names Debian's {@code /usr/bin/redis-server} (the Redis 7 that deployments run)
 *       when it is installed, and {@code sluice.test.redis-version} ({@code 7.}) then has to begin the version the
 *       server reports, or every test fails;</li>
 *   <li>a {@code redis:7-alpine} container with {@code --appendonly yes}, when a Docker engine answers;</li>
 *   <li>otherwise a real redis-server started by the coordinator's own {@link EmbeddedRedis} (AOF, fsync always) in
 *       a temporary directory, on a free loopback port.</li>
 * </ol>
 * The server is started on first use and stopped by {@link #close()}, which {@link FreshRedis} arranges to happen at
 * the end of the test run (a JVM shutdown hook is the backstop). Thread-safe.
 */
public final class TestRedis implements AutoCloseable {

    public static final String URL_VARIABLE = "SLUICE_TEST_REDIS_URL";
    public static final String BINARY_PROPERTY = "sluice.test.redis-server";
    public static final String VERSION_PROPERTY = "sluice.test.redis-version";

    private static final Logger LOG = LoggerFactory.getLogger(TestRedis.class);
    private static TestRedis shared;

    private final URI url;
    private final String kind;
    private final AutoCloseable server;
    private final Path directory;
    private final RedisClient client;
    private final Path scratch;
    private StatefulRedisConnection<String, String> connection;
    private boolean closed;

    private TestRedis(URI url, String kind, AutoCloseable server, Path directory) {
        this.url = url;
        this.kind = kind;
        this.server = server;
        this.directory = directory;
        this.client = RedisClient.create(RedisURI.create(url.toString()));
        try {
            this.scratch = Files.createTempDirectory("sluice-coordinator-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The Redis of this test JVM, started on first call. */
    public static synchronized TestRedis shared() {
        if (shared == null) {
            shared = start();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "test-redis-stop"));
            String version = shared.version();
            LOG.info("Coordinator tests use {} Redis {} at {}", shared.kind, version, shared.url);
            try {
                requireVersion(shared.kind, version);
            } catch (IllegalStateException e) {
                shared.close();
                throw e;
            }
        }
        return shared;
    }

    /**
     * The redis-server binary the build names ({@link #BINARY_PROPERTY}: Debian's, in coordinator-redis7-tests), for
     * tests that start their own Redis processes; empty means the embedded one.
     */
    public static Optional<Path> installedBinary() {
        String binary = System.getProperty(BINARY_PROPERTY, "");
        return binary.isBlank() ? Optional.empty() : Optional.of(Path.of(binary.trim()));
    }

    /** Fails unless {@code version} begins as {@link #VERSION_PROPERTY} requires (when it is set). */
    public static void requireVersion(String kind, String version) {
        String required = System.getProperty(VERSION_PROPERTY, "");
        if (!version.startsWith(required)) {
            throw new IllegalStateException("The test Redis (" + kind + ") is version " + version + ", not "
                    + required + "x as " + VERSION_PROPERTY + " requires");
        }
    }

    /** The version the server at {@code url} reports ({@code INFO server}'s {@code redis_version}). */
    public static String version(URI url) {
        RedisClient client = RedisClient.create(RedisURI.create(url.toString()));
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            return version(connection.sync());
        } finally {
            client.shutdown();
        }
    }

    private static String version(RedisCommands<String, String> commands) {
        return commands.info("server").lines().filter(line -> line.startsWith("redis_version:"))
                .map(line -> line.substring("redis_version:".length()).strip()).findFirst().orElse("unknown");
    }

    private static TestRedis start() {
        String external = System.getenv(URL_VARIABLE);
        if (external != null && !external.isBlank()) {
            return new TestRedis(URI.create(external.trim()), "external", null, null);
        }
        Optional<Path> binary = installedBinary();
        if (binary.isPresent()) {
            try {
                Path directory = Files.createTempDirectory("sluice-test-redis");
                RedisProcess redis = RedisProcess.start(directory, binary.get());
                return new TestRedis(redis.url(), "installed (" + binary.get() + ")", redis, directory);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (dockerAvailable()) {
            GenericContainer<?> container = new GenericContainer<>("redis:7-alpine")
                    .withCommand("redis-server", "--appendonly", "yes", "--appendfsync", "always")
                    .withExposedPorts(6379);
            container.start();
            URI url = URI.create("redis://" + container.getHost() + ":" + container.getMappedPort(6379));
            return new TestRedis(url, "container", container::stop, null);
        }
        try {
            Path directory = Files.createTempDirectory("sluice-test-redis");
            EmbeddedRedis redis = EmbeddedRedis.start(directory, TestPorts.freePort());
            return new TestRedis(URI.create("redis://127.0.0.1:" + redis.port()), "embedded", redis, directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    /** The version the server reports ({@code INFO server}'s {@code redis_version}). */
    public String version() {
        return version(commands());
    }

    public URI url() {
        return url;
    }

    /**
     * A directory that lives as long as this Redis: the in-process coordinator's {@code data-dir}, which it does not
     * use with an external Redis but must be given.
     */
    public Path scratchDirectory() {
        return scratch;
    }

    /** Synchronous commands on one shared connection (for set-up, inspection and fault injection). */
    public synchronized RedisCommands<String, String> commands() {
        if (connection == null || !connection.isOpen()) {
            connection = client.connect();
        }
        return connection.sync();
    }

    /** Deletes every key: each test class starts from an empty Redis. */
    public void flush() {
        commands().flushall();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (connection != null) {
                connection.close();
            }
            client.shutdown();
            if (server != null) {
                server.close();
            }
            if (directory != null) {
                deleteRecursively(directory);
            }
            deleteRecursively(scratch);
        } catch (Exception e) {
            LOG.warn("Could not stop the test Redis at {} cleanly: {}", url, e.toString());
        }
    }

    public static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}

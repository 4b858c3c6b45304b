package io.sluice.coordinator.testing;

import io.sluice.testing.RedisProcess;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/**
 * A redis-server of one test's own (the coordinator tests' binary, {@link TestRedis#installedBinary}) and a template
 * on it, for tests that take the lease themselves: no other coordinator may hold it there, as the shared test
 * coordinator would on {@link TestRedis}'s. {@link #close} stops the server and deletes its directory.
 */
public final class OwnRedis implements AutoCloseable {

    private final Path directory;
    private final RedisProcess server;
    private final LettuceConnectionFactory connections;
    private final ReactiveStringRedisTemplate redis;

    private OwnRedis(Path directory, RedisProcess server, LettuceConnectionFactory connections) {
        this.directory = directory;
        this.server = server;
        this.connections = connections;
        this.redis = new ReactiveStringRedisTemplate(connections);
    }

    /** Starts one, its files in a new temporary directory named after {@code name}. */
    public static OwnRedis start(String name) throws IOException {
        Path directory = Files.createTempDirectory(name);
        RedisProcess server = RedisProcess.start(directory, TestRedis.installedBinary().orElse(null));
        URI url = server.url();
        LettuceConnectionFactory connections =
                new LettuceConnectionFactory(new RedisStandaloneConfiguration(url.getHost(), url.getPort()));
        connections.afterPropertiesSet();
        connections.start();
        return new OwnRedis(directory, server, connections);
    }

    public ReactiveStringRedisTemplate redis() {
        return redis;
    }

    @Override
    public void close() throws IOException {
        connections.destroy();
        server.close();
        TestRedis.deleteRecursively(directory);
    }
}

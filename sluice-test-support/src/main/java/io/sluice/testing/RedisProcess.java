package io.sluice.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * A redis-server of the test's own, outside every coordinator, so that a test can crash and restart Redis under
 * running coordinators, and kill a coordinator without taking Redis with it (an embedded Redis is a child of its
 * coordinator). The binary is the one the coordinator embeds ({@code com.github.codemonstur:embedded-redis}), or one
 * installed on the machine ({@link #start(Path, Path)}); the server runs as docs/coordinator.md asks of the coordinator's Redis, append-only with an fsync per write, so a
 * restart loses nothing acknowledged.
 *
 * <p>Layout under {@code dir}: {@code redis-server} (the embedded binary), {@code appendonly.aof} (or Redis 7's
 * {@code appendonlydir/}), {@code redis.log} (the
 * output of every start). The port stays the same across restarts, since coordinators are configured with it. Every
 * signal goes to the PID this object started; {@link #close} stops it. Drive it from one thread.
 */
public final class RedisProcess implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

    private final Path dir;
    private final int port;
    /** A redis-server installed on the machine, or null for the embedded one (copied into {@code dir}). */
    private final Path installed;
    private Process process;

    private RedisProcess(Path dir, int port, Path installed) {
        this.dir = dir;
        this.port = port;
        this.installed = installed;
    }

    /** Starts a server in {@code dir} (created if missing) on a free loopback port and waits until it answers. */
    public static RedisProcess start(Path dir) {
        return start(dir, null);
    }

    /**
     * The same, from the redis-server binary {@code binary} (Debian's {@code /usr/bin/redis-server}, say: the Redis 7
     * that deployments run) instead of the embedded 6.2 one; null means the embedded one.
     */
    public static RedisProcess start(Path dir, Path binary) {
        if (binary != null && !Files.isExecutable(binary)) {
            throw new IllegalArgumentException("No executable redis-server at " + binary);
        }
        RedisProcess redis = new RedisProcess(dir.toAbsolutePath(), LoopbackPorts.belowEphemeral(), binary);
        redis.launch();
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(redis::killQuietly));
        return redis;
    }

    public URI url() {
        return URI.create("redis://127.0.0.1:" + port);
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** SIGKILL, as a crash: what was fsynced to the append-only file stays. */
    public void kill() {
        OwnProcesses.kill(process);
    }

    /** Starts the server again on the same port and files (after {@link #kill}) and waits until it answers. */
    public void restart() {
        if (isAlive()) {
            throw new IllegalStateException("redis-server (pid " + pid() + ") is still running");
        }
        launch();
    }

    /** SIGTERM (Redis flushes and exits), SIGKILL if it hangs. */
    @Override
    public void close() {
        OwnProcesses.stop(process);
    }

    @Override
    public String toString() {
        return "redis-server (pid " + (process == null ? "-" : process.pid()) + ", " + url() + ")";
    }

    private void launch() {
        try {
            Files.createDirectories(dir);
            Path binary = installed != null ? installed : installBinary();
            List<String> command = List.of(binary.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--dir", dir.toString(), "--appendonly", "yes", "--appendfsync", "always", "--save", "",
                    "--daemonize", "no");
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("redis.log").toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start redis-server in " + dir, e);
        }
        Waits.await(this + " to answer PING", READY_TIMEOUT, () -> {
            if (!process.isAlive()) {
                throw new AssertionError(this + " exited with " + process.exitValue() + "; see " + dir.resolve("redis.log"));
            }
            return answersPing() ? Boolean.TRUE : null;
        });
    }

    /** PONG, not LOADING: the server has read its append-only file back and serves. */
    private boolean answersPing() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            socket.setSoTimeout(1000);
            socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] answer = new byte[7];
            int read = socket.getInputStream().read(answer);
            return read > 0 && new String(answer, 0, read, StandardCharsets.US_ASCII).startsWith("+PONG");
        } catch (IOException e) {
            return false;
        }
    }

    private Path installBinary() throws IOException {
        Path binary = dir.resolve("redis-server");
        if (Files.isExecutable(binary)) {
            return binary;
        }
        String resource = binaryResource();
        try (InputStream in = RedisProcess.class.getResourceAsStream("/" + resource)) {
            if (in == null) {
                throw new IOException("No redis-server binary " + resource + " on the classpath (embedded-redis)");
            }
            Path temp = dir.resolve("redis-server.tmp");
            Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
            temp.toFile().setExecutable(true, true);
            Files.move(temp, binary, StandardCopyOption.ATOMIC_MOVE);
        }
        return binary;
    }

    /** The same choice of binary as the coordinator's embedded Redis makes. */
    private static String binaryResource() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch");
        boolean arm = arch.contains("aarch64") || arch.contains("arm64");
        if (os.contains("linux")) {
            return arm ? "redis-server-6.2.7-linux-arm64" : "redis-server-6.2.6-v5-linux-amd64";
        }
        if (os.contains("mac")) {
            return arm ? "redis-server-6.2.6-v5-darwin-arm64" : "redis-server-6.2.6-v5-darwin-amd64";
        }
        throw new IllegalStateException("No embedded redis-server for " + os);
    }

    private void killQuietly() {
        if (isAlive()) {
            process.destroyForcibly();
        }
    }
}

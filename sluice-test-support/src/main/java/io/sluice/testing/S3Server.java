package io.sluice.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real S3-compatible server for tiered storage's tests: s3proxy (Maven Central, {@code org.gaul:s3proxy}, its
 * self-contained jar) with its filesystem backend, run as a process of the test's own so that a test can stop it
 * under running services and start it again on the same port and data. Requests are signed (AWS Signature V2 or
 * V4) with {@link #ACCESS_KEY} and {@link #SECRET_KEY}; buckets are directories under {@code dir/data}.
 *
 * <p>The jar comes from the system property {@code sluice.s3proxy.jar}, which the modules' surefire and failsafe
 * configurations set from the declared test dependency. Every signal goes to the PID this object started;
 * {@link #close} stops it. Drive it from one thread.
 */
public final class S3Server implements AutoCloseable {

    public static final String ACCESS_KEY = "sluice-test";
    public static final String SECRET_KEY = "sluice-test-secret";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final Path dir;
    private final Path jar;
    private final int port;
    private Process process;

    private S3Server(Path dir, Path jar, int port) {
        this.dir = dir;
        this.jar = jar;
        this.port = port;
    }

    /** Starts a server keeping its buckets under {@code dir} (created if missing), and waits until it listens. */
    public static S3Server start(Path dir) {
        String jar = System.getProperty("sluice.s3proxy.jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("No s3proxy jar at sluice.s3proxy.jar=" + jar
                    + " (set by the module's test configuration from its org.gaul:s3proxy test dependency)");
        }
        S3Server server = new S3Server(dir.toAbsolutePath(), Path.of(jar), LoopbackPorts.belowEphemeral());
        server.launch();
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(server::killQuietly));
        return server;
    }

    /** Where clients send requests (path-style: the bucket is the first path segment). */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** Where the bucket {@code bucket}'s objects are files. */
    public Path bucketDirectory(String bucket) {
        return dir.resolve("data").resolve(bucket);
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** SIGKILL: the store is gone until {@link #restart}; what it wrote stays on disk. */
    public void kill() {
        OwnProcesses.kill(process);
    }

    /** Starts the server again on the same port and data (after {@link #kill}) and waits until it listens. */
    public void restart() {
        if (isAlive()) {
            throw new IllegalStateException(this + " is still running");
        }
        launch();
    }

    @Override
    public void close() {
        OwnProcesses.stop(process);
    }

    @Override
    public String toString() {
        return "s3proxy (pid " + (process == null ? "-" : process.pid()) + ", " + endpoint() + ")";
    }

    private void launch() {
        try {
            Files.createDirectories(dir.resolve("data"));
            Path properties = dir.resolve("s3proxy.conf");
            Files.writeString(properties, String.join("\n",
                    "s3proxy.endpoint=" + endpoint(),
                    "s3proxy.authorization=aws-v2-or-v4",
                    "s3proxy.identity=" + ACCESS_KEY,
                    "s3proxy.credential=" + SECRET_KEY,
                    "jclouds.provider=filesystem",
                    "jclouds.filesystem.basedir=" + dir.resolve("data"),
                    ""));
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            process = new ProcessBuilder(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar", jar.toString(),
                    "--properties", properties.toString()))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("s3proxy.log").toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start s3proxy in " + dir, e);
        }
        Waits.await(this + " to listen", READY_TIMEOUT, () -> {
            if (!process.isAlive()) {
                throw new AssertionError(this + " exited with " + process.exitValue() + "; see "
                        + dir.resolve("s3proxy.log"));
            }
            return listens() ? Boolean.TRUE : null;
        });
    }

    private boolean listens() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void killQuietly() {
        if (isAlive()) {
            process.destroyForcibly();
        }
    }
}

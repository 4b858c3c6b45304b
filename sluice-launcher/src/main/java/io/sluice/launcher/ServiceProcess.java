package io.sluice.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One service JVM of a local cluster, started here ({@link #start}) or re-attached from its pid file by a later
 * invocation ({@link #attach}, after {@link LaunchCommand#isLaunchOf} has confirmed the PID is still this service).
 *
 * <p>Files: its stdout and stderr are appended to {@code <base>/logs/<name>.log}, each start headed by a line with
 * the time and the command; {@code <base>/run/<name>.pid} holds its PID from start until it is stopped ({@link #kill}
 * leaves it behind, as a crash would).
 *
 * <p>Signals go to this one process by PID. SIGTERM and SIGKILL go through its {@link ProcessHandle}, which the JDK
 * checks against the process's start time, so they cannot reach a process that reused the PID. SIGSTOP and SIGCONT
 * have no JDK call; {@code kill -STOP <pid>} is run right after checking the handle is alive. Child processes the
 * service started (the coordinator's embedded redis-server) are noted before it is stopped or killed, and any still
 * running after it exited are stopped too.
 *
 * <p>Not thread-safe: one test thread, or the CLI, drives an instance.
 */
public final class ServiceProcess {

    private static final Duration POLL_INTERVAL = Duration.ofMillis(250);
    private static final Duration FORCED_EXIT_WAIT = Duration.ofSeconds(10);
    private static final Duration LEFTOVER_GRACE = Duration.ofSeconds(5);
    private static final int LOG_LINES_ON_FAILURE = 40;

    private final ServiceSpec spec;
    private final ProcessHandle handle;
    private final Process process;
    private final Path logFile;
    private final PidFile pidFile;
    private final HealthProbe probe;
    private final List<ProcessHandle> leftovers = new ArrayList<>();
    private boolean paused;

    private ServiceProcess(ServiceSpec spec, ProcessHandle handle, Process process, Path logFile, PidFile pidFile,
                           HealthProbe probe) {
        this.spec = spec;
        this.handle = handle;
        this.process = process;
        this.logFile = logFile;
        this.pidFile = pidFile;
        this.probe = probe;
    }

    /**
     * Launches a service and writes its pid file; does not wait for it to be ready.
     *
     * @throws LaunchException when its jar is missing, one of its ports is taken, or the JVM cannot be started
     */
    static ServiceProcess start(ClusterConfig config, ServiceSpec spec, HealthProbe probe) {
        if (!Files.isRegularFile(spec.jar())) {
            throw new LaunchException("Cannot start " + spec.name() + ": " + spec.jar()
                    + " is not built (run ./mvnw -pl " + spec.kind().module() + " -am package -DskipTests)");
        }
        for (int port : spec.ports()) {
            if (!Ports.isFree(port)) {
                throw new LaunchException("Cannot start " + spec.name() + ": port " + port + " on 127.0.0.1 is in use"
                        + " by another process (another cluster? see the port settings in bin/sluice --help)");
            }
        }
        Path logFile = config.logDir().resolve(spec.name() + ".log");
        PidFile pidFile = PidFile.of(config.runDir(), spec.name());
        List<String> command = LaunchCommand.of(config, spec);
        try {
            Files.createDirectories(config.logDir());
            Files.createDirectories(config.runDir());
            Files.writeString(logFile, "=== " + Instant.now() + " starting " + spec.name() + ": "
                            + String.join(" ", command) + System.lineSeparator(), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(config.baseDir().toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            for (Setting setting : Setting.values()) {
                builder.environment().remove(setting.environmentVariable());
            }
            Process process = builder.start();
            process.getOutputStream().close();
            pidFile.write(process.pid());
            return new ServiceProcess(spec, process.toHandle(), process, logFile, pidFile, probe);
        } catch (IOException e) {
            throw new LaunchException("Cannot start " + spec.name() + " (" + String.join(" ", command) + "): " + e);
        }
    }

    /** A running process already confirmed to be this service's launch (see {@link LaunchCommand#isLaunchOf}). */
    static ServiceProcess attach(ClusterConfig config, ServiceSpec spec, ProcessHandle handle, HealthProbe probe) {
        return new ServiceProcess(spec, handle, null, config.logDir().resolve(spec.name() + ".log"),
                PidFile.of(config.runDir(), spec.name()), probe);
    }

    /**
     * Waits until the readiness endpoint answers UP.
     *
     * @return how long that took
     * @throws LaunchException quoting the log's last lines, when the process exits first or the timeout passes
     */
    public Duration awaitReady(Duration timeout) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        Readiness last = Readiness.NO_ANSWER;
        while (true) {
            if (!handle.isAlive()) {
                String code = process == null ? "" : " with code " + process.exitValue();
                throw new LaunchException(spec.name() + " (pid " + pid() + ") exited" + code + " before it was ready."
                        + LogFiles.quoteTail(logFile, LOG_LINES_ON_FAILURE));
            }
            last = probe.readiness(spec.readinessUrl());
            if (last == Readiness.READY && handle.isAlive()) {
                return Duration.ofNanos(System.nanoTime() - start);
            }
            if (System.nanoTime() > deadline) {
                throw new LaunchException(spec.name() + " (pid " + pid() + ") was not ready after "
                        + timeout.toSeconds() + " s (last answer from " + spec.readinessUrl() + ": " + last + ")."
                        + LogFiles.quoteTail(logFile, LOG_LINES_ON_FAILURE));
            }
            sleep(POLL_INTERVAL);
        }
    }

    /** One readiness probe, bounded by the probe timeout. */
    public Readiness readiness() {
        return handle.isAlive() ? probe.readiness(spec.readinessUrl()) : Readiness.NO_ANSWER;
    }

    /**
     * Stops the service: SIGTERM (Spring Boot shuts down gracefully; a partition service hands its leaderships
     * away), SIGKILL if it has not exited after {@code grace}, then the same for child processes it left behind.
     * Removes its pid file. Does nothing but that cleanup when it is not running.
     *
     * @return true when it had to be killed with SIGKILL
     */
    public boolean stop(Duration grace) {
        boolean forced = false;
        if (handle.isAlive()) {
            leftovers.addAll(handle.descendants().toList());
            handle.destroy();
            if (paused) {
                // A stopped process only acts on SIGTERM once it runs again.
                maybeSignal("CONT");
                paused = false;
            }
            if (!awaitExit(handle, grace)) {
                forced = true;
                handle.destroyForcibly();
                awaitExit(handle, FORCED_EXIT_WAIT);
            }
        }
        stopLeftovers();
        deletePidFileIfOurs();
        return forced;
    }

    /**
     * Whether this JVM records a trained start-up cache ({@link AotCache}, {@code --aot-train}): it writes the cache
     * as it exits, which takes seconds after its shutdown.
     */
    boolean recordsAotCache() {
        return handle.info().arguments()
                .map(args -> Arrays.stream(args).anyMatch(arg -> arg.startsWith("-XX:AOTCacheOutput=")))
                .orElse(false);
    }

    /** SIGKILL, as a crash would: the pid file stays, and child processes are left running until {@link #stop}. */
    public void kill() {
        if (!handle.isAlive()) {
            return;
        }
        leftovers.addAll(handle.descendants().toList());
        handle.destroyForcibly();
        paused = false;
        if (!awaitExit(handle, FORCED_EXIT_WAIT)) {
            throw new IllegalStateException(spec.name() + " (pid " + pid() + ") survived SIGKILL");
        }
    }

    /** SIGSTOP: the process freezes; connections are still accepted by the kernel but nothing answers. */
    public void pause() {
        signal("STOP");
        paused = true;
    }

    /** SIGCONT after {@link #pause}. */
    public void resume() {
        signal("CONT");
        paused = false;
    }

    public String name() {
        return spec.name();
    }

    public ServiceKind kind() {
        return spec.kind();
    }

    public ServiceSpec spec() {
        return spec;
    }

    public long pid() {
        return handle.pid();
    }

    public boolean isAlive() {
        return handle.isAlive();
    }

    /** Whether it was paused through this object and not resumed since. */
    public boolean isPaused() {
        return paused && handle.isAlive();
    }

    public int port() {
        return spec.port();
    }

    public URI url() {
        return spec.url();
    }

    public Path logFile() {
        return logFile;
    }

    /** The exit code, once a process started by this object has exited; empty for attached processes. */
    public Optional<Integer> exitCode() {
        return process != null && !process.isAlive() ? Optional.of(process.exitValue()) : Optional.empty();
    }

    /** Child processes noted when it was stopped or killed; {@link LocalCluster} stops them if it restarts it. */
    List<ProcessHandle> leftovers() {
        return List.copyOf(leftovers);
    }

    void stopLeftovers() {
        // Given time to exit on their own: the coordinator stops its redis-server as it shuts down.
        leftovers.stream().filter(child -> !awaitExit(child, LEFTOVER_GRACE)).forEach(ServiceProcess::stopLeftover);
        leftovers.clear();
    }

    /** SIGTERM to a process a service left behind, SIGKILL if it has not exited after a grace. */
    static void stopLeftover(ProcessHandle child) {
        if (child.isAlive()) {
            child.destroy();
            if (!awaitExit(child, LEFTOVER_GRACE)) {
                child.destroyForcibly();
                awaitExit(child, FORCED_EXIT_WAIT);
            }
        }
    }

    private void deletePidFileIfOurs() {
        if (pidFile.read().orElse(-1) == pid()) {
            pidFile.delete();
        }
    }

    private void signal(String signal) {
        if (!handle.isAlive()) {
            throw new IllegalStateException(spec.name() + " (pid " + pid() + ") is not running");
        }
        if (!maybeSignal(signal)) {
            throw new IllegalStateException("kill -" + signal + " " + pid() + " failed");
        }
    }

    private boolean maybeSignal(String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid()))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not run kill -" + signal, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static boolean awaitExit(ProcessHandle handle, Duration timeout) {
        try {
            handle.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return !handle.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !handle.isAlive();
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LaunchException("Interrupted while waiting for a service to be ready");
        }
    }

    @Override
    public String toString() {
        return spec.name() + " (pid " + pid() + ", " + url() + ")";
    }
}

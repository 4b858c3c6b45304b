package io.sluice.launcher;

import java.net.URI;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * One row of {@code status}: a service, its state, its PID when running, the port it listens on (a running
 * process's own, else the configured one), whether it serves HTTPS, and its log. {@code detail} explains a
 * non-running state, such as a stale pid file; empty otherwise.
 */
public record ServiceStatus(String name, ServiceKind kind, State state, OptionalLong pid, int port, boolean tls,
                            Path logFile, String detail) {

    public enum State {
        /** Running, and its readiness endpoint says UP. */
        READY,
        /** Running and answering, but not ready yet (or no longer). */
        NOT_READY,
        /** Running but not answering: hung, or paused with SIGSTOP. */
        NO_ANSWER,
        /** Not running. */
        STOPPED,
        /** Its module is in the checkout but the jar is not built. */
        NOT_BUILT,
        /** Its module is not in this checkout yet. */
        NOT_IN_CHECKOUT;

        public boolean isRunning() {
            return this == READY || this == NOT_READY || this == NO_ANSWER;
        }

        public boolean isLaunchable() {
            return this != NOT_BUILT && this != NOT_IN_CHECKOUT;
        }
    }

    public URI url() {
        return ClusterConfig.loopbackUrl(port, tls);
    }
}

package io.sluice.testing;

import java.util.concurrent.TimeUnit;

/** How the servers tests start as processes of their own (Redis, the S3 server) are stopped: by their PID only. */
final class OwnProcesses {

    private static final long WAIT_SECONDS = 10;

    private OwnProcesses() {
    }

    /** SIGKILL, as a crash, and the wait for it to be gone. */
    static void kill(Process process) {
        process.destroyForcibly();
        try {
            process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGTERM (the server ends cleanly), SIGKILL if it has not within ten seconds; nothing if it is not running. */
    static void stop(Process process) {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)) {
                kill(process);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill(process);
        }
    }
}

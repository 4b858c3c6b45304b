package io.sluice.testing;

import java.time.Duration;
import java.util.function.Supplier;

/** Polling for multi-process tests, where a change shows in another process some time later. */
public final class Waits {

    private static final Duration POLL = Duration.ofMillis(100);

    private Waits() {
    }

    /**
     * Polls {@code probe} until it returns non-null and returns that; fails naming {@code what} (and the probe's last
     * exception) after {@code timeout}.
     */
    public static <T> T await(String what, Duration timeout, Supplier<T> probe) {
        long deadline = System.nanoTime() + timeout.toNanos();
        RuntimeException lastError = null;
        while (true) {
            try {
                T value = probe.get();
                if (value != null) {
                    return value;
                }
            } catch (RuntimeException e) {
                lastError = e;
            }
            if (System.nanoTime() > deadline) {
                AssertionError failure = new AssertionError("Timed out after " + timeout.toMillis() + " ms waiting for "
                        + what + (lastError == null ? "" : "; last error: " + lastError));
                if (lastError != null) {
                    failure.initCause(lastError);
                }
                throw failure;
            }
            sleep(POLL);
        }
    }

    public static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}

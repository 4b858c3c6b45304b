package io.sluice.launcher;

/** A service could not be started or did not become ready; the message says why and quotes its log's last lines. */
public final class LaunchException extends RuntimeException {

    public LaunchException(String message) {
        super(message);
    }
}

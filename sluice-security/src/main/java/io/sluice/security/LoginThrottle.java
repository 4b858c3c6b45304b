package io.sluice.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Brute-force protection: failed sign-ins counted per key (a client address, a Basic user name) in a fixed window that
 * opens at a key's first failure. A key at {@code maxFailures} within its window is refused until the window ends,
 * even with the right credentials — otherwise the refusal itself would confirm a guess. A success clears its keys.
 *
 * <p>Thread-safe. Memory is bounded: past {@link #MAX_KEYS} keys, windows that have ended are dropped.
 */
public final class LoginThrottle {

    public static final int MAX_KEYS = 100_000;

    private record Window(Instant opened, int failures) {
    }

    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();
    private final int maxFailures;
    private final Duration window;
    private final Clock clock;

    public LoginThrottle(SecurityProperties.LoginThrottling settings, Clock clock) {
        this.maxFailures = settings.maxFailures();
        this.window = settings.window();
        this.clock = clock;
    }

    /** How long the most throttled of {@code keys} must still wait; empty when none is throttled. */
    public Optional<Duration> retryAfter(List<String> keys) {
        Instant now = clock.instant();
        Duration longest = null;
        for (String key : keys) {
            Window w = windows.get(key);
            if (w != null && w.failures() >= maxFailures) {
                Duration left = Duration.between(now, w.opened().plus(window));
                if (!left.isNegative() && !left.isZero() && (longest == null || left.compareTo(longest) > 0)) {
                    longest = left;
                }
            }
        }
        return Optional.ofNullable(longest);
    }

    public void failed(List<String> keys) {
        Instant now = clock.instant();
        if (windows.size() >= MAX_KEYS) {
            windows.values().removeIf(w -> !w.opened().plus(window).isAfter(now));
        }
        for (String key : keys) {
            windows.compute(key, (k, w) -> w == null || !w.opened().plus(window).isAfter(now)
                    ? new Window(now, 1) : new Window(w.opened(), w.failures() + 1));
        }
    }

    public void succeeded(List<String> keys) {
        keys.forEach(windows::remove);
    }
}

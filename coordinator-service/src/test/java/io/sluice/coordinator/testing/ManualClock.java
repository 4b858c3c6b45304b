package io.sluice.coordinator.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

/** A clock that moves only when told, from t=0 (2026-01-01T00:00:00Z), in UTC. Safe to read from any thread. */
public final class ManualClock extends Clock {

    private static final Instant ZERO = Instant.parse("2026-01-01T00:00:00Z");
    private volatile Instant now = ZERO;

    public void advance(Duration duration) {
        now = now.plus(duration);
    }

    /** Moves to {@code sinceZero} after t=0. */
    public void set(Duration sinceZero) {
        now = ZERO.plus(sinceZero);
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneId.of("UTC");
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}

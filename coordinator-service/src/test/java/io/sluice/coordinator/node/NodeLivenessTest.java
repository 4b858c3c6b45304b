package io.sluice.coordinator.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.coordinator.testing.ManualClock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Sessions belong to a term of activity: a node not heard from since this coordinator began to become active counts
 * from that moment, however long the metadata took to load (a fresh CI run declared a healthy node dead when session
 * checks saw loaded metadata before the sessions restarted, and counted its session from the epoch).
 */
class NodeLivenessTest {

    private static final Duration SESSION = Duration.ofSeconds(6);
    private final ManualClock clock = new ManualClock();
    private final NodeLiveness liveness = new NodeLiveness(clock);

    @Test
    void aNodeNotYetHeardFromExpiresOnlyASessionAfterTheSessionsBegan() {
        clock.advance(Duration.ofHours(1));
        liveness.restartSessions();

        clock.advance(SESSION);
        assertThat(liveness.expired(List.of(1), SESSION)).isEmpty();
        clock.advance(Duration.ofMillis(1));
        assertThat(liveness.expired(List.of(1), SESSION)).containsExactly(1);
    }

    @Test
    void aHeartbeatExtendsTheSessionAndARestartForgetsHeartbeatsToTheLastTerm() {
        liveness.restartSessions();
        clock.advance(Duration.ofSeconds(5));
        liveness.heartbeat(1);
        clock.advance(Duration.ofSeconds(5));
        assertThat(liveness.expired(List.of(1, 2), SESSION)).containsExactly(2);

        liveness.stopSessions();
        clock.advance(Duration.ofMinutes(10));
        liveness.restartSessions();
        clock.advance(Duration.ofSeconds(3));
        assertThat(liveness.expired(List.of(1, 2), SESSION)).isEmpty();
    }

    @Test
    void noSessionExpiresWhileTheCoordinatorIsNotActive() {
        assertThat(liveness.expired(List.of(1), SESSION)).as("never active").isEmpty();

        liveness.restartSessions();
        liveness.stopSessions();
        clock.advance(Duration.ofMinutes(10));
        assertThat(liveness.expired(List.of(1), SESSION)).as("no longer active").isEmpty();
    }
}

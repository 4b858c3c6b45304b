package io.sluice.gateway.kafka.share;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

/** A connection's share sessions: epoch 0 opens, each request the next epoch, -1 closes; others are refused. */
class ShareSessionsTest {

    private static final Uuid TOPIC = Uuid.randomUuid();
    private static final ShareSessions.SharePartitionId P0 = new ShareSessions.SharePartitionId(TOPIC, 0);
    private static final ShareSessions.SharePartitionId P1 = new ShareSessions.SharePartitionId(TOPIC, 1);

    private final ShareSessions sessions = new ShareSessions();

    @Test
    void whenSessionOpensShouldFetchItsPartitionsAndAddAndForgetInLaterEpochs() {
        assertThat(sessions.fetch("g", "m", 0, List.of(P0), List.of()).partitions()).containsExactly(P0);
        assertThat(sessions.fetch("g", "m", 1, List.of(P1), List.of()).partitions()).containsExactly(P0, P1);
        assertThat(sessions.fetch("g", "m", 2, List.of(), List.of(P0)).partitions()).containsExactly(P1);
        assertThat(sessions.acknowledge("g", "m", 3).error()).isEqualTo(Errors.NONE);
        assertThat(sessions.fetch("g", "m", 4, List.of(), List.of()).partitions()).containsExactly(P1);
    }

    @Test
    void whenEpochIsOutOfTurnShouldBeInvalidAndLeaveTheSession() {
        sessions.fetch("g", "m", 0, List.of(P0), List.of());
        assertThat(sessions.fetch("g", "m", 2, List.of(P1), List.of()).error())
                .isEqualTo(Errors.INVALID_SHARE_SESSION_EPOCH);
        assertThat(sessions.acknowledge("g", "m", 5).error()).isEqualTo(Errors.INVALID_SHARE_SESSION_EPOCH);
        assertThat(sessions.fetch("g", "m", 1, List.of(), List.of()).partitions()).containsExactly(P0);
    }

    @Test
    void whenNoSessionIsOpenShouldBeNotFound() {
        assertThat(sessions.fetch("g", "m", 1, List.of(P0), List.of()).error())
                .isEqualTo(Errors.SHARE_SESSION_NOT_FOUND);
        assertThat(sessions.acknowledge("g", "m", 1).error()).isEqualTo(Errors.SHARE_SESSION_NOT_FOUND);
        sessions.fetch("g", "other", 0, List.of(P0), List.of());
        assertThat(sessions.acknowledge("g", "m", 1).error()).isEqualTo(Errors.SHARE_SESSION_NOT_FOUND);
    }

    @Test
    void whenSessionClosesShouldBeGoneAndNameItsPartitionsForRelease() {
        sessions.fetch("g", "m", 0, List.of(P0), List.of());
        sessions.fetch("g", "m", 1, List.of(P1), List.of());
        ShareSessions.Opened closed = sessions.fetch("g", "m", -1, List.of(), List.of());
        assertThat(closed.partitions()).isEmpty();
        assertThat(closed.closed()).containsExactly(P0, P1);
        assertThat(sessions.fetch("g", "m", 1, List.of(), List.of()).error())
                .isEqualTo(Errors.SHARE_SESSION_NOT_FOUND);
    }

    @Test
    void whenAcknowledgeOpensWithEpochZeroShouldBeInvalid() {
        assertThat(sessions.acknowledge("g", "m", 0).error()).isEqualTo(Errors.INVALID_SHARE_SESSION_EPOCH);
    }

    @Test
    void whenAcknowledgeClosesTheSessionShouldNameItsPartitionsForRelease() {
        sessions.fetch("g", "m", 0, List.of(P0), List.of());
        assertThat(sessions.acknowledge("g", "m", 1).closed()).isEmpty();
        assertThat(sessions.acknowledge("g", "m", -1).closed()).containsExactly(P0);
        assertThat(sessions.acknowledge("g", "m", 2).error()).isEqualTo(Errors.SHARE_SESSION_NOT_FOUND);
    }

    @Test
    void whenConnectionEndsShouldEndEverySessionWithItsMemberAndPartitions() {
        sessions.fetch("g", "m", 0, List.of(P0), List.of());
        sessions.fetch("g", "n", 0, List.of(P1), List.of());
        assertThat(sessions.closeAll()).containsExactlyInAnyOrder(
                new ShareSessions.Ended("g", "m", List.of(P0)), new ShareSessions.Ended("g", "n", List.of(P1)));
        assertThat(sessions.closeAll()).isEmpty();
        assertThat(sessions.fetch("g", "m", 1, List.of(), List.of()).error())
                .isEqualTo(Errors.SHARE_SESSION_NOT_FOUND);
    }
}

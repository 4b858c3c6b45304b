package io.sluice.gateway.kafka;

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
        assertThat(sessions.acknowledge("g", "m", 3)).isEqualTo(Errors.NONE);
        assertThat(sessions.fetch("g", "m", 4, List.of(), List.of()).partitions()).containsExactly(P1);
    }

    @Test
    void whenEpochIsOutOfTurnShouldBeInvalidAndLeaveTheSession() {
        sessions.fetch("g", "m", 0, List.of(P0), List.of());
        assertThat(sessions.fetch("g", "m", 2, List.of(P1), List.of()).error())
                .isEqualTo(Errors.INVALID_SHARE_SESSION_EPOCH);
        assertThat(sessions.acknowledge("g", "m", 5)).isEqualTo(Errors.INVALID_SHARE_SESSION_EPOCH);
        assertThat(sessions.fetch("g", "m", 1, List.of(), List.of()).partitions()).containsExactly(P0);
    }

    @Test
    void whenNoSessionIsOpenShouldBeNotFound() {
        assertThat(sessions.fetch("g", "m", 1, List.of(P0), List.of()).error())
                .isEqualTo(Errors.SHARE_SESSION_NOT_FOUND);
        assertThat(sessions.acknowledge("g", "m", 1)).isEqualTo(Errors.SHARE_SESSION_NOT_FOUND);
        sessions.fetch("g", "other", 0, List.of(P0), List.of());
        assertThat(sessions.acknowledge("g", "m", 1)).isEqualTo(Errors.SHARE_SESSION_NOT_FOUND);
    }

    @Test
    void whenSessionClosesShouldBeGone() {
        sessions.fetch("g", "m", 0, List.of(P0), List.of());
        assertThat(sessions.fetch("g", "m", -1, List.of(), List.of()).partitions()).isEmpty();
        assertThat(sessions.fetch("g", "m", 1, List.of(), List.of()).error())
                .isEqualTo(Errors.SHARE_SESSION_NOT_FOUND);
    }

    @Test
    void whenAcknowledgeOpensWithEpochZeroShouldBeInvalid() {
        assertThat(sessions.acknowledge("g", "m", 0)).isEqualTo(Errors.INVALID_SHARE_SESSION_EPOCH);
    }
}

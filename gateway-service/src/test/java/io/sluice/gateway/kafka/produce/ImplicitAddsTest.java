package io.sluice.gateway.kafka.produce;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.protocol.TopicPartition;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a connection remembers of its producers' implicit adds (transaction version 2). */
class ImplicitAddsTest {

    private static final TopicPartition A = new TopicPartition("t", 0);
    private static final TopicPartition B = new TopicPartition("t", 1);

    private final ImplicitAdds adds = new ImplicitAdds();

    @Test
    void aPartitionAddedAtTheProducersEpochIsNotAddedAgainButAtAnotherEpochItIs() {
        assertThat(adds.missing(7, (short) 0, List.of(A, B))).containsExactly(A, B);
        adds.added(7, (short) 0, List.of(A));

        assertThat(adds.missing(7, (short) 0, List.of(A, B))).containsExactly(B);
        assertThat(adds.missing(7, (short) 1, List.of(A, B))).as("the next transaction's epoch").containsExactly(A, B);
        assertThat(adds.missing(8, (short) 0, List.of(A))).as("another producer").containsExactly(A);

        adds.added(7, (short) 1, List.of(B));
        assertThat(adds.missing(7, (short) 0, List.of(A))).as("the old epoch is forgotten").containsExactly(A);
    }

    @Test
    void aForgottenProducerAddsAgain() {
        adds.added(7, (short) 0, List.of(A));
        adds.forget(7);
        assertThat(adds.missing(7, (short) 0, List.of(A))).containsExactly(A);
    }

    @Test
    void theLeastRecentlyUsedProducerIsDroppedBeyondTheLimit() {
        adds.added(0, (short) 0, List.of(A));
        for (long producer = 1; producer <= ImplicitAdds.MAX_PRODUCERS; producer++) {
            adds.added(producer, (short) 0, List.of(A));
        }
        assertThat(adds.missing(0, (short) 0, List.of(A))).containsExactly(A);
        assertThat(adds.missing(ImplicitAdds.MAX_PRODUCERS, (short) 0, List.of(A))).isEmpty();
    }
}

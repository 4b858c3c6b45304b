package io.sluice.gateway.kafka.produce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.protocol.TopicPartition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/** What a connection remembers of its producers' implicit adds (transaction version 2). */
class ImplicitAddsTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final TopicPartition A = new TopicPartition("t", 0);
    private static final TopicPartition B = new TopicPartition("t", 1);

    private final ImplicitAdds adds = new ImplicitAdds();
    private final List<List<TopicPartition>> asked = new ArrayList<>();

    private Mono<Void> join(long producer, int epoch, TopicPartition... partitions) {
        return adds.join(producer, (short) epoch, List.of(partitions), missing -> {
            asked.add(missing);
            return Mono.empty();
        });
    }

    @Test
    void aPartitionAddedAtTheProducersEpochIsNotAddedAgainButAtAnotherEpochItIs() {
        join(7, 0, A).block(WAIT);
        join(7, 0, A, B).block(WAIT);
        join(7, 1, A).block(WAIT);
        join(8, 1, A).block(WAIT);
        join(7, 0, A).block(WAIT);

        assertThat(asked).containsExactly(List.of(A), List.of(B), List.of(A), List.of(A),
                List.of(A)); // the last: epoch 1 replaced what epoch 0 had
    }

    @Test
    void requestsWhileAnAddIsUnderWayWaitForItInsteadOfAddingAgain() {
        Sinks.Empty<Void> coordinator = Sinks.empty();
        Mono<Void> first = adds.join(7, (short) 0, List.of(A), missing -> {
            asked.add(missing);
            return coordinator.asMono();
        }).cache();
        first.subscribe();
        Mono<Void> second = join(7, 0, A).cache();
        second.subscribe();

        assertThat(asked).containsExactly(List.of(A));
        coordinator.tryEmitEmpty();
        first.block(WAIT);
        second.block(WAIT);
        assertThat(asked).containsExactly(List.of(A));
    }

    @Test
    void aFailedAddFailsEveryRequestThatWaitedForItAndIsAskedAgainByTheNext() {
        Sinks.Empty<Void> coordinator = Sinks.empty();
        Mono<Void> first = adds.join(7, (short) 0, List.of(A), missing -> coordinator.asMono()).cache();
        first.subscribe(v -> { }, e -> { });
        Mono<Void> waiting = join(7, 0, A).cache();
        waiting.subscribe(v -> { }, e -> { });
        coordinator.tryEmitError(new IllegalStateException("refused"));

        assertThatThrownBy(() -> waiting.block(WAIT)).hasMessageContaining("refused");
        join(7, 0, A).block(WAIT);
        assertThat(asked).containsExactly(List.of(A));
    }

    @Test
    void aForgottenProducerAddsAgain() {
        join(7, 0, A).block(WAIT);
        adds.forget(7);
        join(7, 0, A).block(WAIT);
        assertThat(asked).containsExactly(List.of(A), List.of(A));
    }

    @Test
    void theLeastRecentlyUsedProducerIsDroppedBeyondTheLimit() {
        for (long producer = 0; producer <= ImplicitAdds.MAX_PRODUCERS; producer++) {
            join(producer, 0, A).block(WAIT);
        }
        asked.clear();
        join(ImplicitAdds.MAX_PRODUCERS, 0, A).block(WAIT);
        join(0, 0, A).block(WAIT);
        assertThat(asked).as("only the oldest was dropped").containsExactly(List.of(A));
    }
}

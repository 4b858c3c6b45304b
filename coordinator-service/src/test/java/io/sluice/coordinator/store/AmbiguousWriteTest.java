package io.sluice.coordinator.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.coordinator.testing.CoordinatorTestSupport;
import io.sluice.coordinator.testing.TestNodes;
import io.sluice.internal.metadata.NodeStatus;
import io.sluice.internal.metadata.PartitionState;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.test.annotation.DirtiesContext;
import reactor.core.publisher.Mono;

/**
 * A metadata write whose answer is lost — Redis ran the script, the reply never came (a timeout, a dropped
 * connection) — must not leave the coordinator deciding on a view Redis has moved past: every later change to what
 * the write touched would then fail its partition-epoch guard, and a node hosting it could never be declared dead.
 * Redis here is real and the write is real; only its answer is thrown away.
 */
@Order(2)
@DirtiesContext
@Import(AmbiguousWriteTest.AnswerLosingStoreConfiguration.class)
class AmbiguousWriteTest extends CoordinatorTestSupport {

    @Autowired
    private AnswerLosingStore store;

    @Test
    void whenAWriteLandsButItsAnswerIsLostTheCoordinatorCarriesOnFromWhatRedisHolds() {
        TestNodes nodes = nodesForThisTest();
        nodes.start(1, 2, 3);
        PartitionState created = api().createTopic("ambiguous", 1, 3).partition(0);
        int first = created.leader();

        store.loseNextAnswers(1);
        nodes.silence(first);
        api().awaitNode(first, NodeStatus.DEAD);

        assertThat(store.answersLost()).isEqualTo(1);
        PartitionState afterFirst = api().topic("ambiguous").partition(0);
        assertThat(afterFirst.leader()).isNotEqualTo(first);
        assertThat(afterFirst.leaderEpoch()).isEqualTo(created.leaderEpoch() + 1);

        int second = afterFirst.leader();
        nodes.silence(second);
        api().awaitNode(second, NodeStatus.DEAD);
        PartitionState afterSecond = api().topic("ambiguous").partition(0);
        assertThat(afterSecond.leader()).isNotIn(first, second);
        assertThat(afterSecond.leaderEpoch()).isEqualTo(afterFirst.leaderEpoch() + 1);
    }

    @TestConfiguration
    static class AnswerLosingStoreConfiguration {

        @Bean
        @Primary
        AnswerLosingStore answerLosingStore(ReactiveStringRedisTemplate redis) {
            return new AnswerLosingStore(redis);
        }
    }

    /** The real store, except that it can be told to write the next changes and then report a timeout. */
    static final class AnswerLosingStore extends MetadataStore {

        private final AtomicInteger toLose = new AtomicInteger();
        private final AtomicInteger lost = new AtomicInteger();

        AnswerLosingStore(ReactiveStringRedisTemplate redis) {
            super(redis);
        }

        void loseNextAnswers(int count) {
            toLose.set(count);
        }

        int answersLost() {
            return lost.get();
        }

        @Override
        public Mono<Long> write(long fencingToken, MetadataChange change) {
            Mono<Long> written = super.write(fencingToken, change);
            if (toLose.getAndUpdate(n -> Math.max(0, n - 1)) == 0) {
                return written;
            }
            return written.doOnNext(version -> lost.incrementAndGet())
                    .then(Mono.error(new TimeoutException("the reply of a metadata write was lost (test)")));
        }
    }
}

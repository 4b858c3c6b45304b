package io.sluice.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.gateway.testing.FakeCluster;
import io.sluice.internal.metadata.NodeInfo;
import io.sluice.internal.partition.PartitionBatches;
import io.sluice.internal.partition.ProduceResponse;
import io.sluice.protocol.Acks;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import io.sluice.protocol.TopicPartition;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import reactor.core.Disposable;
import reactor.test.scheduler.VirtualTimeScheduler;

/** The produce accumulator: when requests go out, what one internal request carries, and what each caller gets back. */
class ProduceAccumulatorTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Duration GRACE = Duration.ofSeconds(1);

    private final ScriptedLeader leader = new ScriptedLeader();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final VirtualTimeScheduler time = VirtualTimeScheduler.create();

    @Test
    void aRequestGoesOutAtOnceWhileASlotIsFree() {
        ProduceAccumulator accumulator = accumulator(2, 1 << 20, 100, 1 << 20);

        Caller first = send(accumulator, Acks.ALL, entry("t", 0, 10));
        Caller second = send(accumulator, Acks.ALL, entry("t", 1, 10));

        assertThat(leader.calls()).extracting(ScriptedLeader.Call::partitions)
                .containsExactly(List.of(tp("t", 0)), List.of(tp("t", 1)));
        leader.answer(0);
        leader.answer(1);
        assertThat(first.offsets()).containsExactly(0L);
        assertThat(second.offsets()).containsExactly(0L);
    }

    @Test
    void requestsThatWaitAreSentAsOneRequestWhenTheOneInFlightCompletesAndEachGetsItsOwnOffsets() {
        ProduceAccumulator accumulator = accumulator(1, 1 << 20, 100, 1 << 20);
        Caller first = send(accumulator, Acks.ALL, entry("t", 0, 10));
        List<Caller> waiting = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            waiting.add(send(accumulator, Acks.ALL, entry("t", 0, 10), entry("t", 1, 10)));
        }
        assertThat(leader.calls()).hasSize(1);

        leader.answer(0);

        assertThat(first.offsets()).containsExactly(0L);
        assertThat(leader.calls()).hasSize(2);
        assertThat(leader.call(1).entries()).hasSize(10);
        leader.answer(1);
        for (int i = 0; i < 5; i++) {
            assertThat(waiting.get(i).offsets()).as("caller %d: its own partitions' offsets, in its order", i)
                    .containsExactly(1L + i, (long) i);
        }
    }

    @Test
    void onlyRequestsWithTheSameAcksShareARequest() {
        ProduceAccumulator accumulator = accumulator(1, 1 << 20, 100, 1 << 20);
        send(accumulator, Acks.ALL, entry("t", 0, 10));
        send(accumulator, Acks.ALL, entry("t", 1, 10));
        Caller leaderOnly = send(accumulator, Acks.LEADER, entry("t", 2, 10));
        send(accumulator, Acks.ALL, entry("t", 3, 10));
        Caller none = send(accumulator, Acks.NONE, entry("t", 4, 10));

        leader.answer(0);
        leader.answer(1);
        leader.answer(2);

        assertThat(leader.calls()).extracting(ScriptedLeader.Call::acks)
                .containsExactly(Acks.ALL, Acks.ALL, Acks.LEADER, Acks.NONE);
        assertThat(leader.call(1).partitions()).containsExactly(tp("t", 1), tp("t", 3));
        assertThat(leaderOnly.offsets()).containsExactly(0L);
        leader.answer(3);
        assertThat(none.results()).extracting(ProduceResponse.PartitionResult::baseOffset).containsExactly((Long) null);
    }

    @Test
    void aRequestPassedOverForItsAcksHoldsBackLaterRequestsForItsPartitions() {
        ProduceAccumulator accumulator = accumulator(1, 1 << 20, 100, 1 << 20);
        send(accumulator, Acks.ALL, entry("t", 0, 10));
        send(accumulator, Acks.ALL, entry("t", 0, 10));
        send(accumulator, Acks.LEADER, entry("t", 1, 10));
        send(accumulator, Acks.ALL, entry("t", 1, 10));
        send(accumulator, Acks.ALL, entry("t", 2, 10));

        leader.answer(0);
        leader.answer(1);
        leader.answer(2);

        assertThat(leader.calls()).extracting(ScriptedLeader.Call::partitions).containsExactly(
                List.of(tp("t", 0)), List.of(tp("t", 0), tp("t", 2)), List.of(tp("t", 1)), List.of(tp("t", 1)));
        assertThat(leader.calls()).extracting(ScriptedLeader.Call::acks)
                .containsExactly(Acks.ALL, Acks.ALL, Acks.LEADER, Acks.ALL);
    }

    /**
     * However many slots are free, a partition is in one internal request in flight at most: the leader may append
     * two requests in flight together in either order, and the sequences stamped on records without a producer would
     * then arrive out of order and be refused.
     */
    @Test
    void aPartitionInFlightHoldsBackItsNextRequestsWhileOtherPartitionsGoOut() {
        ProduceAccumulator accumulator = accumulator(3, 1 << 20, 100, 1 << 20);
        Caller first = send(accumulator, Acks.ALL, entry("t", 0, 10));
        Caller second = send(accumulator, Acks.ALL, entry("t", 0, 10));
        Caller both = send(accumulator, Acks.ALL, entry("t", 1, 10), entry("t", 0, 10));
        Caller behindBoth = send(accumulator, Acks.ALL, entry("t", 1, 10));
        Caller other = send(accumulator, Acks.ALL, entry("t", 2, 10));

        assertThat(leader.calls()).extracting(ScriptedLeader.Call::partitions)
                .containsExactly(List.of(tp("t", 0)), List.of(tp("t", 2)));
        leader.answer(0);
        assertThat(leader.calls()).hasSize(3);
        assertThat(leader.call(2).partitions()).containsExactly(tp("t", 0), tp("t", 1), tp("t", 0), tp("t", 1));
        leader.answer(1);
        leader.answer(2);

        assertThat(first.offsets()).containsExactly(0L);
        assertThat(second.offsets()).containsExactly(1L);
        assertThat(both.offsets()).containsExactly(0L, 2L);
        assertThat(behindBoth.offsets()).containsExactly(1L);
        assertThat(other.offsets()).containsExactly(0L);
    }

    @ParameterizedTest(name = "{0} bytes each, {1} per request: {2} requests merged")
    @CsvSource({"100, 300, 3", "100, 299, 2", "100, 100, 1", "400, 300, 1"})
    void anInternalRequestCarriesAtMostTheByteBoundUnlessOneRequestAloneIsLarger(int size, int bound, int merged) {
        ProduceAccumulator accumulator = accumulator(1, bound, 100, 1 << 20);
        send(accumulator, Acks.ALL, entry("t", 0, 1));
        for (int i = 0; i < 4; i++) {
            send(accumulator, Acks.ALL, entry("t", 0, size));
        }

        leader.answer(0);

        assertThat(leader.call(1).entries()).hasSize(merged);
    }

    @Test
    void oneCallersRefusedEntryFailsOnlyThatCallersPartition() {
        ProduceAccumulator accumulator = accumulator(1, 1 << 20, 100, 1 << 20);
        send(accumulator, Acks.ALL, entry("t", 0, 10));
        Caller corrupt = send(accumulator, Acks.ALL, entry("bad", 0, 10), entry("t", 1, 10));
        Caller fine = send(accumulator, Acks.ALL, entry("t", 0, 10));
        leader.answer(0);

        leader.answer(1, entry -> entry.partition().topic().equals("bad") ? ErrorCode.CORRUPT_RECORD : null);

        assertThat(corrupt.results()).extracting(ProduceResponse.PartitionResult::errorCode)
                .containsExactly(ErrorCode.CORRUPT_RECORD, null);
        assertThat(fine.offsets()).containsExactly(1L);
    }

    @Test
    void aFailedInternalRequestFailsItsCallersAndTheNextOneStillGoesOut() {
        ProduceAccumulator accumulator = accumulator(1, 20, 100, 1 << 20);
        Caller first = send(accumulator, Acks.ALL, entry("t", 0, 10));
        Caller second = send(accumulator, Acks.ALL, entry("t", 1, 20));
        Caller third = send(accumulator, Acks.ALL, entry("t", 2, 20));

        leader.fail(0, ErrorCode.LEADER_NOT_AVAILABLE.exception("unreachable"));
        leader.fail(1, ErrorCode.REQUEST_TIMED_OUT.exception("no answer"));
        leader.answer(2);

        assertThat(first.errorCode()).isEqualTo(ErrorCode.LEADER_NOT_AVAILABLE);
        assertThat(second.errorCode()).isEqualTo(ErrorCode.REQUEST_TIMED_OUT);
        assertThat(third.offsets()).containsExactly(0L);
    }

    @Test
    void aLeaderAnswerThatDoesNotMatchTheEntriesFailsTheCallersItDoesNotMatch() {
        ProduceAccumulator accumulator = accumulator(1, 1 << 20, 100, 1 << 20);
        send(accumulator, Acks.ALL, entry("t", 0, 10));
        Caller a = send(accumulator, Acks.ALL, entry("t", 1, 10));
        Caller b = send(accumulator, Acks.ALL, entry("t", 2, 10));
        leader.answer(0);

        leader.answer(1, new ProduceResponse(List.of(written("t", 1, 7), written("t", 3, 9))));

        assertThat(a.offsets()).containsExactly(7L);
        assertThat(b.errorCode()).isEqualTo(ErrorCode.UNKNOWN_SERVER_ERROR);
    }

    @Test
    void aFullQueueRefusesARequestWithThrottledAndSendsNothingOfIt() {
        ProduceAccumulator accumulator = accumulator(1, 1 << 20, 2, 1 << 20);
        send(accumulator, Acks.ALL, entry("t", 0, 10));
        send(accumulator, Acks.ALL, entry("t", 1, 10));
        send(accumulator, Acks.ALL, entry("t", 2, 10));

        Caller refused = send(accumulator, Acks.ALL, entry("t", 3, 10));

        assertThat(refused.errorCode()).isEqualTo(ErrorCode.THROTTLED);
        assertThat(refused.error().getMessage()).contains("queue for node 1 is full");
        leader.answer(0);
        assertThat(leader.call(1).partitions()).containsExactly(tp("t", 1), tp("t", 2));
        assertThat(meters.get("sluice.gateway.produce.queue.rejected").counter().count()).isEqualTo(1);
    }

    @Test
    void theQueueIsBoundedInBytesButAnEmptyQueueTakesALargerRequest() {
        ProduceAccumulator accumulator = accumulator(1, 1 << 20, 100, 100);
        send(accumulator, Acks.ALL, entry("t", 0, 10));
        Caller large = send(accumulator, Acks.ALL, entry("t", 1, 500));

        Caller refused = send(accumulator, Acks.ALL, entry("t", 2, 1));

        assertThat(large.done()).isFalse();
        assertThat(refused.errorCode()).isEqualTo(ErrorCode.THROTTLED);
        leader.answer(0);
        leader.answer(1);
        assertThat(large.offsets()).containsExactly(0L);
    }

    @Test
    void aRequestWhoseTimeoutPassesWhileWaitingFailsAndIsNeverSent() {
        ProduceAccumulator accumulator = accumulator(1, 1 << 20, 100, 1 << 20);
        send(accumulator, Acks.ALL, entry("t", 0, 10));
        Caller late = send(accumulator, Acks.ALL, Duration.ofMillis(100), entry("t", 1, 10));
        Caller patient = send(accumulator, Acks.ALL, entry("t", 2, 10));

        time.advanceTimeBy(Duration.ofMillis(100).plus(GRACE));
        leader.answer(0);

        assertThat(late.errorCode()).isEqualTo(ErrorCode.REQUEST_TIMED_OUT);
        assertThat(late.error().getMessage()).contains("was not sent; nothing was written");
        assertThat(leader.call(1).partitions()).containsExactly(tp("t", 2));
        leader.answer(1);
        assertThat(patient.offsets()).containsExactly(0L);
        assertThat(meters.get("sluice.gateway.produce.queue.expired").counter().count()).isEqualTo(1);
    }

    @Test
    void aCallerWaitsForItsOwnTimeoutNotTheLongestOfItsRequestButTheLeaderIsGivenTheLongest() {
        ProduceAccumulator accumulator = accumulator(1, 1 << 20, 100, 1 << 20);
        send(accumulator, Acks.ALL, entry("t", 0, 10));
        Caller quick = send(accumulator, Acks.ALL, Duration.ofSeconds(2), entry("t", 1, 10));
        Caller slow = send(accumulator, Acks.ALL, Duration.ofSeconds(20), entry("t", 2, 10));
        time.advanceTimeBy(Duration.ofSeconds(1));
        leader.answer(0);
        assertThat(leader.call(1).timeout()).isEqualTo(Duration.ofSeconds(19));

        time.advanceTimeBy(Duration.ofSeconds(2));

        assertThat(quick.errorCode()).isEqualTo(ErrorCode.REQUEST_TIMED_OUT);
        assertThat(quick.error().getMessage()).contains("may or may not be written");
        assertThat(slow.done()).isFalse();
        leader.answer(1);
        assertThat(slow.offsets()).containsExactly(0L);
    }

    @Test
    void aCallerThatGoesAwayWhileWaitingIsTakenOutOfTheQueue() {
        ProduceAccumulator accumulator = accumulator(1, 1 << 20, 100, 1 << 20);
        send(accumulator, Acks.ALL, entry("t", 0, 10));
        Caller gone = send(accumulator, Acks.ALL, entry("t", 1, 10));
        Caller staying = send(accumulator, Acks.ALL, entry("t", 2, 10));
        assertThat(queued("requests")).isEqualTo(2);

        gone.cancel();

        assertThat(queued("requests")).isEqualTo(1);
        assertThat(queued("bytes")).isEqualTo(10);
        leader.answer(0);
        assertThat(leader.call(1).partitions()).containsExactly(tp("t", 2));
        leader.answer(1);
        assertThat(staying.offsets()).containsExactly(0L);
    }

    @Test
    void aCallerThatGoesAwayWhileInFlightLeavesTheOthersTheirAnswer() {
        ProduceAccumulator accumulator = accumulator(1, 1 << 20, 100, 1 << 20);
        send(accumulator, Acks.ALL, entry("t", 0, 10));
        Caller gone = send(accumulator, Acks.ALL, entry("t", 1, 10));
        Caller staying = send(accumulator, Acks.ALL, entry("t", 2, 10));
        leader.answer(0);

        gone.cancel();
        leader.answer(1);

        assertThat(gone.done()).isFalse();
        assertThat(staying.offsets()).containsExactly(0L);
    }

    @Test
    void eachLeaderHasItsOwnQueueAndSlots() {
        ProduceAccumulator accumulator = accumulator(1, 1 << 20, 100, 1 << 20);

        send(accumulator, ScriptedLeader.NODE, Acks.ALL, TIMEOUT, entry("t", 0, 10));
        send(accumulator, ScriptedLeader.OTHER_NODE, Acks.ALL, TIMEOUT, entry("t", 1, 10));

        assertThat(leader.calls()).extracting(ScriptedLeader.Call::leader)
                .containsExactly(ScriptedLeader.NODE, ScriptedLeader.OTHER_NODE);
    }

    @Test
    void metricsCountInternalRequestsTheirEntriesAndTheRequestsThatShared() {
        ProduceAccumulator accumulator = accumulator(1, 1 << 20, 100, 1 << 20);
        send(accumulator, Acks.ALL, entry("t", 0, 10));
        send(accumulator, Acks.ALL, entry("t", 0, 10), entry("t", 1, 10));
        send(accumulator, Acks.ALL, entry("t", 0, 10));
        send(accumulator, Acks.ALL, entry("t", 0, 10));
        assertThat(meters.get("sluice.gateway.produce.in.flight").gauge().value()).isEqualTo(1);

        leader.answer(0);
        leader.answer(1);

        assertThat(meters.get("sluice.gateway.produce.internal.requests").summary().count()).isEqualTo(2);
        assertThat(meters.get("sluice.gateway.produce.internal.requests").summary().totalAmount()).isEqualTo(4);
        assertThat(meters.get("sluice.gateway.produce.internal.entries").summary().totalAmount()).isEqualTo(5);
        assertThat(meters.get("sluice.gateway.produce.internal.bytes").summary().totalAmount()).isEqualTo(50);
        assertThat(meters.get("sluice.gateway.produce.coalesced").counter().count()).isEqualTo(3);
        assertThat(queued("requests")).isZero();
        assertThat(meters.get("sluice.gateway.produce.in.flight").gauge().value()).isZero();
    }

    // ---------------------------------------------------------------------------------------------- factories

    private ProduceAccumulator accumulator(int maxInFlight, long maxRequestBytes, int maxQueuedRequests,
                                           long maxQueuedBytes) {
        return new ProduceAccumulator(leader, new ProduceAccumulator.Limits(maxInFlight, maxRequestBytes,
                maxQueuedRequests, maxQueuedBytes, GRACE), meters, sessions(), time, () -> time.now(TimeUnit.NANOSECONDS));
    }

    /** Producer sessions with ids from the in-memory coordinator (entries here are not batches: never stamped). */
    static ProducerSessions sessions() {
        return new ProducerSessions(new ProducerIds(new FakeCluster()));
    }

    private Caller send(ProduceAccumulator accumulator, Acks acks, PartitionBatches... entries) {
        return send(accumulator, acks, TIMEOUT, entries);
    }

    private Caller send(ProduceAccumulator accumulator, Acks acks, Duration timeout, PartitionBatches... entries) {
        return send(accumulator, ScriptedLeader.NODE, acks, timeout, entries);
    }

    private static Caller send(ProduceAccumulator accumulator, NodeInfo node, Acks acks, Duration timeout,
                               PartitionBatches... entries) {
        Caller caller = new Caller();
        caller.subscription = accumulator.produce(node, List.of(entries), acks, timeout)
                .subscribe(results -> caller.results = results, error -> caller.error = error);
        return caller;
    }

    private double queued(String what) {
        return meters.get("sluice.gateway.produce.queue." + what).tag("node", "1").gauge().value();
    }

    static PartitionBatches entry(String topic, int partition, int bytes) {
        return new PartitionBatches(tp(topic, partition), 0, ByteBuffer.allocate(bytes));
    }

    static TopicPartition tp(String topic, int partition) {
        return new TopicPartition(topic, partition);
    }

    private static ProduceResponse.PartitionResult written(String topic, int partition, long offset) {
        return new ProduceResponse.PartitionResult(topic, partition, null, null, offset, offset, null, 0L);
    }

    /** What one caller got: its results or its error, once. */
    static final class Caller {
        Disposable subscription;
        List<ProduceResponse.PartitionResult> results;
        Throwable error;

        boolean done() {
            return results != null || error != null;
        }

        List<ProduceResponse.PartitionResult> results() {
            assertThat(error).as("error").isNull();
            assertThat(results).as("results").isNotNull();
            return results;
        }

        List<Long> offsets() {
            return results().stream().map(ProduceResponse.PartitionResult::baseOffset).toList();
        }

        Throwable error() {
            assertThat(error).as("error").isNotNull();
            return error;
        }

        ErrorCode errorCode() {
            assertThat(error()).isInstanceOf(SluiceException.class);
            return ((SluiceException) error).errorCode();
        }

        void cancel() {
            subscription.dispose();
        }
    }
}

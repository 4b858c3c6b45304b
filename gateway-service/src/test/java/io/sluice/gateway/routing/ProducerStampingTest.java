package io.sluice.gateway.routing;

import static io.sluice.gateway.routing.ProduceAccumulatorTest.tp;
import static io.sluice.gateway.routing.ProducerSessionTest.batch;
import static io.sluice.gateway.routing.ProducerSessionTest.read;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.internal.partition.PartitionBatches;
import io.sluice.protocol.Acks;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.record.CompressionType;
import io.sluice.protocol.record.RecordBatch;
import io.sluice.protocol.record.RecordBatchBuilder;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * The leader queue stamps batches without a producer with their partition's session when it sends them: sequences
 * in the order entries go out (coalesced requests included), the same stamp on a re-send, a fresh producer after a
 * failure, the stamp taken off a first send refused for its sequence, nothing for acks=0 or batches that carry a
 * producer already.
 */
class ProducerStampingTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final ScriptedLeader leader = new ScriptedLeader();
    private final VirtualTimeScheduler time = VirtualTimeScheduler.create();
    private final ProduceAccumulator accumulator = new ProduceAccumulator(leader,
            new ProduceAccumulator.Limits(1, 1 << 20, 100, 1 << 20, Duration.ofSeconds(1)), new SimpleMeterRegistry(),
            ProduceAccumulatorTest.sessions(), time, () -> time.now(TimeUnit.NANOSECONDS));

    private ProduceAccumulatorTest.Caller send(Acks acks, PartitionBatches... entries) {
        ProduceAccumulatorTest.Caller caller = new ProduceAccumulatorTest.Caller();
        caller.subscription = accumulator.produce(ScriptedLeader.NODE, List.of(entries), acks, TIMEOUT)
                .subscribe(results -> caller.results = results, error -> caller.error = error);
        return caller;
    }

    private static PartitionBatches entry(int partition, ByteBuffer batches) {
        return new PartitionBatches(tp("t", partition), 0, batches.duplicate());
    }

    private static RecordBatch stamp(ByteBuffer batches) {
        return read(batches).getFirst();
    }

    @Test
    void requestsThatWaitedAreStampedInTheOrderTheyAreSentTogether() {
        ByteBuffer a = batch(2);
        ByteBuffer b = batch(1);
        ByteBuffer c = batch(3);
        ByteBuffer other = batch(1);
        send(Acks.ALL, entry(0, a));
        send(Acks.ALL, entry(0, b));
        send(Acks.LEADER, entry(0, c), entry(1, other));
        assertThat(ProducerSession.needsStamp(b)).as("waiting requests take no sequence").isTrue();

        leader.answer(0);
        leader.answer(1); // b went alone: c has other acks
        leader.answer(2);

        long producerId = stamp(a).producerId();
        assertThat(producerId).isNotNegative();
        assertThat(List.of(stamp(a), stamp(b), stamp(c))).extracting(RecordBatch::producerId, RecordBatch::baseSequence)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(producerId, 0),
                        org.assertj.core.groups.Tuple.tuple(producerId, 2),
                        org.assertj.core.groups.Tuple.tuple(producerId, 3));
        assertThat(stamp(other).producerId()).as("another partition, another session").isNotEqualTo(producerId);
        assertThat(stamp(other).baseSequence()).isZero();
    }

    @Test
    void aFailedBatchKeepsItsStampForItsReSendAndTheNextBatchStartsAFreshProducer() {
        ByteBuffer first = batch(1);
        ProduceAccumulatorTest.Caller caller = send(Acks.ALL, entry(0, first));
        leader.answer(0, e -> ErrorCode.NOT_LEADER_AFTER_APPEND);
        assertThat(caller.results().getFirst().errorCode()).isEqualTo(ErrorCode.NOT_LEADER_AFTER_APPEND);
        long failed = stamp(first).producerId();

        send(Acks.ALL, entry(0, first)); // the router's re-send: the same bytes
        ByteBuffer next = batch(1);
        send(Acks.ALL, entry(0, next));
        leader.answer(1);
        leader.answer(2);

        assertThat(stamp(first).producerId()).isEqualTo(failed);
        assertThat(stamp(first).baseSequence()).isZero();
        assertThat(stamp(next).producerId()).isNotEqualTo(failed);
        assertThat(stamp(next).baseSequence()).isZero();
    }

    @Test
    void aFirstSendRefusedForItsSequenceIsUnstampedAndGoesAgainInAFreshSession() {
        ByteBuffer refused = batch(1);
        send(Acks.ALL, entry(0, refused));
        long stale = stamp(refused).producerId();
        leader.answer(0, e -> ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);

        assertThat(ProducerSession.needsStamp(refused)).isTrue();
        send(Acks.ALL, entry(0, refused));
        leader.answer(1);
        assertThat(stamp(refused).producerId()).isNotEqualTo(stale);
        assertThat(stamp(refused).baseSequence()).isZero();
    }

    @Test
    void batchesOfOneFirstSendThatCertainlyWroteNothingAreUnstampedSoTheirReSendsCannotArriveOutOfOrder() {
        // Three requests coalesced into one send to a leader that had just died: the call never left the gateway.
        // Had they kept sequences 0, 1 and 2, their independent re-sends could reach the new leader in any order,
        // and the one with sequence 2 arriving first would be refused UNKNOWN_PRODUCER_ID, which no client can retry.
        ByteBuffer first = batch(1);
        send(Acks.ALL, entry(0, batch(1)));
        send(Acks.ALL, entry(0, first));
        ByteBuffer second = batch(1);
        send(Acks.ALL, entry(0, second));
        leader.answer(0);
        leader.fail(1, ErrorCode.LEADER_NOT_AVAILABLE.exception("node-1 is unreachable: Connection refused"));

        assertThat(ProducerSession.needsStamp(first)).as("written nowhere: stamped afresh when sent again").isTrue();
        assertThat(ProducerSession.needsStamp(second)).isTrue();
        send(Acks.ALL, entry(0, second));
        send(Acks.ALL, entry(0, first));
        leader.answer(2);
        assertThat(stamp(second).baseSequence()).as("the re-sends take a fresh session in the order they go")
                .isZero();
        assertThat(stamp(first).baseSequence()).isEqualTo(1);
    }

    @Test
    void aFirstSendAnsweredNotLeaderIsUnstampedToo() {
        ByteBuffer moved = batch(1);
        send(Acks.ALL, entry(0, moved));
        leader.answer(0, e -> ErrorCode.NOT_LEADER);

        assertThat(ProducerSession.needsStamp(moved)).isTrue();
    }

    @Test
    void aReSendRefusedForItsSequenceKeepsItsStamp() {
        ByteBuffer batch = batch(1);
        send(Acks.ALL, entry(0, batch));
        leader.answer(0, e -> ErrorCode.REQUEST_TIMED_OUT);
        long producerId = stamp(batch).producerId();

        send(Acks.ALL, entry(0, batch));
        leader.answer(1, e -> ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);

        assertThat(stamp(batch).producerId()).as("it may have been written: never stamped anew").isEqualTo(producerId);
    }

    @Test
    void acksZeroAndBatchesWithAProducerOfTheirOwnAreSentAsTheyAre() {
        ByteBuffer fireAndForget = batch(1);
        ByteBuffer keyed = RecordBatchBuilder.of(CompressionType.NONE).producer(77L, (short) 0, 5)
                .append(1L, null, new byte[] {1}).build();
        send(Acks.NONE, entry(0, fireAndForget));
        leader.answer(0);
        send(Acks.ALL, entry(0, keyed));
        leader.answer(1);

        assertThat(ProducerSession.needsStamp(fireAndForget)).isTrue();
        assertThat(stamp(keyed).producerId()).isEqualTo(77L);
        assertThat(stamp(keyed).baseSequence()).isEqualTo(5);
    }
}

package io.sluice.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.testing.FakeCluster;
import io.sluice.internal.producer.IdempotenceApi;
import io.sluice.internal.producer.IdempotencyClaim;
import io.sluice.internal.producer.IdempotencyClaimRequest;
import io.sluice.internal.producer.IdempotencyReleaseRequest;
import io.sluice.internal.producer.ProducerIdBlock;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.record.CompressionType;
import io.sluice.protocol.record.RecordBatch;
import io.sluice.protocol.record.RecordBatchBuilder;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** A partition's producer session: contiguous sequences in stamping order, and a fresh producer after a failure. */
class ProducerSessionTest {

    private final ProducerIds ids = new ProducerIds(new FakeCluster());

    /** One batch of {@code records} one-byte records, without a producer. */
    static ByteBuffer batch(int records) {
        RecordBatchBuilder builder = RecordBatchBuilder.of(CompressionType.NONE);
        for (int i = 0; i < records; i++) {
            builder.append(1L, null, new byte[] {(byte) i});
        }
        return builder.build();
    }

    /** Every batch in {@code bytes}, as the leader would read them. */
    static List<RecordBatch> read(ByteBuffer bytes) {
        List<RecordBatch> batches = new ArrayList<>();
        ByteBuffer view = bytes.duplicate();
        while (view.hasRemaining()) {
            RecordBatch batch = RecordBatch.readFrom(view);
            batch.ensureValid();
            batches.add(batch);
            view.position(view.position() + batch.sizeInBytes());
        }
        return batches;
    }

    @Test
    void batchesAreStampedWithOneProducerAndContiguousSequencesInStampingOrder() {
        ProducerSession session = new ProducerSession(ids);
        ByteBuffer first = batch(3);
        ByteBuffer twoBatches = ByteBuffer.allocate(batch(2).remaining() + batch(1).remaining())
                .put(batch(2)).put(batch(1)).flip();

        long producerId = session.stamp(first);
        assertThat(session.stamp(twoBatches)).isEqualTo(producerId);

        assertThat(read(first)).extracting(RecordBatch::producerId, RecordBatch::baseSequence, RecordBatch::lastSequence)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(producerId, 0, 2));
        assertThat(read(twoBatches)).extracting(RecordBatch::producerId, RecordBatch::baseSequence)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(producerId, 3),
                        org.assertj.core.groups.Tuple.tuple(producerId, 5));
        assertThat(read(twoBatches)).allMatch(b -> b.producerEpoch() == 0);
        assertThat(ProducerSession.needsStamp(first)).isFalse();
    }

    @Test
    void afterAFailureTheNextBatchStartsAFreshProducerAtSequenceZero() {
        ProducerSession session = new ProducerSession(ids);
        long first = session.stamp(batch(1));
        session.stamp(batch(1));

        session.failed(first);
        ByteBuffer next = batch(1);
        long fresh = session.stamp(next);

        assertThat(fresh).isNotEqualTo(first).isNotNegative();
        assertThat(read(next).getFirst().baseSequence()).isZero();
        ByteBuffer after = batch(1);
        session.stamp(after);
        assertThat(read(after).getFirst().baseSequence()).isEqualTo(1);
    }

    @Test
    void aFailureOfAnEarlierProducerDoesNotEndTheCurrentSession() {
        ProducerSession session = new ProducerSession(ids);
        long old = session.stamp(batch(1));
        session.failed(old);
        long current = session.stamp(batch(1));

        session.failed(old);
        ByteBuffer next = batch(1);

        assertThat(session.stamp(next)).isEqualTo(current);
        assertThat(read(next).getFirst().baseSequence()).isEqualTo(1);
    }

    @Test
    void clearTakesTheStampOffSoTheBatchIsStampedAgain() {
        ByteBuffer bytes = batch(2);
        new ProducerSession(ids).stamp(bytes);

        ProducerSession.clear(bytes);

        assertThat(ProducerSession.needsStamp(bytes)).isTrue();
        RecordBatch cleared = read(bytes).getFirst();
        assertThat(cleared.producerEpoch()).isEqualTo(RecordBatch.NO_PRODUCER_EPOCH);
        assertThat(cleared.baseSequence()).isEqualTo(RecordBatch.NO_SEQUENCE);
    }

    @Test
    void withoutAProducerIdAtHandBatchesGoWithoutAProducer() {
        ProducerSession session = new ProducerSession(new ProducerIds(new Coordinator(), () -> 0L));
        ByteBuffer bytes = batch(1);

        assertThat(session.stamp(bytes)).isEqualTo(ProducerIds.NONE);
        assertThat(ProducerSession.needsStamp(bytes)).isTrue();
    }

    @Test
    void idsComeInBlocksAndTheNextBlockIsAskedForAheadButNotRightAfterAFailure() {
        AtomicLong now = new AtomicLong();
        Coordinator coordinator = new Coordinator();
        ProducerIds blocks = new ProducerIds(coordinator, now::get);

        assertThat(blocks.next()).isEqualTo(ProducerIds.NONE); // the coordinator is down
        assertThat(blocks.next()).isEqualTo(ProducerIds.NONE);
        assertThat(coordinator.asked).hasSize(1);

        now.addAndGet(2_000_000_000L);
        coordinator.down = false;
        assertThat(blocks.next()).isEqualTo(0L);
        for (int i = 1; i < ProducerIds.BLOCK_SIZE; i++) {
            assertThat(blocks.next()).isEqualTo(i);
        }
        assertThat(coordinator.asked).as("one failed call, the first block, the one asked for ahead").hasSize(3);
        assertThat(blocks.next()).isEqualTo(10_000L);
    }

    /** A coordinator that is down until told otherwise, then hands out blocks at 0, 10,000, 20,000, … */
    private static final class Coordinator implements IdempotenceApi {

        boolean down = true;
        final List<Integer> asked = new ArrayList<>();

        @Override
        public Mono<ProducerIdBlock> allocateProducerIds(int count) {
            asked.add(count);
            return down ? Mono.error(ErrorCode.COORDINATOR_NOT_AVAILABLE.exception("down"))
                    : Mono.just(new ProducerIdBlock((asked.size() - 2) * 10_000L, count));
        }

        @Override
        public Mono<IdempotencyClaim> claimIdempotencyKey(IdempotencyClaimRequest request) {
            return Mono.error(new UnsupportedOperationException("not used"));
        }

        @Override
        public Mono<Void> releaseIdempotencyKey(IdempotencyReleaseRequest request) {
            return Mono.error(new UnsupportedOperationException("not used"));
        }
    }
}

package io.sluice.gateway.kafka.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.internal.partition.FetchRequest;
import io.sluice.internal.partition.FetchResponseCodec.FetchedPartition;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.TopicPartition;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/** What a connection reads ahead after a Fetch, when a later Fetch uses it, and what it counts against the budget. */
class ReadAheadTest {

    private static final int MAX = 1000;
    /** The bytes of one record's batch, as the fake leaders answer each read. */
    private static final int ONE_RECORD = batch(0, 1).remaining();

    private final AtomicLong clock = new AtomicLong();
    private final ReadAhead.Budget budget = new ReadAhead.Budget(10 * MAX);
    private final ReadAhead ahead = new ReadAhead(budget, clock::get);
    private final List<List<FetchRequest.Partition>> reads = new ArrayList<>();

    @Test
    void theNextOffsetIsAfterTheLastWholeBatch() {
        ByteBuffer two = concat(batch(10, 3), batch(13, 2));
        ByteBuffer cut = concat(batch(10, 3), batch(13, 2).limit(30).slice());

        assertThat(ReadAhead.nextOffset(two)).isEqualTo(15);
        assertThat(ReadAhead.nextOffset(cut)).isEqualTo(13);
        assertThat(ReadAhead.nextOffset(ByteBuffer.allocate(0))).isEqualTo(-1);
        assertThat(ReadAhead.nextOffset(batch(10, 3).limit(20).slice())).isEqualTo(-1);
    }

    @Test
    void aSectionEndingBelowTheHighWatermarkIsReadAheadFromItsNextOffsetWithTheSameSize() {
        ahead.start(List.of(asked("t", 0, 10)), List.of(section("t", 0, 100, batch(10, 5))), this::read);

        assertThat(reads).containsExactly(List.of(asked("t", 0, 15)));
        assertThat(budget.free()).isEqualTo(10 * MAX - ONE_RECORD);
    }

    @Test
    void aSectionWithAnErrorOrWithoutAWholeBatchIsNotReadAhead() {
        ahead.start(List.of(asked("t", 0, 10), asked("t", 1, 0), asked("t", 2, 10)),
                List.of(section("t", 0, 100, batch(10, 5)), failed("t", 1),
                        section("t", 2, 100, batch(10, 3).limit(20).slice())), this::read);

        assertThat(reads).containsExactly(List.of(asked("t", 0, 15)));
    }

    @Test
    void partitionsAtTheirHighWatermarkAreReadAheadThereWhenAnotherIsBehind() {
        ahead.start(List.of(asked("t", 0, 10), asked("t", 1, 20), asked("t", 2, 10)),
                List.of(section("t", 0, 15, batch(10, 5)), section("t", 1, 20, ByteBuffer.allocate(0)),
                        section("t", 2, 100, batch(10, 5))), this::read);

        assertThat(reads).containsExactly(List.of(asked("t", 0, 15), asked("t", 1, 20), asked("t", 2, 15)));
        assertThat(budget.free()).isEqualTo(10 * MAX - 3 * ONE_RECORD);
    }

    @Test
    void aPartitionCountsItsSizeWhileItIsReadThenWhatItHolds() {
        Sinks.One<List<FetchedPartition>> answer = Sinks.one();
        ahead.start(List.of(asked("t", 0, 10), asked("t", 1, 20)),
                List.of(section("t", 0, 100, batch(10, 5)), section("t", 1, 20, ByteBuffer.allocate(0))),
                partitions -> answer.asMono());

        assertThat(budget.free()).isEqualTo(8 * MAX);
        answer.tryEmitValue(List.of(section("t", 0, 100, batch(15, 1)), section("t", 1, 20, ByteBuffer.allocate(0))));

        assertThat(budget.free()).isEqualTo(10 * MAX - ONE_RECORD);
        assertThat(ahead.take(List.of(asked("t", 0, 15), asked("t", 1, 20)))).hasSize(2);
        assertThat(budget.free()).isEqualTo(10 * MAX);
    }

    @Test
    void aSectionUsedBeforeItsReadEndsGivesItsWholeSizeBackOnce() {
        Sinks.One<List<FetchedPartition>> answer = Sinks.one();
        ahead.start(List.of(asked("t", 0, 10)), List.of(section("t", 0, 100, batch(10, 5))),
                partitions -> answer.asMono());

        ahead.take(List.of(asked("t", 0, 15)));
        answer.tryEmitValue(List.of(section("t", 0, 100, batch(15, 1))));

        assertThat(budget.free()).isEqualTo(10 * MAX);
    }

    @Test
    void aConsumerCaughtUpOnEveryPartitionReadsNothingAhead() {
        ahead.start(List.of(asked("t", 0, 10), asked("t", 1, 20)),
                List.of(section("t", 0, 15, batch(10, 5)), section("t", 1, 20, ByteBuffer.allocate(0))), this::read);

        assertThat(reads).isEmpty();
        assertThat(ahead.size()).isZero();
        assertThat(budget.free()).isEqualTo(10 * MAX);
    }

    @Test
    void sectionsReadAheadWithoutRecordsAnswerOnlyWhenTheOthersHoldMinBytes() {
        List<FetchRequest.Partition> asked = List.of(asked("t", 0, 15), asked("t", 1, 20), asked("t", 2, 15),
                asked("t", 3, 7));
        FetchedPartition records = section("t", 0, 100, batch(15, 5));
        FetchedPartition empty = section("t", 1, 20, ByteBuffer.allocate(0));
        List<FetchedPartition> ready = List.of(records, empty, failed("t", 2));
        int held = records.records().remaining();

        ReadAhead.Plan enough = ReadAhead.plan(asked, ready, held);
        ReadAhead.Plan tooFew = ReadAhead.plan(asked, ready, held + 1);

        assertThat(enough.answered()).containsOnlyKeys(new TopicPartition("t", 0), new TopicPartition("t", 1));
        assertThat(enough.toRead()).containsExactly(asked("t", 2, 15), asked("t", 3, 7));
        assertThat(enough.bytes()).isEqualTo(held);
        assertThat(tooFew.answered()).containsOnlyKeys(new TopicPartition("t", 0));
        assertThat(tooFew.toRead()).containsExactly(asked("t", 1, 20), asked("t", 2, 15), asked("t", 3, 7));
    }

    @Test
    void aFetchAtTheOffsetReadAheadIsAnsweredWithItAndReleasesItsBudget() {
        ahead.start(List.of(asked("t", 0, 10)), List.of(section("t", 0, 100, batch(10, 5))), this::read);

        Map<TopicPartition, Mono<FetchedPartition>> taken = ahead.take(List.of(asked("t", 0, 15)));

        assertThat(taken).containsOnlyKeys(new TopicPartition("t", 0));
        assertThat(taken.values().iterator().next().block().records()).isEqualTo(batch(15, 1));
        assertThat(budget.free()).isEqualTo(10 * MAX);
        assertThat(ahead.size()).isZero();
    }

    @Test
    void aFetchAtAnotherOffsetOrSizeDropsWhatWasReadAhead() {
        ahead.start(List.of(asked("t", 0, 10), asked("t", 1, 10)),
                List.of(section("t", 0, 100, batch(10, 5)), section("t", 1, 100, batch(10, 5))), this::read);

        Map<TopicPartition, Mono<FetchedPartition>> taken = ahead.take(List.of(asked("t", 0, 12),
                new FetchRequest.Partition("t", 1, 15, MAX / 2)));

        assertThat(taken).isEmpty();
        assertThat(ahead.size()).isZero();
        assertThat(budget.free()).isEqualTo(10 * MAX);
    }

    @Test
    void whatWasReadAheadIsNotUsedPastItsAge() {
        ahead.start(List.of(asked("t", 0, 10), asked("t", 1, 10)),
                List.of(section("t", 0, 100, batch(10, 5)), section("t", 1, 100, batch(10, 5))), this::read);
        clock.addAndGet(ReadAhead.MAX_AGE_NANOS + 1);

        assertThat(ahead.take(List.of(asked("t", 0, 15)))).isEmpty();
        assertThat(ahead.size()).isZero();
        assertThat(budget.free()).isEqualTo(10 * MAX);
    }

    @Test
    void nothingIsReadAheadBeyondTheBudget() {
        ReadAhead.Budget small = new ReadAhead.Budget(MAX + MAX / 2);
        ReadAhead tight = new ReadAhead(small, clock::get);

        tight.start(List.of(asked("t", 0, 10), asked("t", 1, 10)),
                List.of(section("t", 0, 100, batch(10, 5)), section("t", 1, 100, batch(10, 5))), this::read);

        assertThat(reads).containsExactly(List.of(asked("t", 0, 15)));
        assertThat(small.free()).isEqualTo(MAX + MAX / 2 - ONE_RECORD);
    }

    @Test
    void aClosedConnectionReleasesWhatItReadAheadAndReadsNoMore() {
        ahead.start(List.of(asked("t", 0, 10)), List.of(section("t", 0, 100, batch(10, 5))), this::read);

        ahead.close();
        ahead.start(List.of(asked("t", 1, 10)), List.of(section("t", 1, 100, batch(10, 5))), this::read);

        assertThat(budget.free()).isEqualTo(10 * MAX);
        assertThat(ahead.size()).isZero();
        assertThat(reads).hasSize(1);
    }

    @Test
    void aReadAheadThatFailsIsNoSection() {
        ahead.start(List.of(asked("t", 0, 10)), List.of(section("t", 0, 100, batch(10, 5))),
                next -> Mono.error(new IllegalStateException("leader gone")));

        assertThat(ahead.take(List.of(asked("t", 0, 15))).values().iterator().next().blockOptional()).isEmpty();
    }

    /** The fake leaders: each partition read has one record at the asked offset. */
    private Mono<List<FetchedPartition>> read(List<FetchRequest.Partition> partitions) {
        reads.add(partitions);
        return Mono.just(partitions.stream()
                .map(p -> section(p.topic(), p.partition(), 100, batch(p.fetchOffset(), 1))).toList());
    }

    private static FetchRequest.Partition asked(String topic, int partition, long offset) {
        return new FetchRequest.Partition(topic, partition, offset, MAX);
    }

    private static FetchedPartition section(String topic, int partition, long highWatermark, ByteBuffer records) {
        return new FetchedPartition(new TopicPartition(topic, partition), null, highWatermark, 0, highWatermark,
                records);
    }

    private static FetchedPartition failed(String topic, int partition) {
        return new FetchedPartition(new TopicPartition(topic, partition), ErrorCode.NOT_LEADER, -1, -1, -1,
                ByteBuffer.allocate(0));
    }

    private static ByteBuffer batch(long baseOffset, int records) {
        SimpleRecord[] values = new SimpleRecord[records];
        for (int i = 0; i < records; i++) {
            values[i] = new SimpleRecord(("v" + i).getBytes(StandardCharsets.UTF_8));
        }
        return MemoryRecords.withRecords(baseOffset, Compression.NONE, values).buffer();
    }

    private static ByteBuffer concat(ByteBuffer... buffers) {
        ByteBuffer all = ByteBuffer.allocate(java.util.Arrays.stream(buffers).mapToInt(ByteBuffer::remaining).sum());
        for (ByteBuffer buffer : buffers) {
            all.put(buffer.duplicate());
        }
        return all.flip();
    }
}

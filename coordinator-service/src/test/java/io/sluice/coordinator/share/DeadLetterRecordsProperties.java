package io.sluice.coordinator.share;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.protocol.TopicPartition;
import io.sluice.protocol.record.BufferBatchIterator;
import io.sluice.protocol.record.CompressionType;
import io.sluice.protocol.record.Header;
import io.sluice.protocol.record.Record;
import io.sluice.protocol.record.RecordBatch;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The dead-letter records KIP-1191 defines, for any run: one record per archived offset, in order, each with the
 * context headers Kafka writes (after the original's headers when the group copies records, which also copies key and
 * value), uncompressed, timestamped when written; batches no larger than the topic allows unless one record is; the
 * partition is the source partition modulo the topic's; an outbox run reads back as written, and archived records
 * group into runs that cover each exactly once.
 */
class DeadLetterRecordsProperties {

    private static final long NOW = 1_700_000_123_456L;

    @Provide
    Arbitrary<DeadLetterEntry> entries() {
        return Combinators.combine(
                Arbitraries.strings().withChars("abcxyz.-_0").ofMinLength(1).ofMaxLength(12),
                Arbitraries.integers().between(0, 200),
                Arbitraries.longs().between(0, 1_000_000),
                Arbitraries.integers().between(0, 40),
                Arbitraries.integers().between(1, 9),
                Arbitraries.of(DeadLetterCause.class),
                Arbitraries.of(true, false))
                .as((group, partition, first, length, deliveries, cause, copy) -> new DeadLetterEntry(0, group,
                        "orders", partition, first, first + length, deliveries, cause, "dlq.orders", copy));
    }

    /** Originals for some offsets of the run: a key, a value and headers of their own. */
    private static Map<Long, Record> originals(DeadLetterEntry entry, int every) {
        Map<Long, Record> originals = new HashMap<>();
        for (long offset = entry.firstOffset(); offset <= entry.lastOffset(); offset += every) {
            originals.put(offset, new Record(offset, 5, -1, ("k" + offset).getBytes(StandardCharsets.UTF_8),
                    ("v" + offset).getBytes(StandardCharsets.UTF_8), List.of(Header.of("trace", "t" + offset))));
        }
        return originals;
    }

    private static String header(Record record, String key) {
        List<Header> found = record.headers().stream().filter(h -> h.key().equals(key)).toList();
        assertThat(found).as(key).hasSize(1);
        return new String(found.getFirst().value(), StandardCharsets.UTF_8);
    }

    @Property(tries = 300)
    void everyArchivedRecordIsOneDeadLetterRecordWithKafkasHeaders(@ForAll("entries") DeadLetterEntry entry,
                                                                   @ForAll @IntRange(min = 1, max = 3) int every,
                                                                   @ForAll @IntRange(min = 200, max = 5000)
                                                                   int maxBatchBytes) {
        Map<Long, Record> originals = originals(entry, every);

        List<ByteBuffer> batches = DeadLetterRecords.batches(entry, originals, NOW, maxBatchBytes);

        List<Record> written = new ArrayList<>();
        for (ByteBuffer buffer : batches) {
            RecordBatch batch = RecordBatch.readFrom(buffer.duplicate());
            assertThat(batch.isValid()).isTrue();
            assertThat(batch.compressionType()).isEqualTo(CompressionType.NONE);
            assertThat(batch.producerId()).isEqualTo(RecordBatch.NO_PRODUCER_ID);
            assertThat(batch.sizeInBytes() <= maxBatchBytes || batch.recordCount() == 1)
                    .as("a batch of %s bytes and %s records", batch.sizeInBytes(), batch.recordCount()).isTrue();
            written.addAll(batch.records());
        }
        assertThat(written).hasSize((int) entry.records());
        for (int i = 0; i < written.size(); i++) {
            Record record = written.get(i);
            long offset = entry.firstOffset() + i;
            assertThat(record.timestamp()).isEqualTo(NOW);
            assertThat(header(record, "__dlq.errors.topic")).isEqualTo("orders");
            assertThat(header(record, "__dlq.errors.partition")).isEqualTo(Integer.toString(entry.partition()));
            assertThat(header(record, "__dlq.errors.offset")).isEqualTo(Long.toString(offset));
            assertThat(header(record, "__dlq.errors.group")).isEqualTo(entry.group());
            assertThat(header(record, "__dlq.errors.delivery.count"))
                    .isEqualTo(Integer.toString(entry.deliveryCount()));
            assertThat(header(record, "__dlq.errors.message")).isEqualTo(entry.cause().message());
            Record original = entry.copyRecord() ? originals.get(offset) : null;
            if (original == null) {
                assertThat(record.key()).isNull();
                assertThat(record.value()).isNull();
                assertThat(record.headers()).hasSize(6);
            } else {
                assertThat(record.key()).isEqualTo(original.key());
                assertThat(record.value()).isEqualTo(original.value());
                assertThat(record.headers().getFirst()).as("the original's headers first")
                        .isEqualTo(Header.of("trace", "t" + offset));
                assertThat(record.headers()).hasSize(7);
            }
        }
        assertThat(BufferBatchIterator.of(batches.getFirst().duplicate()).hasNext()).isTrue();
    }

    @Property
    void theDeadLetterPartitionIsTheSourcePartitionModuloTheTopics(@ForAll @IntRange(min = 0, max = 10_000) int source,
                                                                   @ForAll @IntRange(min = 1, max = 100) int count) {
        int partition = DeadLetterRecords.partition(source, count);
        assertThat(partition).isBetween(0, count - 1).isEqualTo(source % count);
    }

    @Property(tries = 300)
    void anOutboxRunReadsBackAsWritten(@ForAll("entries") DeadLetterEntry entry,
                                       @ForAll @IntRange(min = 1, max = Integer.MAX_VALUE) int id) {
        DeadLetterEntry read = DeadLetterEntry.parse(String.format("%020d", id) + " " + entry.document());

        assertThat(read).isEqualTo(new DeadLetterEntry(id, entry.group(), entry.topic(), entry.partition(),
                entry.firstOffset(), entry.lastOffset(), entry.deliveryCount(), entry.cause(), entry.dlqTopic(),
                entry.copyRecord()));
    }

    @Provide
    Arbitrary<List<ArchivedRecord>> archived() {
        return Combinators.combine(Arbitraries.integers().between(1, 3), Arbitraries.of(DeadLetterCause.class))
                .as((count, cause) -> new ArchivedRecord(0, count, cause))
                .list().ofMinSize(1).ofMaxSize(30)
                .flatMap(records -> Arbitraries.longs().between(0, 60).set().ofSize(records.size())
                        .map(offsets -> {
                            List<Long> sorted = offsets.stream().sorted().toList();
                            List<ArchivedRecord> placed = new ArrayList<>();
                            for (int i = 0; i < records.size(); i++) {
                                placed.add(new ArchivedRecord(sorted.get(i), records.get(i).deliveryCount(),
                                        records.get(i).cause()));
                            }
                            java.util.Collections.shuffle(placed, new java.util.Random(sorted.getFirst()));
                            return placed;
                        }));
    }

    @Property(tries = 500)
    void archivedRecordsGroupIntoRunsThatCoverEachOnce(@ForAll("archived") List<ArchivedRecord> archived) {
        DeadLetterSettings settings = new DeadLetterSettings(java.util.Optional.of("dlq.x"), true);

        List<DeadLetterEntry> runs = DeadLetterEntry.runs("g", new TopicPartition("orders", 2), archived, settings);

        List<ArchivedRecord> covered = new ArrayList<>();
        long previousLast = -1;
        for (DeadLetterEntry run : runs) {
            assertThat(run.firstOffset()).isGreaterThan(previousLast);
            assertThat(run.dlqTopic()).isEqualTo("dlq.x");
            assertThat(run.copyRecord()).isTrue();
            for (long offset = run.firstOffset(); offset <= run.lastOffset(); offset++) {
                covered.add(new ArchivedRecord(offset, run.deliveryCount(), run.cause()));
            }
            previousLast = run.lastOffset();
        }
        assertThat(covered).containsExactlyInAnyOrderElementsOf(archived);
        assertThat(DeadLetterEntry.runs("g", new TopicPartition("orders", 2), archived, DeadLetterSettings.NONE))
                .as("no topic, no runs").isEmpty();
    }
}

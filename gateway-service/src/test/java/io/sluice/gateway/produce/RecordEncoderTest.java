package io.sluice.gateway.produce;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.internal.metadata.PartitionState;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.protocol.record.BufferBatchIterator;
import io.sluice.protocol.record.Record;
import io.sluice.protocol.record.RecordBatch;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordEncoderTest {

    private final RecordEncoder encoder = new RecordEncoder(new Partitioner());

    @Test
    void recordsBeyondMaxMessageBytesGoIntoSeveralBatchesEachWithinItInOrder() {
        TopicMetadata topic = topic(Map.of("max.message.bytes", "10000"));
        List<ProduceRecord> records = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            records.add(record(i, 1000));
        }

        ByteBuffer batches = encoder.encode(topic, records).batches().get(0);

        List<RecordBatch> read = new ArrayList<>();
        BufferBatchIterator.batches(batches).forEach(read::add);
        assertThat(read).hasSizeGreaterThan(3).allSatisfy(batch -> {
            assertThat(batch.sizeInBytes()).isLessThanOrEqualTo(10_000);
            assertThat(batch.isValid()).isTrue();
        });
        assertThat(read.stream().flatMap(batch -> batch.records().stream()).map(Record::value))
                .containsExactlyElementsOf(records.stream().map(ProduceRecord::value).toList());
    }

    @Test
    void oneBatchFillsToTheLimitWithoutLosingARecord() {
        TopicMetadata topic = topic(Map.of());
        List<ProduceRecord> records = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            records.add(record(i, 1024));
        }

        ByteBuffer batches = encoder.encode(topic, records).batches().get(0);

        RecordBatch batch = RecordBatch.readFrom(batches.duplicate());
        assertThat(batch.sizeInBytes()).as("one batch, the whole buffer").isEqualTo(batches.remaining());
        assertThat(batch.isValid()).isTrue();
        assertThat(batch.records()).extracting(Record::value)
                .containsExactlyElementsOf(records.stream().map(ProduceRecord::value).toList());
    }

    /** The encoder keeps a topic's parsed configuration, but a config change in the metadata is used at once. */
    @Test
    void aConfigChangeInTheTopicsMetadataAppliesToTheNextRequest() {
        List<ProduceRecord> records = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            records.add(record(i, 1000));
        }
        assertThat(batchCount(encoder.encode(topic(Map.of()), records).batches().get(0))).isOne();

        assertThat(batchCount(encoder.encode(topic(Map.of("max.message.bytes", "10000")), records).batches().get(0)))
                .isGreaterThan(3);
        assertThat(batchCount(encoder.encode(topic(Map.of()), records).batches().get(0))).isOne();
    }

    private static int batchCount(ByteBuffer batches) {
        int count = 0;
        for (RecordBatch ignored : BufferBatchIterator.batches(batches)) {
            count++;
        }
        return count;
    }

    private static TopicMetadata topic(Map<String, String> configs) {
        return new TopicMetadata("orders", "id", 1, configs,
                List.of(new PartitionState(0, List.of(1), 1, List.of(1), 0, 0)));
    }

    private static ProduceRecord record(int index, int size) {
        byte[] value = new byte[size];
        Arrays.fill(value, (byte) ('a' + index % 26));
        byte[] key = ("k" + index).getBytes(StandardCharsets.UTF_8);
        return new ProduceRecord(0, key, value, List.of(), 1_000L + index);
    }
}

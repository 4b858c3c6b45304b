package io.sluice.protocol.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class KafkaOracleSmokeTest {

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void kafkaReadsWhatSluiceWrites(CompressionType type) {
        ByteBuffer batch = RecordBatchBuilder.of(type).baseOffset(100).partitionLeaderEpoch(7)
                .append(1000, "k1".getBytes(StandardCharsets.UTF_8), "v1".getBytes(StandardCharsets.UTF_8))
                .append(999, null, "v2".getBytes(StandardCharsets.UTF_8), List.of(Header.of("h", "x"), Header.of("n", null)))
                .append(1005, "k3".getBytes(StandardCharsets.UTF_8), null)
                .build();
        MemoryRecords records = MemoryRecords.readableRecords(batch.duplicate());
        List<org.apache.kafka.common.record.internal.Record> read = new ArrayList<>();
        for (var b : records.batches()) {
            b.ensureValid();
            assertThat(b.baseOffset()).isEqualTo(100);
            assertThat(b.partitionLeaderEpoch()).isEqualTo(7);
            assertThat(b.maxTimestamp()).isEqualTo(1005);
            assertThat((int) b.compressionType().id).isEqualTo(type.id());
            b.forEach(read::add);
        }
        assertThat(read).hasSize(3);
        assertThat(read.get(1).offset()).isEqualTo(101);
        assertThat(read.get(1).timestamp()).isEqualTo(999);
        assertThat(read.get(1).headers()).hasSize(2);
        assertThat(read.get(2).hasValue()).isFalse();
    }

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void sluiceReadsWhatKafkaWrites(CompressionType type) {
        Compression compression = Compression.of(org.apache.kafka.common.record.internal.CompressionType.forId(type.id())).build();
        MemoryRecordsBuilder builder = MemoryRecords.builder(ByteBuffer.allocate(1024), RecordBatch.CURRENT_MAGIC_VALUE,
                compression, org.apache.kafka.common.record.TimestampType.CREATE_TIME, 42L);
        builder.append(new SimpleRecord(5L, "a".getBytes(), "b".getBytes()));
        builder.append(new SimpleRecord(7L, null, "c".getBytes()));
        ByteBuffer bytes = builder.build().buffer();
        io.sluice.protocol.record.RecordBatch batch = io.sluice.protocol.record.RecordBatch.readFrom(bytes);
        batch.ensureValid();
        List<Record> records = batch.records();
        assertThat(records).extracting(Record::offset).containsExactly(42L, 43L);
        assertThat(records.get(1).value()).isEqualTo("c".getBytes());
        assertThat(records.get(1).key()).isNull();
    }
}

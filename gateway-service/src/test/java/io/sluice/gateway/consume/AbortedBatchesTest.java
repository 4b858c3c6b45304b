package io.sluice.gateway.consume;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.gateway.format.Formats;
import io.sluice.gateway.format.KnownSchemas;
import io.sluice.gateway.format.MaskingRules;
import io.sluice.internal.partition.AbortedBatches;
import io.sluice.internal.partition.FetchResponseCodec.AbortedTransaction;
import io.sluice.protocol.TopicPartition;
import io.sluice.protocol.record.CompressionType;
import io.sluice.protocol.record.EndTxnMarker;
import io.sluice.protocol.record.RecordBatch;
import io.sluice.protocol.record.RecordBatchBuilder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** A read_committed page leaves out aborted transactions' records, and only those, as a Kafka consumer does. */
class AbortedBatchesTest {

    private static final TopicPartition TP = new TopicPartition("t", 0);
    private static final long A = 7;
    private static final long B = 8;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final RecordRenderer renderer = new RecordRenderer(JSON, new SimpleMeterRegistry(), MaskingRules.NONE);

    @Test
    void anAbortedTransactionsRecordsAreLeftOutUntilItsAbortMarkerAndTheProducersNextTransactionIsRead() {
        ByteBuffer log = log(
                data(0, A, true, "a-aborted-0", "a-aborted-1"),
                data(2, B, true, "b-committed"),
                data(3, -1, false, "plain"),
                marker(4, A, false),
                data(5, A, true, "a-committed"),
                marker(6, A, true),
                marker(7, B, true));

        assertThat(values(log, 0, List.of(new AbortedTransaction(A, 0))))
                .containsExactly("b-committed", "plain", "a-committed");
        assertThat(values(log, 0, List.of())).as("read_uncommitted: everything but the markers")
                .containsExactly("a-aborted-0", "a-aborted-1", "b-committed", "plain", "a-committed");
    }

    @Test
    void aTransactionAbortedBeforeTheReadsFirstBatchIsNamedAndStillLeftOut() {
        ByteBuffer log = log(
                data(10, B, true, "b-0", "b-1", "b-2"),
                marker(13, B, false));

        assertThat(values(log, 11, List.of(new AbortedTransaction(B, 10)))).isEmpty();
        assertThat(values(log, 11, List.of(new AbortedTransaction(A, 10)))).as("another producer's abort")
                .containsExactly("b-1", "b-2");
    }

    private List<String> values(ByteBuffer log, long from, List<AbortedTransaction> aborted) {
        return renderer.render(TP, log.duplicate(), from, 100, Formats.of("string", null, null, null),
                        AbortedBatches.of(aborted), KnownSchemas.NONE).stream()
                .map(record -> JSON.readTree(record.value().toString()).asString()).toList();
    }

    private static ByteBuffer data(long baseOffset, long producerId, boolean transactional, String... values) {
        RecordBatchBuilder builder = RecordBatchBuilder.of(CompressionType.NONE).baseOffset(baseOffset);
        if (producerId >= 0) {
            builder.producer(producerId, (short) 0, 0).transactional(transactional);
        }
        for (String value : values) {
            builder.append(1_000, null, value.getBytes(StandardCharsets.UTF_8));
        }
        return builder.build();
    }

    private static ByteBuffer marker(long offset, long producerId, boolean commit) {
        ByteBuffer marker = new EndTxnMarker(commit, 0).toBatch(producerId, (short) 0, 1_000);
        RecordBatch.readFrom(marker.duplicate()).setBaseOffset(offset);
        return marker;
    }

    private static ByteBuffer log(ByteBuffer... batches) {
        int size = 0;
        for (ByteBuffer batch : batches) {
            size += batch.remaining();
        }
        ByteBuffer log = ByteBuffer.allocate(size);
        for (ByteBuffer batch : batches) {
            log.put(batch.duplicate());
        }
        return log.flip();
    }
}

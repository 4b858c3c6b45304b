package io.sluice.internal.partition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.internal.replication.ReplicaFetchRequest;
import io.sluice.internal.replication.ReplicaFetchRequestCodec;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import io.sluice.protocol.TopicPartition;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class WireCodecsTest {

    @Test
    void produceRequestsRoundTripAndSliceTheirBatchesWithoutCopying() {
        ByteBuffer body = ProduceRequestCodec.encode(List.of(
                new PartitionBatches(new TopicPartition("orders", 0), 3, bytes("batch-a")),
                new PartitionBatches(new TopicPartition("other.topic", 7), PartitionBatches.ANY_EPOCH, bytes(""))));

        List<PartitionBatches> decoded = ProduceRequestCodec.decode(body);

        assertThat(decoded).extracting(PartitionBatches::partition)
                .containsExactly(new TopicPartition("orders", 0), new TopicPartition("other.topic", 7));
        assertThat(decoded).extracting(PartitionBatches::leaderEpoch).containsExactly(3, -1);
        assertThat(text(decoded.getFirst().batches())).isEqualTo("batch-a");
        assertThat(decoded.getFirst().batches().isDirect()).isEqualTo(body.isDirect());
    }

    @Test
    void truncatedOrInflatedProduceRequestsAreInvalidRequests() {
        ByteBuffer body = ProduceRequestCodec.encode(List.of(
                new PartitionBatches(new TopicPartition("orders", 0), 3, bytes("batch-a"))));
        for (int length = 0; length < body.remaining(); length++) {
            ByteBuffer cut = body.duplicate().limit(length);
            assertThatThrownBy(() -> ProduceRequestCodec.decode(cut))
                    .isInstanceOfSatisfying(SluiceException.class,
                            e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_REQUEST));
        }
        ByteBuffer absurd = ByteBuffer.allocate(8).putInt(Integer.MAX_VALUE).putInt(0).flip();
        assertThatThrownBy(() -> ProduceRequestCodec.decode(absurd)).isInstanceOf(SluiceException.class);
    }

    @Test
    void fetchResponsesRoundTrip() {
        ByteBuffer records = bytes("records");
        ByteBuffer header1 = FetchResponseCodec.header(new TopicPartition("orders", 1), null, 10, 0, 12, records.remaining());
        ByteBuffer header2 = FetchResponseCodec.header(new TopicPartition("orders", 2), ErrorCode.NOT_LEADER, -1, -1, -1, 0);
        ByteBuffer body = ByteBuffer.allocate(4 + header1.remaining() + records.remaining() + header2.remaining());
        body.put(FetchResponseCodec.count(2)).put(header1).put(records).put(header2).flip();

        List<FetchResponseCodec.FetchedPartition> decoded = FetchResponseCodec.decode(body);

        assertThat(decoded).hasSize(2);
        assertThat(decoded.get(0).error()).isNull();
        assertThat(decoded.get(0).highWatermark()).isEqualTo(10);
        assertThat(decoded.get(0).logEndOffset()).isEqualTo(12);
        assertThat(text(decoded.get(0).records())).isEqualTo("records");
        assertThat(decoded.get(1).error()).isEqualTo(ErrorCode.NOT_LEADER);
        assertThat(decoded.get(1).records().remaining()).isZero();
    }

    @Test
    void aReadCommittedFetchResponseCarriesItsLastStableOffsetAndAbortedTransactions() {
        ByteBuffer records = bytes("records");
        List<FetchResponseCodec.AbortedTransaction> aborted = List.of(new FetchResponseCodec.AbortedTransaction(7, 3),
                new FetchResponseCodec.AbortedTransaction(9, 5));
        ByteBuffer header = FetchResponseCodec.header(new TopicPartition("orders", 1), null, 10, 6, 0, 12, aborted,
                records.remaining());
        ByteBuffer body = ByteBuffer.allocate(4 + header.remaining() + records.remaining());
        body.put(FetchResponseCodec.count(1)).put(header).put(records).flip();

        FetchResponseCodec.FetchedPartition decoded = FetchResponseCodec.decode(body).getFirst();

        assertThat(decoded.highWatermark()).isEqualTo(10);
        assertThat(decoded.lastStableOffset()).isEqualTo(6);
        assertThat(decoded.logStartOffset()).isZero();
        assertThat(decoded.logEndOffset()).isEqualTo(12);
        assertThat(decoded.abortedTransactions()).isEqualTo(aborted);
        assertThat(text(decoded.records())).isEqualTo("records");
    }

    @Test
    void theIsolationOfAFetchRequestRoundTripsAndAnUnknownOneIsRefused() {
        FetchRequest committed = new FetchRequest(500L, 1, 1 << 20, List.of(new FetchRequest.Partition("orders", 2, 42,
                4096)), true);
        assertThat(FetchRequestCodec.decode(FetchRequestCodec.encode(committed))).isEqualTo(committed);
        ByteBuffer bytes = FetchRequestCodec.encode(committed);
        bytes.put(16, (byte) 2);
        assertThatThrownBy(() -> FetchRequestCodec.decode(bytes)).isInstanceOf(SluiceException.class)
                .hasMessageContaining("isolation 2");
    }

    @Test
    void fetchRequestsRoundTripWithAbsentNumbersKeptAbsent() {
        FetchRequest request = new FetchRequest(500L, null, 1 << 20, List.of(
                new FetchRequest.Partition("orders", 2, 42, 4096),
                new FetchRequest.Partition("örders.ü", 0, 0, null)));

        assertThat(FetchRequestCodec.decode(FetchRequestCodec.encode(request))).isEqualTo(request);
        FetchRequest bare = new FetchRequest(null, null, null, List.of());
        assertThat(FetchRequestCodec.decode(FetchRequestCodec.encode(bare))).isEqualTo(bare);
    }

    @Test
    void replicaFetchRequestsRoundTrip() {
        ReplicaFetchRequest request = new ReplicaFetchRequest(3, "7d1c0a5e-incarnation", 500, 1 << 20, List.of(
                new ReplicaFetchRequest.Partition("orders", 0, 1234, 7, 1200, 1000),
                new ReplicaFetchRequest.Partition("orders", 1, 0, 0, 0, 0)));

        assertThat(ReplicaFetchRequestCodec.decode(ReplicaFetchRequestCodec.encode(request))).isEqualTo(request);
    }

    @Test
    void produceResponsesRoundTripOffsetsErrorsRecordErrorsAndUnwaitedAnswers() {
        ProduceResponse response = new ProduceResponse(List.of(
                new ProduceResponse.PartitionResult("orders", 0, null, null, 10L, 19L, null, 0L),
                new ProduceResponse.PartitionResult("orders", 1, ErrorCode.NOT_LEADER, "Node 2 leads orders-1", null, null,
                        null, null),
                new ProduceResponse.PartitionResult("logs", 4, null, null, 0L, 0L, 1_700_000_000_000L, 0L),
                new ProduceResponse.PartitionResult("orders", 2, null, null, null, null, null, null),
                new ProduceResponse.PartitionResult("orders", 3, ErrorCode.INVALID_RECORD_SCHEMA, "2 records refused",
                        null, null, null, null, List.of(new ProduceResponse.RecordError(0, "no schema id"),
                        new ProduceResponse.RecordError(7, "schema 3 is not registered for subject orders-value")))));

        assertThat(ProduceResponseCodec.decode(ProduceResponseCodec.encode(response))).isEqualTo(response);
    }

    @Test
    void aProduceResponseMessageIsCutRatherThanOverflowingItsLength() {
        String message = "é".repeat(40_000);
        ProduceResponse response = new ProduceResponse(List.of(
                new ProduceResponse.PartitionResult("orders", 0, ErrorCode.CORRUPT_RECORD, message, null, null, null,
                        null)));

        ProduceResponse decoded = ProduceResponseCodec.decode(ProduceResponseCodec.encode(response));

        assertThat(decoded.partitions().getFirst().message())
                .isEqualTo("é".repeat(ProduceResponseCodec.MAX_MESSAGE_CHARS));
    }

    @Test
    void everyTruncatedOrExtendedBinaryBodyIsAnInvalidRequest() {
        assertRefusesEveryCut(FetchRequestCodec.encode(new FetchRequest(1L, 1, 1,
                List.of(new FetchRequest.Partition("orders", 0, 5, 100)))), FetchRequestCodec::decode);
        assertRefusesEveryCut(ReplicaFetchRequestCodec.encode(new ReplicaFetchRequest(1, "i", 1, 1,
                List.of(new ReplicaFetchRequest.Partition("orders", 0, 5, 1, 3, 0)))), ReplicaFetchRequestCodec::decode);
        assertRefusesEveryCut(ProduceResponseCodec.encode(new ProduceResponse(List.of(
                new ProduceResponse.PartitionResult("orders", 0, null, null, 1L, 2L, null, 0L)))),
                ProduceResponseCodec::decode);
        assertRefusesEveryCut(ProduceResponseCodec.encode(new ProduceResponse(List.of(
                new ProduceResponse.PartitionResult("orders", 0, ErrorCode.INVALID_RECORD_SCHEMA, "refused", null,
                        null, null, null, List.of(new ProduceResponse.RecordError(3, "no schema id")))))),
                ProduceResponseCodec::decode);
    }

    /** Every prefix of {@code body}, and {@code body} with a byte more, is refused with INVALID_REQUEST. */
    private static void assertRefusesEveryCut(ByteBuffer body, Function<ByteBuffer, ?> decoder) {
        for (int length = 0; length < body.remaining(); length++) {
            ByteBuffer cut = body.duplicate().limit(length);
            assertThatThrownBy(() -> decoder.apply(cut))
                    .isInstanceOfSatisfying(SluiceException.class,
                            e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_REQUEST));
        }
        ByteBuffer longer = ByteBuffer.allocate(body.remaining() + 1).put(body.duplicate()).put((byte) 0).flip();
        assertThatThrownBy(() -> decoder.apply(longer))
                .isInstanceOfSatisfying(SluiceException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_REQUEST));
    }

    private static ByteBuffer bytes(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(ByteBuffer buffer) {
        return StandardCharsets.UTF_8.decode(buffer.duplicate()).toString();
    }
}
